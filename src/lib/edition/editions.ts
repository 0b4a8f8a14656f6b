/**
 * Editions: which release of the original `sg msp` msp reproduces. The original changed what it
 * generated over time and repositories pinned its releases (`sg-msp[-<category>].lock`), so one
 * repository can hold Terraform from different releases. An edition is a date: the changes of the
 * original (changes.ts) dated up to it are in force, the later ones are not. The stacks ask about one
 * named change at a time ({@link inForce}); the values the original wrote before a change live here, next
 * to the change's name. The edition is an explicit input of every model (never a global), so the pages and
 * the Terraform of one run always come from one edition.
 *
 * This module is data at the bottom of the layering: spec, stacks, handbook and generate all read it; it
 * imports only changes.ts.
 */
import {CHANGES, changesByDate, type ChangeId} from './changes.js'

/** The reproduced releases, oldest first. */
export const EDITIONS = ['2024-05', '2024-08'] as const

export type Edition = (typeof EDITIONS)[number]

/** The final public version of the original. */
export const DEFAULT_EDITION: Edition = '2024-08'

export interface EditionInfo {
  /** `YYYY-MM-DD`: the changes dated up to this day are in force. */
  date: string
  /** One line for `--help` and the documentation. */
  summary: string
}

export const EDITION_INFO: Readonly<Record<Edition, EditionInfo>> = {
  // The day the original published the May-2024 operations pages (test/fixtures/handbook).
  '2024-05': {date: '2024-05-01', summary: 'the release that published the May-2024 operations handbook pages (2024-05-01)'},
  // The newest dated change of the final stored source (sourcegraph/sourcegraph#64502).
  '2024-08': {date: '2024-08-15', summary: 'the final public version of sg msp'},
}

/** Whether a change of the original is in force in an edition. */
export function inForce(edition: Edition, change: ChangeId): boolean {
  return CHANGES[change].date <= EDITION_INFO[edition].date
}

/**
 * Wording the original changed: the form before the change and after it.
 * @param edition - the edition whose form to pick
 * @param change - the change that replaced `before` by `after`
 */
export function changed<T>(edition: Edition, change: ChangeId, values: {before: T; after: T}): T {
  return inForce(edition, change) ? values.after : values.before
}

/** The providers msp declares (the original's `gen/<provider>` bindings). */
export type ProviderName = 'google' | 'google-beta' | 'random' | 'cloudflare' | 'sentry' | 'opsgenie' | 'slack' | 'nobl9' | 'postgresql' | 'tfe'

/** A provider's registry source and exact version, as CDKTF writes them into `required_providers`. */
export interface ProviderPin {
  source: string
  version: string
}

/**
 * The final pins: sourcegraph/managed-services-platform-cdktf `<name>.cdktf.yaml` at the commits the
 * final `go.mod` names, e2b1273f1c1a (2024-05-13) for every provider, f286e77e83e8 (2024-06-17) for
 * `postgresql` (the fork sourcegraph/sourcegraph#63092 needed for logical replication).
 */
const FINAL_PROVIDERS: Readonly<Record<ProviderName, ProviderPin>> = {
  google: {source: 'registry.terraform.io/hashicorp/google', version: '5.29.0'},
  'google-beta': {source: 'registry.terraform.io/hashicorp/google-beta', version: '5.29.0'},
  random: {source: 'registry.terraform.io/hashicorp/random', version: '3.5.1'},
  cloudflare: {source: 'registry.terraform.io/cloudflare/cloudflare', version: '4.12.0'},
  sentry: {source: 'registry.terraform.io/jianyuan/sentry', version: '0.12.3'},
  opsgenie: {source: 'registry.terraform.io/opsgenie/opsgenie', version: '0.6.35'},
  slack: {source: 'registry.terraform.io/pablovarela/slack', version: '1.2.2'},
  nobl9: {source: 'registry.terraform.io/nobl9/nobl9', version: '0.22.0'},
  postgresql: {source: 'registry.terraform.io/sourcegraph/postgresql', version: '1.23.0-sg.2'},
  tfe: {source: 'registry.terraform.io/hashicorp/tfe', version: '0.51.0'},
}

/**
 * The pins of 2024-05-01: the bindings commit 25e368a6 (2024-04-24) that sourcegraph/sourcegraph#62251
 * ("sg/msp: upgrade google/google_beta to v5.26.0", approved 2024-04-29) moved to.
 */
