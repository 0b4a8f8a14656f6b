/**
 * Collects the blocks of one stack while a stack function runs, and applies the conventions every
 * MSP stack shares: the Terraform Cloud backend, "stack locals" (output + local + optional
 * Secret Manager copy) and CDKTF's cross-stack reads (remote state + the producer's output).
 */
import {TFC_ORGANIZATION} from '../links/tfc.js'
import type {TfBlock, TfConfig, TfExpr, TfObject, TfOutput, TfProvider, TfText, TfValue, TfVariable} from '../terraform/model.js'
import {dataRef, resourceRef, tfJoin} from '../terraform/model.js'
import {outputSecretId, type StackName} from './naming.js'
import {tfcWorkspaceName} from '../links/tfc.js'
import {providerPins, type Edition} from '../edition/editions.js'
import type {ProviderName} from '../edition/editions.js'

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

/** A block of another stack whose attribute is handed over: its type and name. */
export interface Producer {
  readonly type: string
  readonly name: string
}

/** CDKTF's output id for a cross-stack token: `cross-stack-output-` + the reference with characters outside `[A-Za-z0-9_-]` dropped. */
export function crossStackOutputName(producer: Producer, attr: string): string {
  return `cross-stack-output-${producer.type}${producer.name}${attr}`.replace(/[^A-Za-z0-9_-]/g, '')
}

/** The data source through which a stack reads another stack's outputs (CDKTF: `cross-stack-reference-input-<stack>`). */
export function remoteStateName(stack: StackName): string {
  return `cross-stack-reference-input-${stack}`
}

/**
 * The expression CDKTF writes where a stack uses an attribute of a block of `stack`:
 * `${data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.cross-stack-output-…}`.
 * Pure; {@link StackBuilder.remoteOutput} also declares the data source and registers the output.
 */
export function remoteOutputRef(stack: StackName, producer: Producer, attr: string): TfExpr {
  return dataRef('terraform_remote_state', remoteStateName(stack), `outputs.${crossStackOutputName(producer, attr)}`)
}

/**
 * The cross-stack values of one environment, collected while the consuming stacks are built: CDKTF
 * adds an output to the producing stack for each token another stack used, and only for those.
 */
export class CrossStackLinks {
  private readonly byStack = new Map<StackName, Map<string, {producer: Producer; attr: string}>>()

  /** Records that some stack reads `attr` of `producer` in `stack`. */
  register(stack: StackName, producer: Producer, attr: string): void {
    let outputs = this.byStack.get(stack)
    if (!outputs) this.byStack.set(stack, (outputs = new Map()))
    outputs.set(crossStackOutputName(producer, attr), {producer: {type: producer.type, name: producer.name}, attr})
  }

  /** The producing stack's configuration with a sensitive `cross-stack-output-*` output per registered value. */
  withOutputs(config: TfConfig): TfConfig {
    const outputs = this.byStack.get(config.stackName as StackName)
    if (!outputs || outputs.size === 0) return config
    const added: TfOutput[] = [...outputs].map(([name, {producer, attr}]) => ({
      name,
      value: resourceRef(producer.type, producer.name, attr),
      sensitive: true,
    }))
    return {...config, outputs: [...config.outputs, ...added]}
  }
}

export class StackBuilder {
  private readonly providers: TfProvider[] = []
  private readonly resources: TfBlock[] = []
  private readonly dataBlocks: TfBlock[] = []
  private readonly locals: [string, TfValue][] = []
  private readonly outputs: TfOutput[] = []
  private readonly variables: TfVariable[] = []
  private gsmProject: TfText | undefined
  private readonly remoteStates = new Set<StackName>()

  constructor(
    readonly stack: StackName,
    readonly serviceId: string,
    readonly envId: string,
    /** The release whose provider pins (and resource set) the stack reproduces. */
    readonly edition: Edition,
    /** Where reads of other stacks' values are recorded, so their producers get the outputs (see {@link CrossStackLinks}). */
    private readonly links?: CrossStackLinks,
  ) {}

  /** Declares a provider configuration (a second call for the same provider must set `alias`). */
  provider(name: ProviderName, config: TfObject = {}): void {
    this.providers.push({name, ...providerPins(this.edition)[name], config})
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
  mirrorLocalsTo(project: TfText): void {
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
   * A value another stack of the environment holds, read the way CDKTF wires cross-stack tokens: the
   * producing stack gets a sensitive output `cross-stack-output-<type><name><attr>` (registered in the
   * environment's {@link CrossStackLinks}) and this stack reads it through
   * `data.terraform_remote_state.cross-stack-reference-input-<stack>` (backend `remote`, the producing
   * stack's Terraform Cloud workspace).
   */
  remoteOutput(stack: StackName, producer: Producer, attr: string): TfExpr {
    const input = remoteStateName(stack)
    if (!this.remoteStates.has(stack)) {
      this.remoteStates.add(stack)
      this.data('terraform_remote_state', input, {
        backend: 'remote',
        // CDKTF's CloudBackend.getRemoteStateDataSource: hostname, organization and the named workspace.
        config: {
          hostname: TFC_HOSTNAME,
          organization: TFC_ORGANIZATION,
          workspaces: {name: tfcWorkspaceName(this.serviceId, this.envId, stack)},
        },
      })
    }
    this.links?.register(stack, producer, attr)
    return remoteOutputRef(stack, producer, attr)
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
        workspace: tfcWorkspaceName(this.serviceId, this.envId, this.stack),
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
