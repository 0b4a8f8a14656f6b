import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, test} from 'vitest'
import {formatSpecIssue, SpecError, UserError} from '../../src/lib/io/errors.js'
import {serviceName} from '../../src/lib/spec/derived.js'
import {loadService, parseSpec, validateServices} from '../../src/lib/spec/load.js'
import {FILE, issueLines, testSpec} from './spec-test-data.js'
import {DEFAULT_EDITION} from '../../src/lib/edition/editions.js'

const parse = (source: string, opts = {}) => parseSpec(source, {file: FILE, ...opts})

describe('YAML problems', () => {
  test('syntax errors are all reported with their positions, and stop validation', () => {
    // Reported where each bracket opens, not where the parser gave up (3:3 and 5:1).
    expect(issueLines('service:\n  id: [a\n  owners: x\nenvironments: {\n')).toEqual([
      `${FILE}:2:7: service.id: "[" is never closed: a list must end with "]"`,
      `${FILE}:4:15: environments: "{" is never closed: a mapping must end with "}"`,
    ])
  })

  test('a tab used as indentation is a syntax error at its position', () => {
    expect(issueLines('service:\n\tid: x\n')).toEqual([`${FILE}:2:1: tabs are not allowed as indentation: indent with spaces`])
  })

  test("duplicate keys are errors with Go's message, at the repeated key", () => {
    expect(issueLines(testSpec().replace('  owners: [team]\n', '  owners: [team]\n  id: again\n'))).toEqual([
      `${FILE}:4:3: service.id: mapping key "id" already defined at line 2`,
    ])
  })

  test('several documents in one file are an error', () => {
    expect(parse('a: 1\n---\nb: 2\n').issues[0]?.message).toMatch(/multiple documents/)
  })
})

describe('positions and completeness', () => {
  test('every error of a file is reported at once: decoding, field and cross-field rules together', () => {
    const source = testSpec({service: 'kind: job', env: 'domain: {type: none}'})
      .replace('owners: [team]', 'owners: []')
      .replace('cpu: 1', 'cpu: "1"')
      .replace('category: test', 'category: prod')
    expect(issueLines(source)).toEqual([
      `${FILE}:3:3: service.owners: owners requires at least one value`,
      `${FILE}:9:15: environments.0.category: invalid category "prod" (allowed: test, internal, external)`,
      `${FILE}:11:34: environments.0.instances.resources.cpu: expected a whole number, got the string "1" (remove the quotes)`,
      `${FILE}:12:5: environments.0.domain: service specifications are not supported for 'kind: job'`,
    ])
  })

  test('a missing key is reported at its parent mapping', () => {
    expect(issueLines(testSpec().replace('  description: A test service.\n', ''))).toEqual([`${FILE}:1:1: service.description: description is required`])
    expect(issueLines('environments: []\n')).toEqual([`${FILE}:1:1: service: service is required`])
  })

  test('an empty file reports the missing service at 1:1', () => {
    expect(issueLines('')).toEqual([`${FILE}:1:1: service: service is required`])
  })

  test('a document that is not a mapping is a type error', () => {
    expect(issueLines('- a\n- b\n')).toEqual([`${FILE}:1:1: expected a mapping, got a list`])
  })

  test('problems below a mistyped value are not reported twice', () => {
    expect(issueLines(testSpec().replace('    deploy: {type: manual}\n', '    deploy: manual\n'))).toEqual([
      `${FILE}:9:13: environments.0.deploy: expected a mapping, got the string "manual"`,
    ])
  })

  test('a byte-order mark and CRLF line ends do not shift positions', () => {
    const source = `\uFEFF${testSpec().replace('category: test', 'category: prod').replaceAll('\n', '\r\n')}`
    expect(issueLines(source)).toEqual([`${FILE}:8:15: environments.0.category: invalid category "prod" (allowed: test, internal, external)`])
  })
})

describe('unknown keys', () => {
  test('are warnings with the closest known key as suggestion, and are stripped', () => {
    const result = parse(testSpec({service: 'nmae: Svc', env: 'projectId: x'}))
    expect(result.issues.map((i) => [i.severity, i.line, i.column, i.path, i.message])).toEqual([
      ['warning', 5, 3, 'service.nmae', 'unknown key "nmae", did you mean "name"?'],
      ['warning', 12, 5, 'environments.0.projectId', 'unknown key "projectId", did you mean "projectID"?'],
    ])
    expect(result.spec?.service).not.toHaveProperty('nmae')
  })

  test('keys removed from older spec versions name their replacement', () => {
    expect(issueLines(testSpec({env: 'startupProbe: {disabled: true}'}))).toEqual([
      `warning: ${FILE}:11:5: environments.0.startupProbe: unknown key "startupProbe" (removed from the spec), did you mean "healthProbes"?`,
    ])
  })

  test('a key far from every known key gets no suggestion', () => {
    expect(issueLines(testSpec({top: 'zzzzzzzz: 1'}))).toEqual([`warning: ${FILE}:11:1: zzzzzzzz: unknown key "zzzzzzzz"`])
  })

  test('are errors in strict (msp validate) mode', () => {
    const result = parse(testSpec({service: 'nmae: Svc'}), {strict: true})
    expect(result.issues.map((i) => i.severity)).toEqual(['error'])
    expect(result.spec).toBeUndefined()
  })
})

