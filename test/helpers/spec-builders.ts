/**
 * Typed test data for service specs. Every builder starts from a valid spec and runs it through the
 * real zod schema, so tests get the same defaults (`kind`, `allowDestroys`, `monitoring`, …) the
 * loader would give them and cannot drift from the production types.
 */
import {EnvironmentSchema, SpecSchema, type Environment, type Spec, type SpecInput} from '../../src/lib/spec/schema.js'

/** `service:` as written in service.yaml (before defaults). */
export type ServiceSectionInput = SpecInput['service']
/** One entry of `environments:` as written in service.yaml (before defaults). */
export type EnvironmentInput = NonNullable<SpecInput['environments']>[number]

/** The smallest valid `service:` block; tests override what they care about. */
export const BASE_SERVICE: ServiceSectionInput = {id: 'svc', owners: ['team'], description: 'A test service.'}

/** The smallest valid environment; tests override what they care about. */
export const BASE_ENVIRONMENT: EnvironmentInput = {
  id: 'dev',
  projectID: 'svc-dev-1234',
  category: 'test',
  deploy: {type: 'manual'},
  instances: {resources: {cpu: 1, memory: '512Mi'}},
}

/**
 * A parsed environment: {@link BASE_ENVIRONMENT} with `overrides` on top (top-level keys replace).
 * @param overrides - the keys the test cares about
 */
export function testEnvironment(overrides: Partial<EnvironmentInput> = {}): Environment {
  return EnvironmentSchema.parse({...BASE_ENVIRONMENT, ...overrides})
}

/** What {@link testSpec} accepts: any spec keys, with `service` and each environment partial. */
export interface TestSpecOverrides extends Omit<Partial<SpecInput>, 'service' | 'environments'> {
  service?: Partial<ServiceSectionInput>
  environments?: Partial<EnvironmentInput>[]
}

/**
 * A parsed spec: {@link BASE_SERVICE} with `overrides.service` on top, each environment built like
 * {@link testEnvironment}, and every other key as given.
 * @param overrides - the keys the test cares about
 */
export function testSpec(overrides: TestSpecOverrides = {}): Spec {
  const {service, environments = [], ...rest} = overrides
  return SpecSchema.parse({
    ...rest,
    service: {...BASE_SERVICE, ...service},
    environments: environments.map((env) => ({...BASE_ENVIRONMENT, ...env})),
  })
}
