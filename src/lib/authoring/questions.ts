import {CancelledError, SpecError, UsageError, UserError} from '../io/errors.js'
import type {Prompter} from '../io/prompt.js'
import {assertValidId} from '../repo/ids.js'
import {SERVICE_KINDS, type ServiceKind} from '../spec/schema.js'
import {suggestionHint} from '../text/suggest.js'
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

/**
 * How often one question is asked before a run gives up: a person corrects a typo in one or two
 * tries, while answers piped into a terminal could otherwise be read forever.
 */
export const MAX_ATTEMPTS = 5

/**
 * Asks `question` until `accept` takes the answer: after an answer it refuses with a user error, its
 * message and hint (the did-you-mean) are shown and the same question is asked again — earlier
 * answers are kept, nothing has been written. The last refusal is thrown after {@link MAX_ATTEMPTS};
 * end of input or Ctrl-C cancels as for any question.
 * @param prompter - the terminal prompter
 * @param question - the question
 * @param accept - returns the value of a good answer, throws a UserError for a bad one
 */
async function askUntilAccepted<T>(prompter: Prompter, question: string, accept: (answer: string) => T): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const answer = await prompter.ask(question)
    try {
      return accept(answer)
    } catch (error) {
      if (!(error instanceof UserError) || error instanceof CancelledError || attempt >= MAX_ATTEMPTS) throw error
      // A spec rule the answer breaks is said in its own words: the file it names is not written yet.
      for (const line of error instanceof SpecError ? error.issues.map((i) => i.message) : [error.message]) prompter.say(line)
      if (error.hint) prompter.say(`hint: ${error.hint}`)
    }
  }
}

function requiredAnswer(answer: string): string {
  const trimmed = answer.trim()
  if (!trimmed) throw new UserError('response is required')
  return trimmed
}

function required(prompter: Prompter, question: string): Promise<string> {
  return askUntilAccepted(prompter, question, requiredAnswer)
}

/** A service kind, or the error with the did-you-mean the --kind flag gives. */
function serviceKind(kind: string): ServiceKind {
  if (SERVICE_KINDS.includes(kind as ServiceKind)) return kind as ServiceKind
  throw new UsageError(`unsupported service kind: "${kind}"`, suggestionHint(kind, SERVICE_KINDS, 'valid values'))
}

/** y/yes/n/no (any case), empty for the default; anything else is asked again. */
function yesNo(answer: string, empty: boolean): boolean {
  const a = answer.trim().toLowerCase()
  if (a === '') return empty
  if (a === 'y' || a === 'yes') return true
  if (a === 'n' || a === 'no') return false
  throw new UserError(`unclear answer ${JSON.stringify(answer.trim())}`, {hint: 'answer y or n'})
}

/**
 * Completes the answers of `msp init`: asks for what is missing when a prompter is given (a terminal),
 * otherwise applies the defaults and fails with a usage error naming each missing flag.
 * Like the original, the first-environment and kind questions are asked only in fully interactive
 * mode (no service id argument); an explicit flag always wins.
 * @param options - the values given on the command line, on a terminal the prompter, and a check of the id
 */
export async function collectInitAnswers(options: {
  given: InitGiven
  prompter?: Prompter
  checkServiceId?: (id: string) => void
  /** Checks a display name typed at the prompt for the accepted id (a bad one is asked again). */
  checkName?: (serviceId: string, name: string) => void
}): Promise<InitAnswers> {
  const {given, prompter, checkServiceId, checkName} = options
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
    // A taken or malformed id is refused before any further question (as the original did), and asked again.
    serviceId = await askUntilAccepted(prompter!, 'Service ID:', (answer) => {
      const id = requiredAnswer(answer)
      checkServiceId?.(id)
      return id
    })
  } else checkServiceId?.(serviceId)
  let name = given.name
  if (name === undefined && prompter) {
    prompter.say("Please provide a human-readable name for your new service, e.g. 'My Service'.")
    const id = serviceId
    name = await askUntilAccepted(prompter, `Service name (optional, default "${defaultServiceName(id)}"):`, (answer) => {
      const chosen = answer.trim() || defaultServiceName(id)
      checkName?.(id, chosen)
      return chosen
    })
  }
  if (!name) name = defaultServiceName(serviceId)
  let owner = given.owner
  if (owner === undefined) {
    prompter!.say(
      'Please provide the name of the Opsgenie team that owns this new service - this MUST be an existing team listed in ' +
        'https://sourcegraph.app.opsgenie.com/teams/list',
    )
    owner = await required(prompter!, 'Service owner:')
  }
  if (!owner.trim()) throw new UsageError('--owner must not be empty')
  let dev = given.dev
  if (dev === undefined && fullyInteractive) {
    prompter!.say("We are going to scaffold an initial environment for your service - do you want to start with a 'dev' environment?")
    prompter!.say(`You can scaffold additional environments later using 'msp init-env ${serviceId}'.`)
    // The original demanded an answer despite showing "N" as the default; an empty answer means no here.
    dev = await askUntilAccepted(prompter!, "Start with a 'dev' environment (y/N):", (answer) => yesNo(answer, false))
  }
  let kind: ServiceKind
  if (given.kind === undefined && fullyInteractive) {
    prompter!.say('MSP supports long-running services, or cron jobs.')
    kind = await askUntilAccepted(prompter!, "Service kind (one of: 'service', 'job'; default 'service'):", (answer) => serviceKind(answer.trim() || 'service'))
  } else kind = serviceKind(given.kind ?? 'service')
  return {serviceId, name, owner: owner.trim(), kind, envId: dev ? 'dev' : 'prod'}
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
  return askUntilAccepted(prompter, 'Environment ID:', (answer) => {
    const id = requiredAnswer(answer)
    assertValidId('environment', id)
    return id
  })
}