describe('scalar coercion like Go yaml.v3', () => {
  test('string fields take the scalar source text; null map values become ""', () => {
    const source = testSpec({env: 'env: {PORT: 8080, RATIO: 1.10, FLAG: yes, EMPTY: ~}'}).replace('{type: manual}', '{type: manual, manual: {tag: 1.10}}')
    const env = parse(source).spec?.environments[0]
    expect(env?.deploy.manual?.tag).toBe('1.10')
    expect(env?.env).toEqual({PORT: '8080', RATIO: '1.10', FLAG: 'yes', EMPTY: ''})
  })

  test('int fields truncate floats and reject quoted numbers', () => {
    expect(parse(testSpec().replace('cpu: 1,', 'cpu: 1.9,')).spec?.environments[0]?.instances.resources.cpu).toBe(1)
    expect(issueLines(testSpec().replace('cpu: 1,', 'cpu: "1",'))).toEqual([
      `${FILE}:10:34: environments.0.instances.resources.cpu: expected a whole number, got the string "1" (remove the quotes)`,
    ])
  })

  test('bool fields accept the YAML 1.1 words, but not a quoted "true"', () => {
    const spec = (value: string) => testSpec({env: `allowDestroys: ${value}`})
    for (const word of ['yes', 'Yes', 'on', 'ON', 'y', 'true', 'True']) expect(parse(spec(word)).spec?.environments[0]?.allowDestroys).toBe(true)
    for (const word of ['no', 'off', 'N', 'false']) expect(parse(spec(word)).spec?.environments[0]?.allowDestroys).toBe(false)
    expect(issueLines(spec('"true"'))).toEqual([
      `${FILE}:11:20: environments.0.allowDestroys: expected true or false, got the string "true" (remove the quotes)`,
    ])
  })

  test('type errors quote the value, cut after 40 characters', () => {
    expect(issueLines(testSpec({env: 'deadlineSeconds: thirty minutes'}))[0]).toContain('expected a whole number, got the string "thirty minutes"')
    expect(issueLines(testSpec({env: `deadlineSeconds: ${'x'.repeat(50)}`}))[0]).toContain(`got the string "${'x'.repeat(37)}..."`)
  })

  test('`name: ""` is present: the display name is empty, not the id', () => {
    const spec = parse(testSpec({service: 'name: ""'})).spec!
    expect(spec.service.name).toBe('')
    expect(serviceName(spec)).toBe('')
    expect(serviceName(parse(testSpec()).spec!)).toBe('svc')
  })

  test('anchors, aliases and merge keys are followed', () => {
    const source = testSpec({
      envs:
        '- <<: &base {category: test, deploy: {type: manual}, instances: {resources: {cpu: 1, memory: 512Mi}}}\n  id: prod\n  projectID: ' +
        'svc-prod-1234\n  category: internal',
    })
    const envs = parse(source).spec?.environments
    expect(envs?.[1]).toMatchObject({id: 'prod', category: 'internal', deploy: {type: 'manual'}})
  })

  test('alias expansion is bounded', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      )
    lines.push('service:', '  id: svc', '  owners: *a9', '  description: d')
    const result = parse(lines.join('\n'))
    expect(result.spec).toBeUndefined()
    expect(result.issues.some((i) => i.severity === 'error')).toBe(true)
  })
})

