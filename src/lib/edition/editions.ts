/**
 * Editions: which release of the original `sg msp` msp reproduces. The original changed what it
 * generated over time and repositories pinned its releases (`sg-msp[-<category>].lock`), so one
 * repository can hold Terraform from different releases. An edition is the behaviour of one release,
 * reproduced exactly; every fact that differs between editions lives in {@link EDITION_FACTS},
 * keyed by edition, and the edition is an explicit input of every model (never a global), so the
 * pages and the Terraform of one run always come from one edition.
 *
 * This module is pure data at the bottom of the layering: spec, stacks, handbook and generate all
 * read it; it imports nothing.
 */

/** The reproduced releases, oldest first. */
export const EDITIONS = ['2024-05', '2024-08'] as const

export type Edition = (typeof EDITIONS)[number]

/** The final public version of the original. */
export const DEFAULT_EDITION: Edition = '2024-08'

/** How a response-code-ratio alert is titled. */
export type ResponseCodeTitle = 'high-ratio-of' | 'spec-name'

/** Everything that differs between editions. */
export interface EditionFacts {
  /** First release date (UTC, `YYYY-MM-DD`) an sg release name maps to this edition from. */
  since: string
  /** One line for `--help` and the README. */
  summary: string
  alerts: {
    /** `high-ratio-of`: "High Ratio of <name> Responses" (May 2024); `spec-name`: the spec's `name` alone. */
    responseCodeTitle: ResponseCodeTitle
    /** The verb of the uptime-check description ("repond" is the May-2024 typo). */
    uptimeVerb: 'repond' | 'respond'
    /**
     * When a service gets the instance-count alert: `explicit-above-5` needs `scaling.maxCount` > 5;
     * `effective-5-or-more` takes the effective maximum (5 when `scaling` sets none) and needs ≥ 5.
     */
    instanceCount: 'explicit-above-5' | 'effective-5-or-more'
    /** Whether `monitoring.alerts.customAlerts` become `monitoring-custom-*` policies. */
    customAlerts: boolean
    /** The pending-requests description (the final code has a double space after "increase"). */
    pendingRequestsDescription: string
    /**
     * The response-code MQL: `one-line-groups` keeps each `group_by` on one line, no final newline;
     * `final-builder` is the final `responseCodeMQLBuilder` (the aggregate on its own line, a final newline).
     */
    responseCodeQuery: 'one-line-groups' | 'final-builder'
    /** Whether a response-code alert carries `resource_kind` (the final code sets it only on threshold and absence alerts). */
    responseCodeResourceKind: boolean
    /** Whether the May-2024 `responseCodeRatios[].duration` string still sets the window (final: only `durationMinutes`). */
    responseCodeDurationString: boolean
    /**
     * The alerts dashboard: `msp-2024-05` is the layout msp wrote before editions (groups sorted, each
     * group's tile before its charts, charts by resource name); `final` is stacks/monitoring/dashboard.go
     * (charts in creation order before their group tile, the Notion banner, no `project`).
     */
    dashboard: 'msp-2024-05' | 'final'
    /** The documentation footer appended to every alert's description (the `alert_description_suffix`). */
    footer: (service: {id: string; notionPageID?: string | undefined}, envId: string) => string
  }
  /**
   * A Cloud Run job's limits. `fixed-300`: the job's `timeout` is always `300s` and only the scheduler's
   * `attempt_deadline` reads `schedule.deadline` (default 320); this is the bug sourcegraph/sourcegraph#63017
   * (2024-05-31) fixed ("`schedule.deadline` is not actually applied to Cloud Run jobs"), seen in
   * internal/stack/cloudrun/internal/builder/job/job.go @ 39080d74. `deadline-seconds`: both come from the
   * environment's `deadlineSeconds` (default 300), stacks/cloudrun/internal/builder/job/job.go (final).
   */
  jobTimeout: 'fixed-300' | 'deadline-seconds'
  /** Whether Opsgenie pages when `alerting.opsgenie` is unset: never, or for internal/external categories. */
  opsgenieDefault: 'off' | 'production'
  /**
   * Which parts of the original's resource set this release created; each flag names the change of
   * the original that introduced it. A part the flag turns off is left out of the Terraform entirely.
   */
  resources: EditionResources
  /** Spec keys this edition no longer reads (the original ignored them silently); `msp migrate` rewrites them. */
  retiredKeys: readonly RetiredKey[]
}

