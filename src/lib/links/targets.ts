// Its own module so that shell completion (the start-up fast path) can name the targets without
// loading the link builders.

/** Every target name `msp open` knows, in display order (an environment has a subset of them). */
export const OPEN_TARGETS = [
  'run',
  'logs',
  'traces',
  'alerts',
  'dashboards',
  'sentry',
  'slack',
  'redis',
  'postgres',
  'bigquery',
  'domain',
  'tfc',
  'entitle-read',
  'entitle-write',
  'spec',
] as const
