/** Test-data builders for the spec tests. */
import {formatSpecIssue, type SpecIssue} from '../../src/lib/io/errors.js'
import {parseSpec, type ParseSpecOptions} from '../../src/lib/spec/load.js'

export const FILE = 'services/svc/service.yaml'

/** One issue as a line: `file:line:col: path: message`, warnings prefixed with `warning: `. */
export function formatLine(issue: SpecIssue): string {
  return `${issue.severity === 'warning' ? 'warning: ' : ''}${formatSpecIssue(issue)}`
}

/** Parses a spec and returns every issue as a formatted line. */
export function issueLines(source: string, opts: Partial<ParseSpecOptions> = {}): string[] {
  return parseSpec(source, {file: FILE, ...opts}).issues.map(formatLine)
}

const indent = (text: string, by: number) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => ' '.repeat(by) + l)
    .join('\n')

/**
 * A valid spec of service `svc` with one `dev` environment (lines 1–10), extended by extra lines
 * appended to the service section, the environment, or the top level. With no extra lines:
 * ```
 *  1 service:
 *  2   id: svc
 *  3   owners: [team]
 *  4   description: A test service.
 *  5 environments:
 *  6   - id: dev
 *  7     projectID: svc-dev-1234
 *  8     category: test
 *  9     deploy: {type: manual}
 * 10     instances: {resources: {cpu: 1, memory: 512Mi}}
 * ```
 */
export function testSpec(extra: {service?: string; env?: string; envs?: string; top?: string} = {}): string {
  const lines = ['service:', '  id: svc', '  owners: [team]', '  description: A test service.']
  if (extra.service) lines.push(indent(extra.service, 2))
  lines.push(
    'environments:',
    '  - id: dev',
    '    projectID: svc-dev-1234',
    '    category: test',
    '    deploy: {type: manual}',
    '    instances: {resources: {cpu: 1, memory: 512Mi}}',
  )
  if (extra.env) lines.push(indent(extra.env, 4))
  if (extra.envs) lines.push(indent(extra.envs, 2))
  if (extra.top) lines.push(extra.top.trimEnd())
  return `${lines.join('\n')}\n`
}