const PROVIDERS_BEFORE_BINDINGS_GOOGLE_529: Partial<Record<ProviderName, ProviderPin>> = {
  google: {source: 'registry.terraform.io/hashicorp/google', version: '5.26.0'},
  'google-beta': {source: 'registry.terraform.io/hashicorp/google-beta', version: '5.26.0'},
  sentry: {source: 'registry.terraform.io/jianyuan/sentry', version: '0.12.1'},
}
const PROVIDERS_BEFORE_POSTGRESQL_FORK: Partial<Record<ProviderName, ProviderPin>> = {
  postgresql: {source: 'registry.terraform.io/cyrilgdn/postgresql', version: '1.21.0'},
}

/** `required_providers` of one edition: every provider's source and exact version. */
export function providerPins(edition: Edition): Readonly<Record<ProviderName, ProviderPin>> {
  return {
    ...FINAL_PROVIDERS,
    ...(inForce(edition, 'bindingsGoogle529') ? {} : PROVIDERS_BEFORE_BINDINGS_GOOGLE_529),
    ...(inForce(edition, 'bindingsPostgresqlFork') ? {} : PROVIDERS_BEFORE_POSTGRESQL_FORK),
  }
}

/** A spec key the original renamed or removed. */
export interface RetiredKey {
  /** Dotted path with `*` for a list index: `environments.*.schedule.deadline`. */
  path: string
  /** The key that took its place, as a user would look for it. */
  replacement: string
  /** When and where the original changed it. */
  change: string
}

/** The spec keys each change retired (the original ignored them silently afterwards); `msp migrate` rewrites them. */
const RETIRED: readonly (RetiredKey & {by: ChangeId})[] = [
  {
    path: 'environments.*.schedule.deadline',
    replacement: 'deadlineSeconds (on the environment)',
    change: 'sourcegraph/sourcegraph#63017, 2024-05-31',
    by: 'jobDeadlineSeconds',
  },
  {
    path: 'monitoring.alerts.responseCodeRatios.*.duration',
    replacement: 'durationMinutes',
    change: `spec/monitoring.go, by ${CHANGES.responseCodeDurationMinutes.by}`,
    by: 'responseCodeDurationMinutes',
  },
]

/** The spec keys an edition no longer reads. */
export function retiredKeys(edition: Edition): RetiredKey[] {
  return RETIRED.filter((k) => inForce(edition, k.by)).map(({by: _by, ...key}) => key)
}

/** Every retired key of any edition, so a spec is scanned once whatever the edition. */
export function allRetiredKeys(): RetiredKey[] {
  return RETIRED.map(({by: _by, ...key}) => key)
}

const SUPPORT_LINE = 'If you need additional assistance, reach out to #discuss-core-services.'

/** The pages an alert footer points at (built by links/handbook.ts; this module holds only the wording). */
export interface FooterPages {
  /** The environment's section of the handbook page (`…/managed-services/<svc>#<env>`). */
  handbookEnvironment: string
  /** The Notion page, or the original's placeholder when the spec has none. */
  notionPage: string
}

/**
 * The documentation footer appended to every alert's description (alertpolicy.DescriptionSuffix):
 * before the change, the operations page of the Markdown handbook anchored at the environment.
 */
export const ALERT_FOOTER = {
  before: (pages: FooterPages, _envId: string) => `See ${pages.handbookEnvironment} for service and infrastructure access details.\n${SUPPORT_LINE}`,
  after: (pages: FooterPages, envId: string) =>
    `See ${pages.notionPage} -> **${envId}** for service and infrastructure access details for this environment.\n${SUPPORT_LINE}`,
}

/** The pending-requests alert's description; stacks/monitoring/service.go (final) has a double space. */
export const PENDING_REQUESTS_DESCRIPTION = {
  before: 'There are requests pending - we may need to increase Cloud Run instance count, request concurrency, or investigate further.',
  after: 'There are requests pending - we may need to increase  Cloud Run instance count, request concurrency, or investigate further.',
}

/** The verb of the uptime alert's description. */
export const UPTIME_VERB = {before: 'repond', after: 'respond'}

/**
 * A job's limits before sourcegraph/sourcegraph#63017 ("`schedule.deadline` is not actually applied to Cloud
 * Run jobs"): the job's `timeout` is always 300s and only the scheduler's `attempt_deadline` reads
 * `schedule.deadline`, default 320 (internal/stack/cloudrun/internal/builder/job/job.go @ 39080d74).
 */
