/**
 * The parts of a service spec the stacks read, as structural types keyed by the YAML names.
 *
 * Why a view and not the zod types directly: the spec module (`src/lib/spec/schema.ts`) is written
 * in parallel; these interfaces only *read* the validated spec, every field is optional or wide
 * (`string` rather than a literal union), so the real `Spec`/`Environment` types are assignable to
 * them and callers pass whatever `loadService` returns. Defaults are applied in the stacks, never here.
 */

export interface SpecView {
  service: ServiceView
  build?: BuildView
  environments?: readonly EnvironmentView[]
  monitoring?: MonitoringView | null
  rollout?: RolloutView | null
}

export interface ServiceView {
  id: string
  name?: string | null
  owners?: readonly string[] | null
  description?: string | null
  kind?: string | null
  protocol?: string | null
  notionPageID?: string | null
  iam?: {
    services?: readonly string[] | null
    roles?: readonly string[] | null
    permissions?: readonly string[] | null
  } | null
}

export interface BuildView {
  image?: string | null
  source?: {repo?: string | null; dir?: string | null} | null
}

export interface EnvironmentView {
  id: string
  projectID: string
  category: string
  deploy?: {
    type?: string | null
    manual?: {tag?: string | null} | null
    subscription?: {tag?: string | null} | null
  } | null
  locations?: {gcpRegion?: string | null; gcpLocation?: string | null} | null
  instances?: {
    resources?: {cpu?: number | null; memory?: string | null; cloudRunGeneration?: number | null} | null
    scaling?: {minCount?: number | null; maxCount?: number | null; maxRequestConcurrency?: number | null} | null
  } | null
  env?: Readonly<Record<string, string>> | null
  secretEnv?: Readonly<Record<string, string>> | null
  secretVolumes?: Readonly<Record<string, {mountPath: string; secret: string}>> | null
  resources?: {
    redis?: {memoryGB?: number | null; highAvailability?: boolean | null} | null
    postgreSQL?: {
      databases?: readonly string[] | null
      cpu?: number | null
      memoryGB?: number | null
      maxConnections?: number | null
      highAvailability?: boolean | null
    } | null
    bigQueryDataset?: {
      tables?: readonly string[] | null
      datasetID?: string | null
      projectID?: string | null
    } | null
  } | null
  alerting?: {opsgenie?: boolean | null} | null
  allowDestroys?: boolean | null
  domain?: {
    type?: string | null
    cloudflare?: {subdomain?: string | null; zone?: string | null; proxied?: boolean | null} | null
    networking?: {loadBalancerLogging?: boolean | null} | null
  } | null
  healthProbes?: {
    healthzProbes?: boolean | null
    timeout?: number | null
    startupInterval?: number | null
    livenessInterval?: number | null
  } | null
  authentication?: {sourcegraph?: boolean | null} | null
  schedule?: {cron?: string | null} | null
  deadlineSeconds?: number | null
}

export interface ResponseCodeRatioView {
  id: string
  name: string
  description?: string | null
  code?: number | null
  codeClass?: string | null
  excludeCodes?: readonly string[] | null
  ratio: number
  durationMinutes?: number | null
  /** Older (May 2024) form: a Go duration such as `"120s"`. */
  duration?: string | null
}

export interface MonitoringView {
  alerts?: {
    responseCodeRatios?: readonly ResponseCodeRatioView[] | null
  } | null
}

export interface RolloutView {
  stages?: readonly {environment: string}[] | null
  suspended?: boolean | null
  serviceAccount?: string | null
  initialImageTag?: string | null
}
