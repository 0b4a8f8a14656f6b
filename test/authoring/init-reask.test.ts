/**
 * Interactive `msp init` asks a question again after a bad answer — with the did-you-mean the flag path
 * gives — keeping every earlier answer, instead of exiting and losing them. Run in-process with terminal
 * streams and typed-ahead answers: the real prompter (readline over stdin) and the real command; the
 * pseudo-terminal case is in commands.test.ts.
 */
import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {runMsp} from '../helpers/cli.js'
import {examplesRepo} from '../helpers/paths.js'

let scratch: string
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'msp-init-reask-'))
})
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

let copies = 0
function repoCopy(): string {
  const dir = join(scratch, `repo-${++copies}`)
  cpSync(examplesRepo, dir, {recursive: true})
  return dir
}

/** `msp init <args>` on a terminal with `answers` typed ahead, one per line. */
const initInTerminal = (repo: string, answers: string[], args: string[] = []) =>
  runMsp(['init', ...args, '--repo', repo, '--no-schema'], {cwd: repo, tty: true, input: `${answers.join('\n')}\n`})

const count = (text: string, part: string) => text.split(part).length - 1

/** The session printed each of `said`, and asked each question the given number of times. */
function expectSession(stderr: string, said: readonly string[], asked: Readonly<Record<string, number>>): void {
  for (const text of said) expect(stderr).toContain(text)
  for (const [question, times] of Object.entries(asked)) expect(count(stderr, question), question).toBe(times)
}

describe('interactive msp init re-asks after a bad answer', () => {
  test('a malformed id, then a bad kind: each question again with did-you-mean; the earlier answers are kept', async () => {
    const repo = repoCopy()
    // id (bad, then good), name (default), owner, dev?, kind (bad, then good), confirmation (default yes)
    const r = await initInTerminal(repo, ['My_Service', 'my-service', '', 'core-services', 'y', 'jbo', 'job', ''])
    expect(r.code, r.stderr).toBe(0)
    expectSession(
      r.stderr,
      [
        'invalid service id "My_Service": ids contain only lowercase letters, digits and hyphens',
        'hint: did you mean "my-service"?',
        'unsupported service kind: "jbo"',
        // The hint of the flag path (`msp init x --kind jbo`), word for word.
        'hint: did you mean "job"? valid values: service, job',
      ],
      {'Service ID:': 2, 'Service kind': 2, 'Service owner:': 1},
    )
    const text = readFileSync(join(repo, 'services/my-service/service.yaml'), 'utf8')
    expect(text).toContain('  kind: job\n  id: my-service\n  name: My Service\n  owners:\n    - core-services\n')
    expect(text).toMatch(/\n {2}- id: dev\n {4}projectID: my-service-dev-[0-9a-f]{4}\n/)
  })

  test('a taken id is asked again (with the init-env hint); an empty owner and an unclear yes/no too', async () => {
    const repo = repoCopy()
    const r = await initInTerminal(repo, ['hello-api', 'hello-web', 'Hello Web', '', 'web-team', 'maybe', 'n', '', ''])
    expect(r.code, r.stderr).toBe(0)
    expectSession(
      r.stderr,
      [
        'service "hello-api" already exists (services/hello-api/service.yaml)',
        'hint: to add an environment to it, run: msp init-env hello-api <environment>',
        'response is required',
      ],
      {'Service owner:': 2, "Start with a 'dev' environment (y/N):": 2},
    )
    const text = readFileSync(join(repo, 'services/hello-web/service.yaml'), 'utf8')
    expect(text).toContain('  id: hello-web\n  name: Hello Web\n  owners:\n    - web-team\n')
    expect(text).toMatch(/\n {2}- id: prod\n/)
  })

  test('with the id as an argument: only the name and the owner are asked, an empty owner twice', async () => {
    const repo = repoCopy()
    const r = await initInTerminal(repo, ['', '  ', 'core-services', ''], ['demo'])
    expect(r.code, r.stderr).toBe(0)
    expect(count(r.stderr, 'Service owner:')).toBe(2)
    expect(existsSync(join(repo, 'services/demo/service.yaml'))).toBe(true)
  })

  test('a display name too long for the GCP project name is asked again (not refused after the last question)', async () => {
    const repo = repoCopy()
    const r = await initInTerminal(repo, ['demo', 'A Much Too Long Display Name', 'Demo Service', 'core-services', 'n', '', ''])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('full environment name "A Much Too Long Display Name - prod" exceeds 30 characters limit')
    expect(r.stderr).not.toContain('services/demo/service.yaml:')
    expect(count(r.stderr, 'Service name')).toBe(2)
    expect(readFileSync(join(repo, 'services/demo/service.yaml'), 'utf8')).toContain('  id: demo\n  name: Demo Service\n')
  })

  test('gives up after five bad answers to one question: the last error, exit 2, nothing written', async () => {
    const repo = repoCopy()
    const r = await initInTerminal(repo, ['Bad_1', 'Bad_2', 'Bad_3', 'Bad_4', 'Bad_5', 'good-id'])
    expect(r.code).toBe(2)
    expect(count(r.stderr, 'Service ID:')).toBe(5)
    expect(r.stderr).toMatch(/Error: invalid service id "Bad_5"/)
    expect(existsSync(join(repo, 'services/good-id'))).toBe(false)
    expect(existsSync(join(repo, 'services/bad-5'))).toBe(false)
  })

  test('end of input after a bad answer cancels (exit 130), nothing written', async () => {
    const repo = repoCopy()
    const r = await initInTerminal(repo, ['Bad_Id'])
    expect(r.code).toBe(130)
    expect(r.stderr).toContain('hint: did you mean "bad-id"?')
    expect(r.stderr).toContain('cancelled: no answer was given')
    expect(existsSync(join(repo, 'services/bad-id'))).toBe(false)
  })
})

describe('the flag path gives the same did-you-mean', () => {
  test('msp init My_Service --yes: exit 2 with the id suggestion, nothing written', async () => {
    const repo = repoCopy()
    const r = await runMsp(['init', 'My_Service', '--owner', 'core-services', '--yes', '--repo', repo])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(
      'Error: invalid service id "My_Service": ids contain only lowercase letters, digits and hyphens\nhint: did you mean "my-service"?',
    )
    expect(existsSync(join(repo, 'services/my-service'))).toBe(false)
  })
})
