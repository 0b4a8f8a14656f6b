import {CancelledError, UsageError, UserError} from '../io/errors.js'
import type {Prompter} from '../io/prompt.js'
import {SERVICE_KINDS, type ServiceKind} from '../spec/schema.js'
import {defaultServiceName} from './templates.js'

/** What `msp init` needs to scaffold a service. */
export interface InitAnswers {
  serviceId: string
  name: string
  owner: string
  kind: ServiceKind
  /** The first environment: `dev` with --dev (or a "y"), else `prod`, as in the original. */
  envId: 'dev' | 'prod'
}

/** Values given on the command line; `undefined` means "not given". */
export interface InitGiven {
  serviceId?: string
  name?: string
  owner?: string
  kind?: string
  dev?: boolean
}

async function required(prompter: Prompter, question: string): Promise<string> {
  const answer = (await prompter.ask(question)).trim()
  if (!answer) throw new UserError('response is required')
  return answer
}

/**
 * Completes the answers of `msp init`: asks for what is missing when a prompter is given (a terminal),
 * otherwise applies the defaults and fails with a usage error naming each missing flag.
 * Like the original, the first-environment and kind questions are asked only in fully interactive
 * mode (no service id argument); an explicit flag always wins.
 * @param options - the values given on the command line, on a terminal the prompter, and a check of the id
 */
export async function collectInitAnswers(options: {given: InitGiven; prompter?: Prompter; checkServiceId?: (id: string) => void}): Promise<InitAnswers> {
  const {given, prompter, checkServiceId} = options
  if (!prompter) {
    const missing = [given.serviceId === undefined ? 'the service id argument' : undefined, given.owner === undefined ? '--owner' : undefined].filter(Boolean)
    if (missing.length > 0) {
      throw new UsageError(`missing ${missing.join(' and ')}`, {
        hint: 'msp init asks for missing values only in a terminal (and not with --yes); e.g. msp init my-service --owner my-team --kind service --dev --yes',
      })
    }
  }
  const fullyInteractive = prompter !== undefined && given.serviceId === undefined
  let serviceId = given.serviceId
  if (serviceId === undefined) {
    prompter!.say("Please provide an all-lowercase, dash-delimited, machine-friendly identifier for your new service, e.g. 'my-service'.")
    serviceId = await required(prompter!, 'Service ID:')
  }
  // Like the original, a taken or malformed id fails before any further question is asked.
  checkServiceId?.(serviceId)
  let name = given.name
  if (name === undefined && prompter) {
    prompter.say("Please provide a human-readable name for your new service, e.g. 'My Service'.")
    name = (await prompter.ask(`Service name (optional, default "${defaultServiceName(serviceId)}"):`)).trim()
  }
  if (!name) name = defaultServiceName(serviceId)
  let owner = given.owner
  if (owner === undefined) {
    prompter!.say(
      'Please provide the name of the Opsgenie team that owns this new service - this MUST be an existing team listed in https://sourcegraph.app.opsgenie.com/teams/list',
    )
    owner = await required(prompter!, 'Service owner:')
  }
  if (!owner.trim()) throw new UsageError('--owner must not be empty')
  let dev = given.dev
  if (dev === undefined && fullyInteractive) {
    prompter!.say("We are going to scaffold an initial environment for your service - do you want to start with a 'dev' environment?")
    prompter!.say(`You can scaffold additional environments later using 'msp init-env ${serviceId}'.`)
    // The original demanded an answer despite showing "N" as the default; an empty answer means no here.
    dev = (await prompter!.ask("Start with a 'dev' environment (y/N):")).trim().toLowerCase() === 'y'
  }
  let kind = given.kind
  if (kind === undefined && fullyInteractive) {
    prompter!.say('MSP supports long-running services, or cron jobs.')
    kind = (await prompter!.ask("Service kind (one of: 'service', 'job'; default 'service'):")).trim() || 'service'
  }
  kind ??= 'service'
  if (!SERVICE_KINDS.includes(kind as ServiceKind)) throw new UsageError(`unsupported service kind: "${kind}"`, {hint: "use 'service' or 'job'"})
  return {serviceId, name, owner: owner.trim(), kind: kind as ServiceKind, envId: dev ? 'dev' : 'prod'}
}

/**
 * Asks a yes/no question whose default is yes; a "no" cancels the command.
 * @param prompter - the terminal prompter
 * @param question - the question, without the "(Y/n)" suffix
 */
export async function confirmOrCancel(prompter: Prompter, question: string): Promise<void> {
  const answer = (await prompter.ask(`${question} (Y/n)`)).trim().toLowerCase()
  if (answer !== '' && answer !== 'y' && answer !== 'yes') throw new CancelledError('cancelled: nothing was written')
}

/**
 * Asks for the id of the environment to add when `msp init-env` got none.
 * @param prompter - the terminal prompter
 */
export async function askEnvironmentId(prompter: Prompter): Promise<string> {
  prompter.say("Please provide an all-lowercase, dash-delimited, machine-friendly identifier for your new environment, e.g. 'dev' or 'prod'.")
  return required(prompter, 'Environment ID:')
}