describe('side files', () => {
  const withTables = testSpec({env: 'resources:\n  bigQueryDataset: {tables: [events, daily]}'})

  test('README must start with "# <display name>"', () => {
    expect(issueLines(testSpec({service: 'name: My Service'}), {readme: '# Other\n\nbody'})).toEqual([
      `services/svc/README.md:1:1: README must start with an H1 header that matches the service name, i.e. "# My Service"`,
    ])
    const ok = parse(testSpec({service: 'name: My Service'}), {readme: '# My Service\n\n  Body text.\n\n'})
    expect(ok.issues).toEqual([])
    expect(ok.readme).toBe('Body text.')
  })

  test('a missing table file is reported at the table entry in service.yaml', () => {
    expect(issueLines(withTables, {bigQueryTables: {events: '[]'}})).toEqual([
      `${FILE}:12:42: environments.0.resources.bigQueryDataset.tables.1: read schema for BigQuery table daily: services/svc/daily.bigquerytable.json does ` +
        `not exist`,
    ])
  })

  test('a table file that is not a JSON array is reported in that file', () => {
    const lines = issueLines(withTables, {bigQueryTables: {events: '{"name": "id"}', daily: '[1,'}})
    expect(lines[0]).toBe(`services/svc/events.bigquerytable.json:1:1: parse schema for BigQuery table events: expected a JSON array of fields`)
    expect(lines[1]).toMatch(/^services\/svc\/daily\.bigquerytable\.json:1:1: parse schema for BigQuery table daily: /)
    expect(lines).toHaveLength(2)
  })

  test('table names that would leave the service folder are refused', () => {
    const source = testSpec({env: 'resources:\n  bigQueryDataset: {tables: [../../etc/passwd]}'})
    // A side-file map holding that name (it cannot come from a folder listing) is not read either.
    expect(parse(source, {bigQueryTables: {'../../etc/passwd': '[]'}}).bigQuerySchemas).toEqual({})
    expect(issueLines(source, {bigQueryTables: {}})).toEqual([
      `${FILE}:12:34: environments.0.resources.bigQueryDataset.tables.0: bigQueryDataset.tables[] "../../etc/passwd" can only contain letters, digits, ` +
        `underscores and hyphens`,
    ])
  })
})

describe('loadService and validateServices', () => {
  let root: string
  const write = (id: string, files: Record<string, string>) => {
    mkdirSync(path.join(root, 'services', id), {recursive: true})
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, 'services', id, name), text)
  }
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'msp-spec-load-'))
  })
  afterEach(() => rmSync(root, {recursive: true, force: true}))

  test('loads the spec, README, table schemas and warnings', async () => {
    write('svc', {
      'service.yaml': testSpec({service: 'nmae: x', env: 'resources:\n  bigQueryDataset: {tables: [events]}'}),
      'README.md': '# svc\nHello.\n',
      'events.bigquerytable.json': '[{"name":"id","type":"STRING"}]',
    })
    const loaded = await loadService(root, 'svc')
    expect(loaded.readme).toBe('Hello.')
    expect(loaded.bigQuerySchemas.events).toBe('[\n  {\n    "name": "id",\n    "type": "STRING"\n  }\n]')
    expect(loaded.warnings.map((w) => w.path)).toEqual(['service.nmae'])
  })

  test('throws a SpecError carrying every issue', async () => {
    write('svc', {'service.yaml': testSpec().replace('category: test', 'category: prod').replace('cpu: 1', 'cpu: 0')})
    const error = await loadService(root, 'svc').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpecError)
    expect((error as SpecError).issues).toHaveLength(2)
    expect((error as SpecError).message).toContain(`${FILE}:8:15: environments.0.category: invalid category "prod" (allowed: test, internal, external)`)
  })

  test('refuses malformed ids and reports missing services as user errors', async () => {
    await expect(loadService(root, '../etc')).rejects.toBeInstanceOf(UserError)
    await expect(loadService(root, 'nope')).rejects.toThrow('service "nope" does not exist')
  })

  test('validate: unknown keys are errors, ids must match folders, DNS names are unique across services', async () => {
    write('svc', {'service.yaml': testSpec({env: 'domain: {type: cloudflare, cloudflare: {subdomain: a, zone: b.org}}'})})
    write('other', {'service.yaml': testSpec({env: 'domain: {type: cloudflare, cloudflare: {subdomain: a, zone: b.org}}'})})
    write('dns', {'service.yaml': testSpec({env: 'domain: {type: cloudflare, cloudflare: {subdomain: a, zone: b.org}}'}).replaceAll('svc', 'dns')})
    write('third', {'service.yaml': testSpec({service: 'nmae: x'}).replaceAll('svc', 'third')})
    const report = await validateServices(root, ['svc', 'other', 'dns', 'third', 'missing'], DEFAULT_EDITION)
    expect(report.issues.map((i) => `${i.severity} ${formatSpecIssue(i)}`)).toEqual([
      // A spec whose id is not its folder's is unusable, so no further cross-service rule sees it.
      'error services/other/service.yaml:2:7: service.id: service ID "svc" must match its folder name "other"',
      'error services/dns/service.yaml:11:32: environments.0.domain.cloudflare: domain "a.b.org" is also configured by service "svc"',
      'error services/third/service.yaml:5:3: service.nmae: unknown key "nmae", did you mean "name"?',
      'error services/missing/service.yaml:1:1: service "missing" does not exist',
    ])
    expect(report.errorCount).toBe(4)
    expect(report.services.find((s) => s.id === 'svc')?.spec).toBeDefined()
    expect(report.services.find((s) => s.id === 'third')?.spec).toBeUndefined()
  })
})