export const JOB_LIMITS_BEFORE_DEADLINE_SECONDS = {timeoutSeconds: 300, schedulerDefaultSeconds: 320}

/** The Sentry "Notify in Slack" issue alert before sourcegraph/sourcegraph#62636: more than 0 events in 15m, every 15 minutes. */
export const SENTRY_ALERT = {
  before: {conditions: '[{"id":"sentry.rules.conditions.event_frequency.EventFrequencyCondition","value":0,"interval":"15m"}]', frequency: 15},
  after: {conditions: '[]', frequency: 60},
}

/** The `resolved_image_tag` variable's description: every deploy type read it before sourcegraph/sourcegraph#62704. */
export const IMAGE_TAG_VARIABLE_DESCRIPTION = {before: 'Resolved image tag to deploy', after: 'Image tag resolved from subscription to deploy'}

/** The alerts dashboard before sourcegraph/sourcegraph#63089 (stacks/monitoring/dashboard.go then). */
export const DASHBOARD_BEFORE_FINAL_LAYOUT = {
  title: (serviceId: string, envId: string) => `MSP Alerts - ${serviceId}-${envId}`,
  banner: (serviceId: string, handbookPage: string) =>
    `Auto-generated - Please do not edit\n\nFor more details see: [go/msp-ops/${serviceId}](${handbookPage})`,
}

/** Whether `value` names an edition. */
export function isEdition(value: string): value is Edition {
  return (EDITIONS as readonly string[]).includes(value)
}

/** `YYYY-MM-DD-HH-MM-<sha>`: the name of an sg release, as the lockfiles hold it. */
const RELEASE_NAME = /^(\d{4})-(\d{2})-(\d{2})-\d{2}-\d{2}-[0-9a-f]{7,40}$/

/** The outcome of mapping an sg release to an edition. */
export type ReleaseEdition = {edition: Edition} | {refused: string}

/** The release dates an edition reproduces: from its date up to the day before the next dated change. */
export function editionReleaseRange(edition: Edition): {from: string; until?: string} {
  const from = EDITION_INFO[edition].date
  const next = changesByDate().find(({change}) => change.date > from)
  return next ? {from, until: previousDay(next.change.date)} : {from}
}

function previousDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}

/**
 * The edition an sg release reproduces exactly: the one whose release range holds the release's date,
 * that is, every change of the original dated up to the release is in force in it and none after. A
 * release between two editions, or older than every edition, is refused with the reason, never given the
 * nearest edition.
 * @param release - an sg release name, `YYYY-MM-DD-HH-MM-<sha>`
 * @returns the edition or the refusal, or undefined when `release` is not a release name
 */
export function editionForRelease(release: string): ReleaseEdition | undefined {
  const m = RELEASE_NAME.exec(release)
  if (!m) return undefined
  const date = `${m[1]}-${m[2]}-${m[3]}`
  for (const edition of EDITIONS) {
    const {from, until} = editionReleaseRange(edition)
    if (from <= date && (until === undefined || date <= until)) return {edition}
  }
  if (date < EDITION_INFO[EDITIONS[0]].date)
    return {refused: `it is older than every edition msp reproduces (the oldest is ${EDITIONS[0]}, ${EDITION_INFO[EDITIONS[0]].date})`}
  const since = [...EDITIONS].reverse().find((e) => EDITION_INFO[e].date <= date)!
  const pending = changesByDate().filter(({change}) => change.date > EDITION_INFO[since].date && change.date <= date)
  // Name a few by pull request; the bracketed ones (no pull request stored) are only counted.
  const named = pending.flatMap(({change}) => /^sourcegraph\/sourcegraph(#\d+)$/.exec(change.source)?.[1]?.concat(` (${change.date})`) ?? []).slice(0, 3)
  return {
    refused:
      `up to its date the original made ${pending.length} changes that edition ${since} (${EDITION_INFO[since].date}) does not ` +
      `hold${named.length ? `, among them ${named.join(', ')}` : ''}, and no later edition starts before it`,
  }
}

/** One line per edition naming the release dates it reproduces, for errors and help. */
export function describeEditionRanges(): string {
  return EDITIONS.map((e) => {
    const {from, until} = editionReleaseRange(e)
    return `${e} (sg releases ${until === undefined ? `from ${from}` : from === until ? `of ${from}` : `${from} to ${until}`})`
  }).join(', ')
}
