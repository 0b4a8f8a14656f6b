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
     * When a service gets the instance-count alert: `explicit-5-or-more` needs an explicit
     * `scaling.maxCount` ≥ 5 (stacks/monitoring/service.go after #59994, 2024-01-30);
     * `effective-5-or-more` takes the effective maximum (5 when `scaling` sets none) and needs ≥ 5.
     */
    instanceCount: 'explicit-5-or-more' | 'effective-5-or-more'
    /** Whether the job-absence alert is left out when its window reaches GCP's 23h30m limit (#64502, 2024-08-15). */
    jobAbsenceCap: boolean
    /** Whether `monitoring.alerts.customAlerts` become `monitoring-custom-*` policies. */
    customAlerts: boolean
    /** The pending-requests description (the final code has a double space after "increase"). */
    pendingRequestsDescription: string
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
  /** `required_providers`: every provider's source and exact version. */
  providers: Readonly<Record<ProviderName, ProviderPin>>
  /** Spec keys this edition no longer reads (the original ignored them silently); `msp migrate` rewrites them. */
  retiredKeys: readonly RetiredKey[]
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
 * ("sg/msp: upgrade google/google_beta to v5.26.0", approved 2024-04-29) moved to. Sentry 0.12.3 and
 * google 5.29.0 came with e2b1273f (2024-05-13), the postgresql fork with #63092 (2024-06-05).
 */
const MAY_2024_PROVIDERS: Readonly<Record<ProviderName, ProviderPin>> = {
  ...FINAL_PROVIDERS,
  google: {source: 'registry.terraform.io/hashicorp/google', version: '5.26.0'},
  'google-beta': {source: 'registry.terraform.io/hashicorp/google-beta', version: '5.26.0'},
  sentry: {source: 'registry.terraform.io/jianyuan/sentry', version: '0.12.1'},
  postgresql: {source: 'registry.terraform.io/cyrilgdn/postgresql', version: '1.21.0'},
}

/**
 * Parts of the resource set that differ between releases, each named after the change of the original
 * (sourcegraph/sourcegraph pull requests, dated by their opening) that brought it.
 */
export interface EditionResources {
  /**
   * #63092 (2024-06-05) "allow enablement of logical replication features for Datastream": the
   * `logicalReplication` publications, replication slots and Datastream connection; the Datastream
   * API and account; the admin, workload-user and replication-user `postgresql` providers with the
   * replication user and the TFC robot's impersonation of the workload account; grants that wait for
   * their databases. Before it, one unaliased `postgresql` provider logged in as the admin user
   * (internal/resource/postgresqlroles/postgresqlroles.go @ 2411401c).
   */
  logicalReplication: boolean
  /** `monitoring.nobl9`: the Nobl9 trial (stacks/monitoring/nobl9.go): a reader service account and key, a Nobl9 project, GCM data source and service (no SLOs). */
  nobl9: boolean
  /**
   * #62596 (2024-05-10) "add cloud deploy pubsub notifications": the Pub/Sub API, the
   * `clouddeploy-operations` topic and its push subscription to the relay endpoint, and the rollouts
   * bot as a permanent member of the environment's alerts channel.
   */
  cloudDeployNotifications: boolean
  /**
   * Cloud Deploy targets in Terraform (internal/resource/deliverypipeline, June 2024). Before, the
   * pipeline's targets were applied by hand with `gcloud deploy apply` (#61366, #62109).
   */
  cloudDeployTargets: boolean
  /**
   * The `resolved_image_tag` variable. `every-deploy-type`: every environment reads its tag from
   * `terraform.tfvars` ("Resolved image tag to deploy") and the cloudrun stack exports it as the
   * `image_tag` stack local; `subscription`: only subscription environments (#62704, 2024-05-15).
   */
  imageTagVariable: 'every-deploy-type' | 'subscription'
  /**
   * Whether values the original hands from one stack to another as CDKTF tokens (managedservicesplatform.go:
   * the project id, the iam stack's service accounts, the cloudrun stack's diagnostics secret, Redis and
   * Cloud SQL instance ids and Sentry project) are read through `terraform_remote_state` from the
   * producer's `cross-stack-output-*` outputs, as CDKTF wires them. When false, msp writes the values it
   * knows at generate time literally. The original wired them so before and after May 2024: the stored
   * managedservicesplatform.go @ 05e351fe passes the project id as a token; the Jan-2024
   * internal/stack/cloudrun/cloudrun.go takes the iam stack's `CloudRunWorkloadServiceAccount` output,
   * the Jan-2024 monitoring.go the cloudrun stack's Sentry project, Redis instance id and diagnostics
   * secret; the mid-May stacks/cloudrun/cloudrun.go @ 008f43c5 reads `vars.IAM.*` accounts.
   */
  crossStackTokens: boolean
  /**
   * The monitoring stack before the changes of May–June 2024: the Sentry issue alert fires when an
   * issue is seen more than 0 times in 15m, at most every 15 minutes (#62636, 2024-05-13, made it
   * condition-less and hourly); the alerts channel's topic has no final period or handbook link;
   * the dashboard is `MSP Alerts - <svc>-<env>` with a go/msp-ops banner and plainly sorted groups
   * (stacks/monitoring/dashboard.go before #63089, 2024-06-04); the job-absence alert has no 23h30m
   * cap (#64502, 2024-08-15). `false` is the final code.
   */
  may2024Monitoring: boolean
  /**
   * Attribute forms of the cloudrun stack before mid-2024: the Sentry key's name has the
   * original's typo ("Managed Servcies Platform"), and Cloud SQL's `ip_configuration` sets
   * `require_ssl` without `ssl_mode` or `enable_private_path_for_google_cloud_services`
   * (internal/resource/cloudsql/cloudsql.go before the final version).
   */
  may2024Cloudrun: boolean
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
      instanceCount: 'explicit-5-or-more',
      jobAbsenceCap: false,
      customAlerts: false,
      pendingRequestsDescription: PENDING_REQUESTS.replace('increase  ', 'increase '),
      responseCodeDurationString: true,
      dashboard: 'msp-2024-05',
      // The operations page of the Markdown handbook, anchored at the environment.
      footer: (service, envId) => `See ${HANDBOOK_PAGES}/${service.id}#${envId} for service and infrastructure access details.\n${SUPPORT_LINE}`,
    },
    jobTimeout: 'fixed-300',
    opsgenieDefault: 'off',
    resources: {
      logicalReplication: false,
      // Nobl9: sourcegraph/sourcegraph#60020 "sg/msp: Add Nobl9 project creation" (2024-01-31); the
      // stored stacks/monitoring/monitoring.go of before 2024-02-12 already calls createNobl9Project when
      // `monitoring.nobl9` is set, and nobl9.go has one stored version, the final one.
      nobl9: true,
      cloudDeployNotifications: false,
      cloudDeployTargets: false,
      imageTagVariable: 'every-deploy-type',
      crossStackTokens: true,
      may2024Monitoring: true,
      may2024Cloudrun: true,
    },
    providers: MAY_2024_PROVIDERS,
    retiredKeys: [],
  },
  '2024-08': {
    since: '2024-08-01',
    summary: 'the final public version of sg msp',
    alerts: {
      responseCodeTitle: 'spec-name',
      uptimeVerb: 'respond',
      instanceCount: 'effective-5-or-more',
      jobAbsenceCap: true,
      customAlerts: true,
      pendingRequestsDescription: PENDING_REQUESTS,
      responseCodeDurationString: false,
      dashboard: 'final',
      // alertpolicy.DescriptionSuffix with spec.GetHandbookPageURL: the Notion page, or a placeholder.
      footer: (service, envId) =>
        `See ${notionPageOrPlaceholder(service)} -> **${envId}** for service and infrastructure access details for this environment.\n${SUPPORT_LINE}`,
    },
    jobTimeout: 'deadline-seconds',
    opsgenieDefault: 'production',
    resources: {
      logicalReplication: true,
      nobl9: true,
      cloudDeployNotifications: true,
      cloudDeployTargets: true,
      imageTagVariable: 'subscription',
      crossStackTokens: true,
      may2024Monitoring: false,
      may2024Cloudrun: false,
    },
    providers: FINAL_PROVIDERS,
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
