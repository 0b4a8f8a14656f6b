import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {complete, completionCommandsFrom, type CompletionCommand, type CompletionSources} from '../../src/lib/completion/complete.js'
import {completionScript, formatCompletion} from '../../src/lib/completion/scripts.js'
import {completionSourcesFor, environmentIdsOf, repoCompletionSources} from '../../src/lib/completion/sources.js'
import {fixturesDir} from '../helpers/paths.js'

const global = [
  {name: 'repo', takesValue: true},
  {name: 'debug', takesValue: false},
]
const COMMANDS: CompletionCommand[] = [
  {
    id: 'logs',
    args: [{name: 'service'}, {name: 'env'}],
    flags: [...global, {name: 'component', char: 'c', takesValue: true, options: ['service']}, {name: 'open', takesValue: false}],
  },
  {id: 'open', args: [{name: 'service'}, {name: 'env'}, {name: 'target'}], flags: global},
  {id: 'tfc:view', aliases: ['terraform-cloud:view'], args: [{name: 'service'}, {name: 'env'}], flags: global},
  {id: 'tfc:sync', args: [{name: 'service'}, {name: 'env'}], flags: global},
  {id: 'init', args: [{name: 'service'}], flags: [...global, {name: 'kind', takesValue: true, options: ['service', 'job']}]},
  {id: 'completion', args: [{name: 'shell', options: ['bash', 'zsh', 'fish']}], flags: global},
  {id: '__complete', hidden: true, args: [], flags: []},
  // oclif lists an alias as a command of its own too
  {id: 'terraform-cloud:view', args: [{name: 'service'}, {name: 'env'}], flags: global},
  // `pg` is both the alias of `pg connect` and its topic
  {id: 'pg:connect', aliases: ['pg'], args: [{name: 'service'}, {name: 'env'}], flags: global},
  {id: 'pg', args: [{name: 'service'}, {name: 'env'}], flags: global},
]

/** Strict fake sources: records which lookups happened and with which --repo. */
function fakeSources() {
  const calls: string[] = []
  const factory = (flags: Readonly<Record<string, string>>): CompletionSources => {
    calls.push(`repo=${flags.repo ?? '-'}`)
    return {
      services: async () => {
        calls.push('services')
        return ['cody-analytics', 'gatekeeper', 'sams']
      },
      environments: async (id) => {
        calls.push(`environments(${id})`)
        return id === 'sams' ? ['dev', 'prod'] : []
      },
      named: {target: ['alerts', 'logs', 'postgres']},
    }
  }
  return {calls, factory}
}

async function run(words: string[]) {
  const fake = fakeSources()
  const result = await complete({words, commands: COMMANDS, sources: fake.factory})
  return {...result, calls: fake.calls}
}

describe('complete', () => {
  it.each([
    ['top-level commands and topics, without hidden ones or aliases', [''], ['completion', 'init', 'logs', 'open', 'pg', 'tfc']],
    ['top-level commands by prefix', ['t'], ['tfc']],
    ['subcommands of a topic', ['tfc', ''], ['sync', 'view']],
    ['subcommands of a topic by prefix', ['tfc', 'v'], ['view']],
    ['fixed argument options', ['completion', 'z'], ['zsh']],
    ['flag names of the command', ['init', 'demo', '--'], ['--debug', '--kind', '--repo']],
    ['flag names not given yet', ['init', '--kind', 'job', '--'], ['--debug', '--repo']],
    ['flag values from the options', ['init', '--kind', ''], ['service', 'job']],
    ['short flag values', ['logs', '-c', 's'], ['service']],
    ['nothing after the last argument', ['logs', 'sams', 'prod', ''], []],
    ['nothing for an unknown command', ['nope', ''], []],
  ])('offers %s', async (_name, words, expected) => {
    expect((await run(words)).candidates).toEqual(expected)
  })

  it('offers service ids for the first argument, filtered by the typed prefix', async () => {
    const r = await run(['logs', 's'])
    expect(r.candidates).toEqual(['sams'])
    expect(r.calls).toEqual(['repo=-', 'services'])
  })

  it('offers the environments of the service typed before, skipping flags and their values', async () => {
    const r = await run(['tfc', 'view', '--repo', '/x', 'sams', '--debug', ''])
    expect(r.candidates).toEqual(['dev', 'prod'])
    expect(r.calls).toEqual(['repo=/x', 'environments(sams)'])
  })

  it('resolves aliases and --flag=value forms', async () => {
    const r = await run(['terraform-cloud', 'view', '--repo=/y', 'sams', 'p'])
    expect(r.candidates).toEqual(['prod'])
    expect(r.calls).toEqual(['repo=/y', 'environments(sams)'])
  })

  it('offers the subcommands of a command that is also a topic, then its first argument', async () => {
    expect((await run(['pg', ''])).candidates).toEqual(['connect', 'cody-analytics', 'gatekeeper', 'sams'])
    expect((await run(['pg', 'co'])).candidates).toEqual(['connect', 'cody-analytics'])
    expect((await run(['pg', 'con'])).candidates).toEqual(['connect'])
    expect((await run(['pg', 'connect', ''])).candidates).toEqual(['cody-analytics', 'gatekeeper', 'sams'])
    expect((await run(['pg', 'sams', ''])).candidates).not.toContain('connect')
  })

  it('offers open targets after service and environment', async () => {
    expect((await run(['open', 'sams', 'prod', 'p'])).candidates).toEqual(['postgres'])
  })

  it('asks the shell for file names after a path flag and looks nothing up', async () => {
    const r = await run(['logs', '--repo', ''])
    expect(r).toEqual({candidates: [], files: true, calls: []})
  })

  it('treats words after -- as arguments', async () => {
    expect((await run(['logs', '--', 'sams', ''])).candidates).toEqual(['dev', 'prod'])
  })
})

