/**
 * The few spec facts live-state code needs, typed structurally so that the spec engineer's zod types
 * (`Spec`, `Environment` from src/lib/spec/schema.ts) satisfy them without an import cycle or a copy.
 */
import type {Category} from '../links/entitle.js'

/** The region every MSP environment uses unless `locations.gcpRegion` says otherwise. */
export const DEFAULT_REGION = 'us-central1'

/** What live-state code reads from `service:` in service.yaml. */
export interface ServiceFacts {
  id: string
  kind?: string | null
}

/** What live-state code reads from one entry of `environments:` in service.yaml. */
export interface EnvironmentFacts {
  id: string
  projectID: string
  category: Category
  allowDestroys?: boolean | null
  locations?: {gcpRegion?: string | null} | null
}

/** A service spec as far as live-state code is concerned. */
export interface SpecFacts {
  service: ServiceFacts
  environments: readonly EnvironmentFacts[]
}

/** Where one environment's Cloud Run workload lives. */
export interface CloudRunTarget {
  envId: string
  projectId: string
  region: string
  category: Category
  kind: 'service' | 'job'
  /** Cloud Run resource id, `<service>-<env>-<region>` as the cloudrun stack names it. */
  name: string
  /** Full resource name, `projects/<p>/locations/<region>/{services,jobs}/<name>`. */
  resourceName: string
}

/**
 * Locates the Cloud Run service (or job) of one environment: its project, region and resource name.
 * @param service - the spec's `service` block
 * @param env - one environment of the spec
 */
export function cloudRunTarget(service: ServiceFacts, env: EnvironmentFacts): CloudRunTarget {
  const region = env.locations?.gcpRegion || DEFAULT_REGION
  const kind = service.kind === 'job' ? 'job' : 'service'
  const name = `${service.id}-${env.id}-${region}`
  return {
    envId: env.id,
    projectId: env.projectID,
    region,
    category: env.category,
    kind,
    name,
    resourceName: `projects/${env.projectID}/locations/${region}/${kind === 'job' ? 'jobs' : 'services'}/${name}`,
  }
}
