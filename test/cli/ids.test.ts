/**
 * Every command that takes a service or environment id resolves it through one function
 * (src/lib/repo/resolve.ts): a missing or unknown id is a usage error (exit 2) with "did you mean"
 * and the valid ids, in the same words everywhere, before any network call or write.
 */
import {rmSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'

let repo: string
beforeAll(() => {
  repo = makeRepoFromFixtures(['cody-analytics', 'gatekeeper'])
})
afterAll(() => rmSync(repo, {recursive: true, force: true}))

const SERVICES = 'cody-analytics, gatekeeper'
const unknownService = `Error: unknown service "cody-analytic"\nhint: did you mean "cody-analytics"? valid services: ${SERVICES}\n`
const unknownEnv =
  'Error: unknown environment "prd" of service "cody-analytics"\nhint: did you mean "prod"? valid environments of "cody-analytics": dev, prod\n'
const missingService = (alt = '') => `Error: missing the service id\nhint: valid services: ${SERVICES}${alt}\n`
const missingEnv = (alt = '') =>
  `Error: missing the environment id of service "cody-analytics"\nhint: valid environments of "cody-analytics": dev, prod${alt}\n`

// [command words, flags after the ids (to reach the id check), whether the env id is required]
// (`tfc view` without a service opens every workspace; `init-env` takes the id of a new environment.)
const commands: [string[], string[], 'required' | 'optional' | 'none' | 'new'][] = [
  [['logs'], ['--no-open'], 'required'],
  [['open'], ['--no-open'], 'required'],
  [['status'], [], 'optional'],
  [['operations'], [], 'none'],
  [['handbook', 'diagram'], [], 'required'],
  [['pg', 'connect'], [], 'required'],
  [['tfc', 'view'], ['--no-open'], 'optional'],
  [['tfc', 'graph'], [], 'required'],
  [['tfc', 'sync'], ['--dry-run'], 'required'],
  [['generate'], ['--check'], 'optional'],
  [['init-env'], [], 'new'],
  [['validate'], [], 'none'],
]

const env = {TFE_ADDRESS: 'http://127.0.0.1:9', TFE_TOKEN: 'unused', CLOUD_RUN_EMULATOR_HOST: '127.0.0.1:9'}

describe.each(commands)('msp %j', (words, extra, envArg) => {
  it('an unknown service: did you mean + the valid services, exit 2', async () => {
    const r = await runMsp([...words, 'cody-analytic', ...(envArg === 'none' ? [] : envArg === 'new' ? ['staging'] : ['prod']), ...extra, '--repo', repo], {
      env,
    })
    expect(r.stderr).toBe(words[0] === 'init-env' ? unknownService.replace(/\n$/, '; to create a new service, run: msp init cody-analytic\n') : unknownService)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
  })

  if (envArg !== 'none' && envArg !== 'new') {
    it('an unknown environment: did you mean + the valid environments, exit 2', async () => {
      const r = await runMsp([...words, 'cody-analytics', 'prd', ...extra, '--repo', repo], {env})
      expect(r.stderr).toBe(unknownEnv)
      expect(r.code).toBe(2)
    })
  }

  if (words[0] !== 'validate' && words.join(' ') !== 'tfc view') {
    it('a missing service: the valid services, exit 2', async () => {
      const r = await runMsp([...words, ...extra, '--repo', repo], {env})
      const alt = ['generate', 'tfc sync'].includes(words.join(' ')) ? ' (or --all for every service)' : ''
      expect(r.stderr).toBe(missingService(alt))
      expect(r.code).toBe(2)
    })
  }

  if (envArg === 'required') {
    it('a missing environment: the valid environments, exit 2', async () => {
      const r = await runMsp([...words, 'cody-analytics', ...extra, '--repo', repo], {env})
      expect(r.stderr).toBe(missingEnv(words.join(' ') === 'tfc sync' ? ' (or --all for every environment)' : ''))
      expect(r.code).toBe(2)
    })
  }
})

it('--json carries the valid ids and the suggestion', async () => {
  const r = await runMsp(['generate', 'cody-analytics', 'prd', '--check', '--json', '--repo', repo])
  expect(r.code).toBe(2)
  expect(JSON.parse(r.stdout)).toEqual({
    error: {
      kind: 'UsageError',
      message: 'unknown environment "prd" of service "cody-analytics"',
      exitCode: 2,
      hint: 'did you mean "prod"? valid environments of "cody-analytics": dev, prod',
      valid: ['dev', 'prod'],
      suggestion: 'prod',
    },
  })
})
