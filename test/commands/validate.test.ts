import {cpSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runMsp} from '../helpers/cli.js'
import {examplesRepo} from '../helpers/paths.js'

let repo: string
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'msp-validate-'))
  cpSync(examplesRepo, repo, {recursive: true})
  // Four mistakes in one file: an unknown top-level key (typo), a bad category, too little memory,
  // and a project id without the service prefix.
  writeFileSync(
    join(repo, 'services/hello-api/service.yaml'),
    [
      'service:', //                                   1
      '  id: hello-api', //                            2
      '  owners: [core-services]', //                  3
      '  description: x', //                           4
      'enviroments: []', //                            5
      'environments:', //                              6
      '  - id: dev', //                                7
      '    projectID: helo-api-dev-4c2e', //           8
      '    category: testing', //                      9
      '    deploy: {type: manual}', //                 10
      '    instances:', //                             11
      '      resources: {cpu: 1, memory: 128Mi}', //   12
      '',
    ].join('\n'),
  )
})
afterAll(() => rmSync(repo, {recursive: true, force: true}))

describe('msp validate', () => {
  it('reports every mistake of a spec with file:line:col in one run and exits 1', async () => {
    const r = await runMsp(['validate', '--repo', repo])
    expect(r.code).toBe(1)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toBe('error   hello-api: 4 errors')
    const has = (re: RegExp) =>
      expect(
        lines.some((l) => re.test(l)),
        `${re}\n${r.stdout}`,
      ).toBe(true)
    has(/^ {2}error services\/hello-api\/service\.yaml:5:1: enviroments: .*did you mean "environments"/)
    has(/^ {2}error services\/hello-api\/service\.yaml:8:16: environments\.0\.projectID: .*must contain service ID/)
    has(/^ {2}error services\/hello-api\/service\.yaml:9:15: environments\.0\.category: invalid category "testing" \(allowed: test, internal, external\)/)
    has(/^ {2}error services\/hello-api\/service\.yaml:12:35: environments\.0\.instances\.resources\.memory: resources\.memory must be >= 512Mi/)
    // Not a terminal: words, not symbols; the summary is a plain line, not an "Error:".
    expect(lines).toContain('ok      usage-ledger')
    expect(r.stdout).not.toMatch(/[✓⚠✗]/)
    expect(r.stderr).toBe('Checked 3 services: 4 errors, 0 warnings\n')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('--json lists the issues for editors and CI annotations', async () => {
    const r = await runMsp(['validate', 'hello-api', '--json', '--repo', repo])
    expect(r.code).toBe(1)
    const doc = JSON.parse(r.stdout)
    expect(doc.ok).toBe(false)
    expect(doc.issues).toContainEqual({
      file: 'services/hello-api/service.yaml',
      line: 9,
      column: 15,
      path: 'environments.0.category',
      message: 'invalid category "testing" (allowed: test, internal, external)',
      severity: 'error',
    })
  })

  it('passes on the bundled examples and names unknown services', async () => {
    expect((await runMsp(['validate', '--repo', examplesRepo])).code).toBe(0)
    const r = await runMsp(['validate', 'nope', '--repo', examplesRepo])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`Error: unknown service "nope"\nhint: valid services: hello-api, ledger-compactor, usage-ledger\n`)
  })
})
