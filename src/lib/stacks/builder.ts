/**
 * Collects the blocks of one stack while a stack function runs, and applies the conventions every
 * MSP stack shares: the Terraform Cloud backend and "stack locals" (output + local + optional
 * Secret Manager copy).
 */
import {TFC_ORGANIZATION} from '../links/tfc.js'
import type {TfBlock, TfConfig, TfExpr, TfObject, TfOutput, TfProvider, TfText, TfValue, TfVariable} from '../terraform/model.js'
import {dataRef, resourceRef, tfJoin} from '../terraform/model.js'
import {outputSecretId, stackWorkspaceName, type StackName} from './naming.js'
import {EDITION_FACTS, type Edition} from '../edition/editions.js'
import type {ProviderName} from './providers.js'

/** Project holding the platform's own secrets (provider tokens, webhooks). */
export const SECRETS_PROJECT = 'sourcegraph-secrets'
export const TFC_HOSTNAME = 'app.terraform.io'

/** A declared block; `ref(attr)` interpolates one of its attributes. */
export interface BlockHandle {
  readonly type: string
  readonly name: string
  /** `<type>.<name>` for `depends_on`. */
  readonly address: string
  /** The `${<address>.<attr>}` expression; use it as a value or inside tf`…`. */
  ref(attr: string): TfExpr
}

/** CDKTF's output id for a cross-stack token: `cross-stack-output-` + the reference with characters outside `[A-Za-z0-9_-]` dropped. */
export function crossStackOutputName(producer: {type: string; name: string}, attr: string): string {
  return `cross-stack-output-${producer.type}${producer.name}${attr}`.replace(/[^A-Za-z0-9_-]/g, '')
}

export class StackBuilder {
  private readonly providers: TfProvider[] = []
  private readonly resources: TfBlock[] = []
  private readonly dataBlocks: TfBlock[] = []
  private readonly locals: [string, TfValue][] = []
  private readonly outputs: TfOutput[] = []
  private readonly variables: TfVariable[] = []
  private gsmProject: string | undefined
  private readonly remoteStates = new Set<StackName>()

  constructor(
    readonly stack: StackName,
    readonly serviceId: string,
    readonly envId: string,
    /** The release whose provider pins (and resource set) the stack reproduces. */
    readonly edition: Edition,
  ) {}

  /** Declares a provider configuration (a second call for the same provider must set `alias`). */
  provider(name: ProviderName, config: TfObject = {}): void {
    this.providers.push({name, ...EDITION_FACTS[this.edition].providers[name], config})
  }

  resource(type: string, name: string, body: TfObject): BlockHandle {
    this.resources.push({type, name, body})
    return {type, name, address: `${type}.${name}`, ref: (attr) => resourceRef(type, name, attr)}
  }

  data(type: string, name: string, body: TfObject): BlockHandle {
    this.dataBlocks.push({type, name, body})
    return {type, name, address: `data.${type}.${name}`, ref: (attr) => dataRef(type, name, attr)}
  }

  /** Reads a platform secret from Secret Manager; returns the `secret_data` interpolation. */
  platformSecret(name: string, secret: string): TfExpr {
    return this.data('google_secret_manager_secret_version', name, {secret, project: SECRETS_PROJECT}).ref('secret_data')
  }

  output(output: TfOutput): void {
    this.outputs.push(output)
  }

  variable(variable: TfVariable): void {
    this.variables.push(variable)
  }

  /**
   * From now on, stack locals are also copied to Secret Manager secrets `<stack>_<name>` in `project`
   * (what `pg connect` and other tools read). The leading `project_id` local is added before this.
   */
  mirrorLocalsTo(project: string): void {
    this.gsmProject = project
  }

  /** Adds a stack local: output `output-<name>`, local `<name>`, and the Secret Manager copy when mirroring. */
  local(name: string, value: TfText, description: string): void {
    this.outputs.push({name: `output-${name}`, value, description, sensitive: false})
    this.locals.push([name, value])
    this.mirror(name, value)
  }

  /** A list-valued stack local (the original's `AddSlice`): the Secret Manager copy joins the items with `,`. */
  localList(name: string, values: readonly TfText[], description: string): void {
    this.outputs.push({name: `output-${name}`, value: values, description, sensitive: false})
    this.locals.push([name, values])
    this.mirror(name, tfJoin(values, ','))
  }

  /**
   * A value another stack of the environment knows only after apply, read the way CDKTF wires
   * cross-stack tokens: the producing stack adds a sensitive output `cross-stack-output-<type><name><attr>`
   * ({@link crossStackOutput}) and this stack reads it through `data.terraform_remote_state.cross-stack-reference-input-<stack>`.
   */
  remoteOutput(stack: StackName, producer: {type: string; name: string}, attr: string): TfExpr {
    const input = `cross-stack-reference-input-${stack}`
    if (!this.remoteStates.has(stack)) {
      this.remoteStates.add(stack)
      this.data('terraform_remote_state', input, {
        backend: 'remote',
        config: {organization: TFC_ORGANIZATION, workspaces: {name: stackWorkspaceName(this.serviceId, this.envId, stack)}},
      })
    }
    return dataRef('terraform_remote_state', input, `outputs.${crossStackOutputName(producer, attr)}`)
  }

  /** The producing side of {@link remoteOutput}. */
  crossStackOutput(producer: {type: string; name: string}, attr: string): void {
    this.outputs.push({name: crossStackOutputName(producer, attr), value: resourceRef(producer.type, producer.name, attr), sensitive: true})
  }

  private mirror(name: string, value: TfText): void {
    if (this.gsmProject === undefined) return
    const secret = this.resource('google_secret_manager_secret', `output-gsm-${name}-secret`, {
      secret_id: outputSecretId(this.stack, name),
      project: this.gsmProject,
      replication: {auto: {}},
    })
    this.resource('google_secret_manager_secret_version', `output-gsm-${name}-secret_version`, {
      secret: secret.ref('id'),
      secret_data: value,
    })
  }

  /** The finished configuration with the Terraform Cloud backend of this stack's workspace. */
  build(): TfConfig {
    return {
      stackName: this.stack,
      backend: {
        hostname: TFC_HOSTNAME,
        organization: TFC_ORGANIZATION,
        workspace: stackWorkspaceName(this.serviceId, this.envId, this.stack),
      },
      providers: this.providers,
      resources: this.resources,
      data: this.dataBlocks,
      locals: this.locals,
      outputs: this.outputs,
      variables: this.variables,
    }
  }
}
