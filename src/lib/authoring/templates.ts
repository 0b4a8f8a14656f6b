/**
 * The texts `msp init` and `msp init-env` write. They follow the original's templates (same keys, same
 * defaults, a TODO comment on every value the owner must revisit) with two deliberate changes: a job's
 * deadline is the final spec's `deadlineSeconds` (the original still wrote the removed
 * `schedule.deadline`), and a new environment is complete enough to pass `msp validate`.
 */

import type {ServiceKind} from '../spec/schema.js'

/** Where the JSON Schema the specs' modeline names lives, relative to the repository root. */
export const SCHEMA_FILE = 'schema/service.schema.json'

/** The editor hint on the first line of every new spec, resolved from `services/<id>/service.yaml`. */
export const SCHEMA_COMMENT = `# yaml-language-server: $schema=../../${SCHEMA_FILE}`

/**
 * The default display name for a service id: dashes and underscores become spaces, words Title-Cased.
 * @param id - the service id, e.g. `msp-example` (→ `Msp Example`)
 */
export function defaultServiceName(id: string): string {
  return id
    .split(/[-_]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ')
}

// Words YAML 1.1/1.2 would read as something other than a string when left unquoted.
const NON_STRING_PLAIN = /^(?:~|null|true|false|yes|no|on|off|y|n|[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:e[-+]?\d+)?|[-+]?\.(?:inf)|\.nan|0x[0-9a-f]+|0o[0-7]+)$/i

/**
 * Renders a string as a YAML scalar: plain when that reads back as the same string, double-quoted otherwise.
 * @param value - any string typed by a user (a name, a team)
 */
export function yamlString(value: string): string {
  const plainSafe = /^[A-Za-z0-9_./][A-Za-z0-9 _./()'-]*$/.test(value) && !value.endsWith(' ') && !NON_STRING_PLAIN.test(value)
  return plainSafe ? value : JSON.stringify(value)
}

/**
 * The Cloudflare zone of a new service's first environment: `sgdev.org` for dev, `sourcegraph.com` otherwise.
 * @param envId - the first environment's id
 */
export function templateZone(envId: string): string {
  return envId === 'dev' ? 'sgdev.org' : 'sourcegraph.com'
}

/** Inputs of a new environment entry. */
export interface EnvironmentTemplateOptions {
  serviceId: string
  kind: ServiceKind
  envId: string
  projectId: string
}

const CATEGORY_COMMENT = [
  "# TODO: New environments start in 'test', where the project is easy to reach while you set it up.",
  "# Change this to 'internal' or 'external' when you are done (both also need service.notionPageID).",
]

const DEPLOY_LINES = ['deploy:', '  type: manual', '  manual:', '    tag: insiders']

const RESOURCES_LINES = ['  resources:', '    cpu: 1', '    memory: 1Gi']

/**
 * The lines of the first environment of a new spec (unindented; the first line is the one after `- `).
 * @param options - service id and kind, environment id and its project id
 */
export function firstEnvironmentLines(options: EnvironmentTemplateOptions): string[] {
  const {serviceId, kind, envId, projectId} = options
  const lines = [`id: ${envId}`, `projectID: ${projectId}`, ...CATEGORY_COMMENT, 'category: test', '# How new images reach this environment.', ...DEPLOY_LINES]
  if (kind === 'service') {
    lines.push(
      '# The public address of the service.',
      'domain:',
      '  type: cloudflare',
      '  cloudflare:',
      `    subdomain: ${serviceId}`,
      `    zone: ${templateZone(envId)}`,
    )
  } else {
    lines.push('# When the job runs (cron syntax, UTC) and how long one run may take.', 'schedule:', '  cron: 0 * * * *', 'deadlineSeconds: 600 # 10 minutes')
  }
  lines.push('# Plain environment variables the workload needs.', 'env:', '  SRC_LOG_LEVEL: info', '  SRC_LOG_FORMAT: json_gcp')
  if (kind === 'service') {
    lines.push('# Size and scaling of the Cloud Run instances.', 'instances:', ...RESOURCES_LINES, '  scaling:', '    maxCount: 3', '    minCount: 1')
    lines.push('healthProbes:', '  # Turn this on only once the service implements the MSP /-/healthz conventions.', '  healthzProbes: false')
  } else {
    lines.push('# Resources of each run of the job.', 'instances:', ...RESOURCES_LINES)
  }
  return lines
}

/**
 * The lines of an environment added later by `msp init-env` (unindented): the smallest valid entry plus a TODO.
 * @param options - service id and kind, environment id and its project id
 */
export function addedEnvironmentLines(options: EnvironmentTemplateOptions): string[] {
  const {envId, projectId} = options
  return [
    `id: ${envId}`,
    `projectID: ${projectId}`,
    ...CATEGORY_COMMENT,
    'category: test',
    ...DEPLOY_LINES,
    'instances:',
    ...RESOURCES_LINES,
    '# TODO: Fill out the rest of your configuration here (domain, env, resources, ...)!',
  ]
}

/**
 * Indents environment lines as one item of a block sequence.
 * @param lines - unindented lines of the item
 * @param markerIndent - column of the `-` marker
 * @param contentIndent - column of the item's keys (usually markerIndent + 2)
 */
export function sequenceItem(lines: readonly string[], markerIndent: number, contentIndent: number): string[] {
  const first = `${' '.repeat(markerIndent)}-${' '.repeat(Math.max(1, contentIndent - markerIndent - 1))}`
  return lines.map((line, i) => (i === 0 ? first + line : ' '.repeat(contentIndent) + line))
}

/** Inputs of a new `service.yaml`. */
export interface ServiceTemplateOptions extends EnvironmentTemplateOptions {
  name: string
  owner: string
}

/**
 * Renders a complete new `service.yaml` for a service or a job with one environment.
 * @param options - ids, display name, owning team, kind, first environment and its project id
 */
export function renderServiceTemplate(options: ServiceTemplateOptions): string {
  const {serviceId, name, owner, kind} = options
  const noun = kind === 'job' ? 'job' : 'service'
  const lines = [
    SCHEMA_COMMENT,
    'service:',
    ...(kind === 'job' ? ['  kind: job'] : []),
    `  id: ${serviceId}`,
    `  name: ${yamlString(name)}`,
    '  owners:',
    `    - ${yamlString(owner)}`,
    `  # TODO: Say in a sentence or two what this ${noun} does and who relies on it.`,
    '  description: "TODO"',
    '',
    'build:',
    `  # TODO: Point this at the image of your ${noun}. When it lives in a private registry such as`,
    `  # us.gcr.io or Artifact Registry, the ${noun} is granted access to pull it automatically.`,
    `  image: us.gcr.io/sourcegraph-dev/${serviceId}`,
    `  # TODO: Say where the source code of your ${noun} lives.`,
    '  source:',
    '    repo: github.com/sourcegraph/sourcegraph',
    `    dir: cmd/${serviceId}`,
    '',
    'environments:',
    ...sequenceItem(firstEnvironmentLines(options), 2, 4),
  ]
  return `${lines.join('\n')}\n`
}
