import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {migrateSpecSource} from '../../src/lib/authoring/migrate.js'
import {DEFAULT_EDITION} from '../../src/lib/edition/editions.js'
import {parseSpec, validateServices} from '../../src/lib/spec/load.js'
import {runMsp} from '../helpers/cli.js'
import {fixturesDir} from '../helpers/paths.js'

// The job spec the original's `init` wrote in May 2024 (test/fixtures/ORIGIN.md).
const MAY_JOB = readFileSync(join(fixturesDir, '..', 'eras', 'may-2024-job', 'service.yaml'), 'utf8')
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, {recursive: true, force: true})))
function repoWith(source: string): string {
  const root = mkdtempSync(join(tmpdir(), 'msp-migrate-'))
  dirs.push(root)
  writeFileSync(join(root, '.repository'), 'sourcegraph/managed-services\n')
  cpSync(join(fixturesDir, '..', 'eras', 'may-2024-job'), join(root, 'services', 'msp-example'), {recursive: true})
  writeFileSync(join(root, 'services', 'msp-example', 'service.yaml'), source)
  return root
}
/** Full-line comments and the trailing comment of every line, in order: what a migration must keep. */
const comments = (text: string) => text.split('\n').flatMap((l) => (l.trimStart().startsWith('#') ? [l] : (/\s(#.*)$/.exec(l)?.slice(1) ?? [])))

describe('the May-2024 job spec', () => {
  it('validates under 2024-05 with no error and no warning', async () => {
    const report = await validateServices(repoWith(MAY_JOB), ['msp-example'], '2024-05')
    expect(report.issues).toEqual([])
  })

  it('under the default edition, schedule.deadline is a warning (not an error) naming its replacement', async () => {
    const report = await validateServices(repoWith(MAY_JOB), ['msp-example'], DEFAULT_EDITION)
    expect(report.errorCount).toBe(0)
    expect(report.issues).toHaveLength(1)
    expect(report.issues[0]).toMatchObject({line: 35, path: 'environments.0.schedule.deadline', severity: 'warning'})
    expect(report.issues[0]!.message).toContain('replaced by deadlineSeconds (on the environment)')
    expect(report.issues[0]!.message).toContain('msp migrate msp-example')
  })

  it('msp migrate turns it into a spec that validates under the default edition, comments and blank lines intact', async () => {
    const {source, changes} = migrateSpecSource(MAY_JOB)
    expect(changes).toEqual([{line: 35, from: 'environments.0.schedule.deadline', to: 'environments.0.deadlineSeconds: 600'}])
    expect(comments(source)).toEqual(comments(MAY_JOB))
    expect(comments(source)).toContain('# 10 minutes')
    const before = MAY_JOB.split('\n')
    const after = source.split('\n')
    expect(after).toHaveLength(before.length)
    expect(after.filter((l) => l.trim() === '')).toHaveLength(before.filter((l) => l.trim() === '').length)
    // Exactly one line differs: the deadline moved one level up, under the environment.
    expect(after.filter((l, i) => l !== before[i])).toEqual(['    deadlineSeconds: 600 # 10 minutes'])
    const report = await validateServices(repoWith(source), ['msp-example'], DEFAULT_EDITION)
    expect(report.issues).toEqual([])
    expect(parseSpec(source, {file: 'x'}).spec!.environments[0]!.deadlineSeconds).toBe(600)
    // A second run has nothing left to do.
    expect(migrateSpecSource(source)).toEqual({source, changes: []})
  })
})

describe('migrateSpecSource edge cases', () => {
  const job = (schedule: string, extra = '') =>
    `service:\n  id: j\n  kind: job\nenvironments:\n  - id: prod # main\n${extra}    schedule:\n${schedule}    env:\n      A: b\n`

  it('a schedule holding only the deadline is replaced by deadlineSeconds', () => {
    expect(migrateSpecSource(job('      deadline: 60\n')).source).toBe(
      'service:\n  id: j\n  kind: job\nenvironments:\n  - id: prod # main\n    deadlineSeconds: 60\n    env:\n      A: b\n',
    )
  })
  it('an environment that already has deadlineSeconds only loses the old key', () => {
    const r = migrateSpecSource(job('      cron: "* * * * *"\n      deadline: 60\n', '    deadlineSeconds: 120\n'))
    expect(r.source).toBe(
      'service:\n  id: j\n  kind: job\nenvironments:\n  - id: prod # main\n    deadlineSeconds: 120\n    schedule:\n      cron: "* * * * *"\n    ' +
        'env:\n      A: b\n',
    )
    expect(r.changes[0]!.to).toContain('already set')
  })
  it('CRLF line endings are kept', () => {
    const crlf = job('      deadline: 60\n      cron: x\n').replaceAll('\n', '\r\n')
    const out = migrateSpecSource(crlf).source
    expect(out).toBe(
      'service:\r\n  id: j\r\n  kind: job\r\nenvironments:\r\n  - id: prod # main\r\n    schedule:\r\n      cron: x\r\n    deadlineSeconds: 60\r\n    ' +
        'env:\r\n      A: b\r\n',
    )
  })
  it('response-code duration strings become durationMinutes (rounded up), keeping trailing comments', () => {
    const spec = [
      'monitoring:',
      '  alerts:',
      '    responseCodeRatios:',
      '      - id: a',
      '        duration: 300s # five minutes',
      '      - id: b',
      '        duration: "90s"',
      '      - id: c',
      '        duration: 1h',
      '        durationMinutes: 2',
      '',
    ].join('\n')
    const r = migrateSpecSource(spec)
    expect(r.source).toBe(
      [
        'monitoring:',
        '  alerts:',
        '    responseCodeRatios:',
        '      - id: a',
        '        durationMinutes: 5 # five minutes',
        '      - id: b',
        '        durationMinutes: 2',
        '      - id: c',
        '        durationMinutes: 2',
        '',
      ].join('\n'),
    )
    expect(r.changes.map((c) => c.to)).toEqual([
      'monitoring.alerts.responseCodeRatios.0.durationMinutes: 5',
      'monitoring.alerts.responseCodeRatios.1.durationMinutes: 2 (90s rounded up)',
      'monitoring.alerts.responseCodeRatios.2.durationMinutes (already set; the old key was removed)',
    ])
  })
  it('refuses a duration that is not a Go duration, and invalid YAML', () => {
    expect(() => migrateSpecSource('monitoring:\n  alerts:\n    responseCodeRatios:\n      - duration: soon\n')).toThrow('"soon" is not a Go duration')
    expect(() => migrateSpecSource('a: [\n')).toThrow('not valid YAML')
  })
})

describe('msp migrate (CLI)', () => {
  it('--check fails while a spec has old keys, migrate rewrites it atomically, then --check passes', async () => {
    const root = repoWith(MAY_JOB)
    const env = {MSP_NO_CACHE: '1'}
    const check = await runMsp(['migrate', '--all', '--check', '--repo', root], {env})
    expect(check.code).toBe(1)
    expect(check.stdout).toContain('services/msp-example/service.yaml:35: environments.0.schedule.deadline -> environments.0.deadlineSeconds: 600')
    expect(readFileSync(join(root, 'services/msp-example/service.yaml'), 'utf8')).toBe(MAY_JOB)
    const run = await runMsp(['migrate', 'msp-example', '--repo', root], {env})
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('Migrated 1 of 1 spec')
    expect(readFileSync(join(root, 'services/msp-example/service.yaml'), 'utf8')).toBe(migrateSpecSource(MAY_JOB).source)
    expect((await runMsp(['migrate', '--all', '--check', '--repo', root], {env})).code).toBe(0)
  })
  it('names the services when none is given, and refuses unknown ones', async () => {
    const root = repoWith(MAY_JOB)
    const none = await runMsp(['migrate', '--repo', root], {env: {MSP_NO_CACHE: '1'}})
    expect(none.code).toBe(2)
    expect(none.stderr).toBe('Error: missing the service id\nhint: valid services: msp-example (or --all for every service)\n')
    const unknown = await runMsp(['migrate', 'nope', '--repo', root], {env: {MSP_NO_CACHE: '1'}})
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe('Error: unknown service "nope"\nhint: valid services: msp-example\n')
  })
})