/** Resource groups that exist in some editions only (see {@link EditionFacts.resources}). */
export interface EditionResources {
  /** `postgreSQL.logicalReplication.publications`: publications, replication slots and the Datastream connection profile. */
  logicalReplication: boolean
  /** `monitoring.nobl9`: the Nobl9 trial (stacks/monitoring/nobl9.go): a reader service account and key, a Nobl9 project, GCM data source and service (no SLOs). */
  nobl9: boolean
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

/** Every retired key of any edition, so a spec is scanned once whatever the edition. */
export function allRetiredKeys(): RetiredKey[] {
  const byPath = new Map<string, RetiredKey>()
  for (const e of EDITIONS) for (const k of EDITION_FACTS[e].retiredKeys) byPath.set(k.path, k)
  return [...byPath.values()]
}

const HANDBOOK_PAGES = 'https://handbook.sourcegraph.com/departments/engineering/managed-services'

/** spec.GetHandbookPageURL (final): the Notion page, or a placeholder naming the missing key. */
export function notionPageOrPlaceholder(service: {id: string; notionPageID?: string | undefined}): string {
  return service.notionPageID === undefined
    ? `<${service.id} service spec does not have a notionPageID configured for generated docs>`
    : `https://sourcegraph.notion.site/${service.notionPageID}`
}

/** stacks/monitoring/service.go (final), double space included. */
const PENDING_REQUESTS = 'There are requests pending - we may need to increase  Cloud Run instance count, request concurrency, or investigate further.'

const SUPPORT_LINE = 'If you need additional assistance, reach out to #discuss-core-services.'

const RETIRED_BY_2024_08: readonly RetiredKey[] = [
  {path: 'environments.*.schedule.deadline', replacement: 'deadlineSeconds (on the environment)', change: 'sourcegraph/sourcegraph#63017, 2024-05-31'},
  {path: 'monitoring.alerts.responseCodeRatios.*.duration', replacement: 'durationMinutes', change: 'spec/monitoring.go, by 2024-08'},
]

export const EDITION_FACTS: Readonly<Record<Edition, EditionFacts>> = {
  '2024-05': {
    since: '2024-05-01',
    summary: 'the release that published the May-2024 operations handbook pages',
    alerts: {
      responseCodeTitle: 'high-ratio-of',
      uptimeVerb: 'repond',
      instanceCount: 'explicit-above-5',
      customAlerts: false,
      pendingRequestsDescription: PENDING_REQUESTS.replace('increase  ', 'increase '),
      responseCodeQuery: 'one-line-groups',
      responseCodeResourceKind: true,
      responseCodeDurationString: true,
      dashboard: 'msp-2024-05',
      // The operations page of the Markdown handbook, anchored at the environment.
      footer: (service, envId) => `See ${HANDBOOK_PAGES}/${service.id}#${envId} for service and infrastructure access details.\n${SUPPORT_LINE}`,
    },
    jobTimeout: 'fixed-300',
    opsgenieDefault: 'off',
    // Nobl9: sourcegraph/sourcegraph#60020 "sg/msp: Add Nobl9 project creation" (2024-01-31); the
    // stored stacks/monitoring/monitoring.go of before 2024-02-12 already calls createNobl9Project when
    // `monitoring.nobl9` is set, and nobl9.go has one stored version, the final one.
    resources: {logicalReplication: false, nobl9: true},
    retiredKeys: [],
  },
  '2024-08': {
    since: '2024-08-01',
    summary: 'the final public version of sg msp',
    alerts: {
      responseCodeTitle: 'spec-name',
      uptimeVerb: 'respond',
      instanceCount: 'effective-5-or-more',
      customAlerts: true,
      pendingRequestsDescription: PENDING_REQUESTS,
      responseCodeQuery: 'final-builder',
      responseCodeResourceKind: false,
      responseCodeDurationString: false,
      dashboard: 'final',
      // alertpolicy.DescriptionSuffix with spec.GetHandbookPageURL: the Notion page, or a placeholder.
      footer: (service, envId) =>
        `See ${notionPageOrPlaceholder(service)} -> **${envId}** for service and infrastructure access details for this environment.\n${SUPPORT_LINE}`,
    },
    jobTimeout: 'deadline-seconds',
    opsgenieDefault: 'production',
    resources: {logicalReplication: true, nobl9: true},
    retiredKeys: RETIRED_BY_2024_08,
  },
}

/** Whether `value` names an edition. */
export function isEdition(value: string): value is Edition {
  return (EDITIONS as readonly string[]).includes(value)
}

/** `YYYY-MM-DD-HH-MM-<sha>`: the name of an sg release, as the lockfiles hold it. */
const RELEASE_NAME = /^(\d{4})-(\d{2})-(\d{2})-\d{2}-\d{2}-[0-9a-f]{7,40}$/

/**
 * The edition an sg release reproduces: the newest edition whose first release is not later than
 * the release's date; a release older than every edition gets the oldest one (the nearest).
 * @param release - an sg release name, `YYYY-MM-DD-HH-MM-<sha>`
 * @returns the edition, or undefined when `release` is not a release name
 */
export function editionForRelease(release: string): Edition | undefined {
  const m = RELEASE_NAME.exec(release)
  if (!m) return undefined
  const date = `${m[1]}-${m[2]}-${m[3]}`
  let chosen: Edition = EDITIONS[0]
  for (const e of EDITIONS) if (EDITION_FACTS[e].since <= date) chosen = e
  return chosen
}
