/**
 * The original's changes that msp reproduces per edition, oldest first. Each names the pull request of
 * sourcegraph/sourcegraph (or the stored file version) it was read from, the day it could first reach a
 * release, and what it changed. An edition is a date: a change is in force in an edition when its day is
 * not later than the edition's (see editions.ts), and every edition-dependent branch of the stacks asks
 * about exactly one change by name.
 *
 * Days: a pull request's opening day (its merge day is not stored), so a release between a pull request's
 * opening and its merge is not told apart. A change only bracketed by stored versions (the 2024-05-01
 * operations pages show the old form, the final stored source the new one) carries the first day after
 * the old form was seen and `by`, the day by which the new form is certain.
 */

/** One change of the original. */
export interface OriginalChange {
  /** The pull request (`sourcegraph/sourcegraph#N`) or the stored file versions it was read from. */
  readonly source: string
  /** `YYYY-MM-DD`: the first day a release can hold it. */
  readonly date: string
  /** `YYYY-MM-DD`, for a change only bracketed by stored versions: the day by which it is certainly in. */
  readonly by?: string
  /** What it changed in the generated Terraform or the spec it reads. */
  readonly what: string
}

/** After the 2024-05-01 operations pages (which show the old form), by the final stored source. */
const BRACKETED = {date: '2024-05-02', by: '2024-08-15'} as const

export const CHANGES = {
  jobExecutionEnv: {
    source: 'sourcegraph/sourcegraph#62508',
    date: '2024-05-07',
    what: 'scheduled Cloud Run jobs get the JOB_EXECUTION_CRON_SCHEDULE and JOB_EXECUTION_DEADLINE variables',
  },
  cloudDeployNotifications: {
    source: 'sourcegraph/sourcegraph#62596',
    date: '2024-05-10',
    what: 'Cloud Deploy notifications: the Pub/Sub API, the clouddeploy-operations topic and push subscription, the rollouts bot in the alerts channel',
  },
  bindingsGoogle529: {
    source: 'sourcegraph/managed-services-platform-cdktf e2b1273f (go.mod pseudo-version of 2024-05-13)',
    date: '2024-05-13',
    what: 'provider pins google/google-beta 5.29.0 (from 5.26.0) and sentry 0.12.3 (from 0.12.1)',
  },
  cloudDeployTargets: {
    source: 'sourcegraph/sourcegraph#62644',
    date: '2024-05-13',
    what: 'Cloud Deploy targets in Terraform (google_clouddeploy_target); before, applied by hand with gcloud deploy apply (#61366, #62109)',
  },
  sentryAlertHourly: {
    source: 'sourcegraph/sourcegraph#62636',
    date: '2024-05-13',
    what: 'the Sentry "Notify in Slack" issue alert has no conditions and fires at most hourly (before: more than 0 events in 15m, every 15 minutes)',
  },
  imageTagSubscriptionOnly: {
    source: 'sourcegraph/sourcegraph#62704',
    date: '2024-05-15',
    what: 'only subscription environments read their image tag from terraform.tfvars; the image_tag stack local is gone',
  },
  customAlerts: {
    source: 'sourcegraph/sourcegraph#62885',
    date: '2024-05-23',
    what: 'monitoring.alerts.customAlerts become monitoring-custom-* alert policies',
  },
  jobDeadlineSeconds: {
    source: 'sourcegraph/sourcegraph#63017',
    date: '2024-05-31',
    what: "a job's timeout and its scheduler's attempt_deadline both come from deadlineSeconds (default 300); schedule.deadline is retired",
  },
  dashboardFinalLayout: {
    source: 'sourcegraph/sourcegraph#63089',
    date: '2024-06-04',
    what: 'the alerts dashboard of stacks/monitoring/dashboard.go: charts before their group tile, the Notion banner, no project',
  },
  logicalReplication: {
    source: 'sourcegraph/sourcegraph#63092',
    date: '2024-06-05',
    what: 'logical replication: aliased admin, workload-user and replication-user postgresql providers, the replication user, publications and Datastream',
  },
  bindingsPostgresqlFork: {
    source: 'sourcegraph/managed-services-platform-cdktf f286e77e (go.mod pseudo-version of 2024-06-17)',
    date: '2024-06-17',
    what: 'the postgresql provider is the sourcegraph/postgresql fork 1.23.0-sg.2 (from cyrilgdn/postgresql 1.21.0)',
  },
  jobAbsenceCap: {
    source: 'sourcegraph/sourcegraph#64502',
    date: '2024-08-15',
    what: 'no job-absence alert when its window reaches 23h30m',
  },
  responseCodeTitleSpecName: {
    source: 'stored versions of stacks/monitoring/response_codes.go; the 2024-05-01 pages title them "High Ratio of <name> Responses"',
    ...BRACKETED,
    what: "a response-code alert is titled with the spec's name alone",
  },
  uptimeRespondSpelling: {
    source: 'stacks/monitoring/service.go @ 1a6dc442 ("repond") and @ e42b4348 ("respond")',
    ...BRACKETED,
    what: 'the uptime alert says "failing to respond" (before: "repond")',
  },
  pendingRequestsWording: {
    source: 'stacks/monitoring/service.go @ e42b4348 (double space); the 2024-05-01 pages have one space',
    ...BRACKETED,
    what: 'the pending-requests description reads "increase  Cloud Run" with two spaces',
  },
  instanceCountEffectiveMax: {
    source: 'stored versions of stacks/monitoring/monitoring.go; the 2024-05-01 pages list the alert only for an explicit maxCount ≥ 5 (#59994)',
    ...BRACKETED,
    what: 'the instance-count alert takes the effective maximum (5 when scaling sets none)',
  },
  alertFooterNotion: {
    source: 'stored versions of internal/resource/alertpolicy/alertpolicy.go (DescriptionSuffix)',
    ...BRACKETED,
    what: 'the alert footer points at the Notion page ("See <page> -> **<env>**") instead of the handbook page anchor',
  },
  opsgenieDefaultProduction: {
    source: 'spec ShouldEnableOpsgenie (final stored source); the 2024-05-01 pages page no Opsgenie without alerting.opsgenie',
    ...BRACKETED,
    what: 'critical alerts page Opsgenie by default for internal and external environments',
  },
  responseCodeDurationMinutes: {
    source: 'spec/monitoring.go (final stored source)',
    ...BRACKETED,
    what: 'responseCodeRatios[].duration is retired: only durationMinutes sets the window (default 60s when unset)',
  },
} as const satisfies Record<string, OriginalChange>

/** The name of one change. */
export type ChangeId = keyof typeof CHANGES

/** The changes, oldest first. */
export function changesByDate(): {id: ChangeId; change: OriginalChange}[] {
  return (Object.keys(CHANGES) as ChangeId[])
    .map((id) => ({id, change: CHANGES[id] as OriginalChange}))
    .sort((a, b) => (a.change.date < b.change.date ? -1 : a.change.date > b.change.date ? 1 : 0))
}
