/**
 * The service/environment selection rules shared by `msp generate` and `msp tfc sync`: checked in the
 * command layer (lib receives typed options), one wording for one rule in both commands.
 */
import {describe, expect, test} from 'vitest'
import {checkSelection, type SelectionArgs} from '../../src/cli/selection.js'
import {UsageError} from '../../src/lib/io/errors.js'
import {runMsp} from '../helpers/cli.js'
import {examplesRepo} from '../helpers/paths.js'

describe('checkSelection', () => {
  const usage = 'msp x <service> [env]'
  const cases: [string, SelectionArgs, boolean, RegExp | undefined][] = [
    ['a service and an environment', {service: 's', env: 'e', all: false}, true, undefined],
    ['a service alone where no environment is required', {service: 's', all: false}, false, undefined],
    ['--all with a service and a category', {service: 's', all: true, category: 'test'}, true, undefined],
    ['--category without --all', {service: 's', env: 'e', all: false, category: 'test'}, true, /'--category' can only be used with '--all'/],
    ['--all with an environment', {service: 's', env: 'e', all: true}, false, /'--all' takes at most a service id, not an environment/],
    ['nothing at all (environment required)', {all: false}, true, /^missing the service id$/],
    ['nothing at all (environment optional)', {all: false}, false, /^missing the service id$/],
    ['a service without environment where one is required', {service: 's', all: false}, true, /^missing the environment id of service "s"$/],
  ]
  const ids = {services: async () => ['s', 't'], environments: async () => ['dev', 'prod']}
  test.each(cases)('%s', async (_name, args, envRequired, error) => {
    const run = checkSelection(args, {envRequired, usage, ids})
    if (error === undefined) await expect(run).resolves.toBeUndefined()
    else {
      await expect(run).rejects.toThrow(UsageError)
      await expect(run).rejects.toThrow(error)
    }
  })

  test('a missing id lists the valid ids and --all as the alternative', async () => {
    await expect(checkSelection({all: false}, {envRequired: true, usage, ids})).rejects.toMatchObject({
      hint: 'valid services: s, t (or --all for every service)',
    })
    await expect(checkSelection({service: 's', all: false}, {envRequired: true, usage, ids})).rejects.toMatchObject({
      hint: 'valid environments of "s": dev, prod (or --all for every environment)',
    })
  })
})

describe('both commands word one rule the same way (spawned, exit 2)', () => {
  test.each([
    ['--category without --all', ['--category', 'test'], /'--category' can only be used with '--all'/],
    ['--all with an environment', ['--all', 'prod'], /'--all' takes at most a service id, not an environment/],
  ])('%s', async (_name, extra, message) => {
    for (const command of [
      ['generate', 'hello-api'],
      ['tfc', 'sync', 'hello-api'],
    ]) {
      const args = extra[0] === '--all' ? [...command, ...extra] : [...command, 'prod', ...extra]
      const run = await runMsp([...args, '--repo', examplesRepo], {env: {TFE_ADDRESS: 'http://127.0.0.1:9', TFE_TOKEN: 'unused'}})
      expect({code: run.code, stdout: run.stdout}).toEqual({code: 2, stdout: ''})
      expect(run.stderr).toMatch(message)
    }
  })
})