describe('repoCompletionSources', () => {
  it('lists the services of a repo and the environments of each, leniently', async () => {
    const root = mkdtempSync(join(tmpdir(), 'msp-complete-'))
    mkdirSync(join(root, 'services/a'), {recursive: true})
    mkdirSync(join(root, 'services/b'), {recursive: true})
    // a spec with an invalid value still offers its environments
    writeFileSync(join(root, 'services/a/service.yaml'), 'service: {id: a}\nenvironments:\n  - id: dev\n    category: nope\n  - id: prod\n')
    writeFileSync(join(root, 'services/b/service.yaml'), 'environments: oops\n')
    const sources = repoCompletionSources(root)
    expect(await sources.services()).toEqual(['a', 'b'])
    expect(await sources.environments('a')).toEqual(['dev', 'prod'])
    expect(await sources.environments('b')).toEqual([])
    expect(await sources.environments('missing')).toEqual([])
    expect(await sources.environments('../etc')).toEqual([])
  })

  it('reads environment ids from every fixture of the handbook', async () => {
    const {readFileSync} = await import('node:fs')
    const text = readFileSync(join(fixturesDir, 'sams/service.yaml'), 'utf8')
    expect(environmentIdsOf(text)).toEqual(['dev', 'prod'])
  })
})

describe('completion scripts', () => {
  it.each(['bash', 'zsh', 'fish'] as const)('the %s script calls the hidden command with the words after the binary', (shell) => {
    const script = completionScript(shell, 'msp')
    expect(script).toContain('msp __complete -- ')
    expect(script).toContain(':files')
  })

  it('formats candidates one per line and the file directive last', () => {
    expect(formatCompletion({candidates: ['a', 'b'], files: false})).toBe('a\nb\n')
    expect(formatCompletion({candidates: [], files: true})).toBe(':files\n')
  })
})

describe('completionCommandsFrom', () => {
  it('keeps ids, aliases, argument order and options, and tells value flags from booleans', () => {
    const [cmd] = completionCommandsFrom([
      {
        id: 'tfc:view',
        aliases: ['terraform-cloud:view'],
        args: {service: {name: 'service'}, env: {name: 'env'}, target: {name: 'target', options: ['a']}},
        flags: {
          repo: {name: 'repo', type: 'option'},
          debug: {name: 'debug', type: 'boolean'},
          kind: {name: 'kind', char: 'k', type: 'option', options: ['service', 'job']},
        },
      },
    ])
    expect(cmd).toEqual({
      id: 'tfc:view',
      aliases: ['terraform-cloud:view'],
      hidden: false,
      args: [{name: 'service'}, {name: 'env'}, {name: 'target', options: ['a']}],
      flags: [
        {name: 'repo', takesValue: true},
        {name: 'debug', takesValue: false},
        {name: 'kind', char: 'k', takesValue: true, options: ['service', 'job']},
      ],
    })
  })
})

describe('completionSourcesFor', () => {
  it('offers nothing outside a repository instead of failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msp-norepo-'))
    const sources = completionSourcesFor({cwd: dir, env: {}})
    expect(await sources.services()).toEqual([])
    expect(await sources.environments('x')).toEqual([])
  })

  it('finds the repository from a subfolder, or takes the --repo typed on the line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'msp-repo-'))
    writeFileSync(join(root, '.repository'), 'sourcegraph/managed-services\n')
    mkdirSync(join(root, 'services/svc'), {recursive: true})
    writeFileSync(join(root, 'services/svc/service.yaml'), 'environments: [{id: dev}]\n')
    expect(await completionSourcesFor({cwd: join(root, 'services/svc'), env: {}}).services()).toEqual(['svc'])
    expect(await completionSourcesFor({cwd: tmpdir(), repoFlag: root, env: {}}).environments('svc')).toEqual(['dev'])
  })
})
