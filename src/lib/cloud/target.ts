/**
 * Where live-state code finds an environment's Cloud Run workload. The spec facts it reads are
 * `Pick`s of the zod types, and the names come from spec/derived.ts; both imports are light, so
 * `msp status` / `msp tfc sync` still do not load the Terraform model.
 */
import {cloudRunName, environmentRegion, serviceKind} from '../spec/derived.js'
import type {Category, Environment, ServiceKind, ServiceSection} from '../spec/schema.js'

/** What live-state code reads from `service:` in service.yaml. */
export type ServiceFacts = Pick<ServiceSection, 'id' | 'kind'>

/** What live-state code reads from one entry of `environments:` in service.yaml. */
export type EnvironmentFacts = Pick<Environment, 'id' | 'projectID' | 'category' | 'allowDestroys' | 'locations'>

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
  kind: ServiceKind
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
  const region = environmentRegion(env)
  const kind = serviceKind({service})
  const name = cloudRunName({service}, env)
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
