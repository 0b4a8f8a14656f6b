import {describe, expect, it} from 'vitest'
import {PassThrough} from 'node:stream'
import {createPrompter, type Prompter} from '../../src/lib/io/prompt.js'
import {askEnvironmentId, collectInitAnswers, confirmOrCancel} from '../../src/lib/authoring/questions.js'

/** A strict scripted prompter: fails on an unexpected question and records what was asked. */
function scripted(answers: Record<string, string>): Prompter & {asked: string[]} {
  const asked: string[] = []
  return {
    asked,
    say() {},
    async ask(question) {
      const key = Object.keys(answers).find((k) => question.startsWith(k))
      if (key === undefined) throw new Error(`unexpected question: ${question}`)
      asked.push(key)
      return answers[key]!
    },
    close() {},
  }
}

describe('collectInitAnswers without a terminal', () => {
  it('uses the flags and the defaults (service kind, prod, Title-Cased name)', async () => {
    expect(await collectInitAnswers({given: {serviceId: 'msp-example', owner: 'core-services'}})).toEqual({
      serviceId: 'msp-example',
      name: 'Msp Example',
      owner: 'core-services',
      kind: 'service',
      envId: 'prod',
    })
  })

  it('starts with dev when --dev is given and keeps an explicit name and kind', async () => {
    const a = await collectInitAnswers({given: {serviceId: 'demo', owner: 'team', name: 'The Demo', kind: 'job', dev: true}})
    expect(a).toMatchObject({name: 'The Demo', kind: 'job', envId: 'dev'})
  })

  it('names every missing value in one usage error', async () => {
    await expect(collectInitAnswers({given: {}})).rejects.toMatchObject({name: 'UsageError', message: 'missing the service id argument and --owner'})
    await expect(collectInitAnswers({given: {serviceId: 'demo'}})).rejects.toMatchObject({name: 'UsageError', message: 'missing --owner'})
  })

  it('rejects an unsupported kind', async () => {
    await expect(collectInitAnswers({given: {serviceId: 'demo', owner: 't', kind: 'cron'}})).rejects.toThrow('unsupported service kind: "cron"')
  })
})

describe('collectInitAnswers in a terminal', () => {
  it('asks everything, in the original order, when no argument is given', async () => {
    const p = scripted({'Service ID:': 'demo', 'Service name': '', 'Service owner:': 'core-services', "Start with a 'dev'": 'Y', 'Service kind': 'job'})
    expect(await collectInitAnswers({given: {}, prompter: p})).toEqual({serviceId: 'demo', name: 'Demo', owner: 'core-services', kind: 'job', envId: 'dev'})
    expect(p.asked).toEqual(['Service ID:', 'Service name', 'Service owner:', "Start with a 'dev'", 'Service kind'])
  })

  it('asks only for what is missing when the id is given (no environment or kind question)', async () => {
    const p = scripted({'Service name': 'Demo Service', 'Service owner:': 'team'})
    expect(await collectInitAnswers({given: {serviceId: 'demo'}, prompter: p})).toEqual({
      serviceId: 'demo',
      name: 'Demo Service',
      owner: 'team',
      kind: 'service',
      envId: 'prod',
    })
  })

  it('treats an empty dev answer as no and an empty kind as service', async () => {
    const p = scripted({'Service ID:': 'demo', 'Service name': '', 'Service owner:': 't', "Start with a 'dev'": '', 'Service kind': ''})
    expect(await collectInitAnswers({given: {}, prompter: p})).toMatchObject({envId: 'prod', kind: 'service'})
  })

  it('checks the service id right after it is given, before any other question', async () => {
    const p = scripted({'Service ID:': 'taken'})
    const check = (id: string) => {
      throw new Error(`service "${id}" already exists`)
    }
    await expect(collectInitAnswers({given: {}, prompter: p, checkServiceId: check})).rejects.toThrow('service "taken" already exists')
    expect(p.asked).toEqual(['Service ID:'])
  })

  it('requires a service id and an owner', async () => {
    await expect(collectInitAnswers({given: {}, prompter: scripted({'Service ID:': '  '})})).rejects.toThrow('response is required')
    await expect(collectInitAnswers({given: {serviceId: 'x', name: 'X'}, prompter: scripted({'Service owner:': ''})})).rejects.toThrow('response is required')
  })
})

describe('createPrompter', () => {
  it('reads answers typed ahead, writes questions to its output, and cancels at end of input', async () => {
    const input = new PassThrough()
    const output = new PassThrough()
    let written = ''
    output.on('data', (c) => (written += String(c)))
    input.end('demo  \nyes\n')
    const p = createPrompter({input, output})
    expect(await askEnvironmentId(p)).toBe('demo')
    await expect(confirmOrCancel(p, 'Write it?')).resolves.toBeUndefined()
    await expect(p.ask('More?')).rejects.toMatchObject({name: 'CancelledError'})
    p.close()
    expect(written).toContain('Environment ID: ')
    expect(written).toContain('Write it? (Y/n) ')
  })

  it('cancels on a "no" confirmation', async () => {
    await expect(confirmOrCancel(scripted({'Write?': 'n'}), 'Write?')).rejects.toThrow('cancelled: nothing was written')
  })
})
