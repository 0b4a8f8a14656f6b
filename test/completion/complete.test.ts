/**
 * Completion against the commands of this build (the oclif manifest `npm run build` writes), so every
 * command, argument and enumerated flag value is covered as it ships; repository look-ups go to a
 * recording fake. The shells themselves are exercised in shells.test.ts.
 */
import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readCommandTable} from '../../src/cli/argv.js'
import {complete, type CompletionSources} from '../../src/lib/completion/complete.js'
import {completionScript, formatCompletion} from '../../src/lib/completion/scripts.js'
import {completionSourcesFor, environmentIdsOf, repoCompletionSources} from '../../src/lib/completion/sources.js'
import type {OpenTarget} from '../../src/lib/links/targets.js'
import {fixturesDir, repoDir} from '../helpers/paths.js'

const table = readCommandTable(new URL(`file://${join(repoDir, 'oclif.manifest.json')}`))

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
      targets: async (id, env): Promise<OpenTarget[]> => {
        calls.push(`targets(${id}, ${env})`)
        return env === 'prod' ? ['alerts', 'logs', 'postgres'] : ['alerts', 'logs']
      },
    }
  }
  return {calls, factory}
}

async function run(words: string[]) {
  const fake = fakeSources()
  const result = await complete({words, table, sources: fake.factory})
  return {candidates: result.candidates.map((c) => c.value), files: result.files, calls: fake.calls, described: result.candidates}
}

const TOP = [
  'completion',
  'fleet',
  'generate',
  'handbook',
  'help',
  'init',
  'init-env',
  'logs',
  'migrate',
  'open',
  'operations',
  'pg',
  'schema',
  'status',
  'tfc',
  'validate',
]

describe('complete (the commands of this build)', () => {
  it.each<[string, string[], string[]]>([
    ['top-level commands by prefix', ['t'], ['tfc']],
    ['after a global flag with its value', ['--repo', '/x', 'tf'], ['tfc']],
    ['subcommands of a topic', ['tfc', ''], ['graph', 'sync', 'view']],
    ['subcommands of a topic by prefix', ['tfc', 'v'], ['view']],
    ['subcommands of a topic after a global flag', ['--repo=/x', 'tfc', ''], ['graph', 'sync', 'view']],
    ['fixed argument options', ['completion', 'z'], ['zsh']],
    ['fixed options of a third argument', ['tfc', 'graph', 'sams', 'prod', 'c'], ['cloudrun']],
    ['flag values from the options', ['init', 'x', '--kind', ''], ['service', 'job']],
    ['flag values with --flag=', ['generate', '--edition='], ['--edition=2024-05', '--edition=2024-08']],
    ['short flag values', ['logs', '-c', 's'], ['service']],
    ['one-dash long flag values (the original syntax)', ['fleet', '-category', 't'], ['test']],
    ['suggested --since values', ['logs', 'sams', 'prod', '--print', '--since', '1'], ['15m', '1h', '1d']],
    ['nothing after the last argument', ['logs', 'sams', 'prod', ''], []],
    ['nothing for an unknown command', ['nope', ''], []],
    ['help: command names', ['help', 'tf'], ['tfc']],
    ['help: subcommands', ['help', 'tfc', 's'], ['sync']],
    ['flag names of a command, --help included', ['completion', '--'], ['--debug', '--help', '--json', '--repo']],
  ])('%s', async (_what, words, expected) => {
    expect((await run(words)).candidates).toEqual(expected)
  })

  it.each([[['']], [['--debug', '']], [['-repo=/x', '']]])('offers top-level commands and topics, without hidden ones or aliases (%j)', async (words) => {
    const offered = (await run(words)).candidates
    expect(offered).toEqual(expect.arrayContaining(TOP))
    expect(offered).toEqual([...new Set(offered)].sort())
    const aliases = table.commands.flatMap((c) => c.aliases ?? []).filter((a) => !TOP.includes(a))
    expect(offered.filter((w) => w.startsWith('_') || aliases.includes(w))).toEqual([])
  })

  it('offers flag names not given yet, with their descriptions', async () => {
    const r = await run(['init', 'x', '--kind', 'job', '--n'])
    expect(r.candidates).toEqual(['--name'])
    expect(r.described[0]!.description).toMatch(/\w/)
  })

  it('offers service ids for the first argument, filtered by the typed prefix', async () => {
    const r = await run(['logs', 's'])
    expect(r.candidates).toEqual(['sams'])
    expect(r.calls).toEqual(['repo=-', 'services'])
  })

  it('offers every service id once for commands taking several (validate, migrate)', async () => {
    expect((await run(['validate', 'sams', ''])).candidates).toEqual(['cody-analytics', 'gatekeeper'])
    expect((await run(['migrate', 'gatekeeper', ''])).candidates).toEqual(['cody-analytics', 'sams'])
  })

  it('offers the environments of the service typed before, skipping flags and their values', async () => {
    const r = await run(['tfc', 'view', '--repo', '/x', 'sams', '--debug', ''])
    expect(r.candidates).toEqual(['dev', 'prod'])
    expect(r.calls).toEqual(['repo=/x', 'environments(sams)'])
  })

  it('reads --repo before the command (msp --repo X logs <TAB>)', async () => {
    const r = await run(['--repo', '/x', 'logs', 'sams', ''])
    expect(r.candidates).toEqual(['dev', 'prod'])
    expect(r.calls).toEqual(['repo=/x', 'environments(sams)'])
  })

  it('resolves --flag=value forms and one-dash flags', async () => {
    const r = await run(['tfc', 'view', '-repo=/y', 'sams', 'p'])
    expect(r.candidates).toEqual(['prod'])
    expect(r.calls).toEqual(['repo=/y', 'environments(sams)'])
  })

  it('offers the subcommands of a command that is also a topic, then its first argument', async () => {
    expect((await run(['pg', ''])).candidates).toEqual(['connect', 'cody-analytics', 'gatekeeper', 'sams'])
    expect((await run(['pg', 'co'])).candidates).toEqual(['connect', 'cody-analytics'])
    expect((await run(['pg', 'connect', ''])).candidates).toEqual(['cody-analytics', 'gatekeeper', 'sams'])
    expect((await run(['pg', 'sams', ''])).candidates).not.toContain('connect')
  })

  it('offers the open targets that environment has, described', async () => {
    const r = await run(['open', 'sams', 'dev', ''])
    expect(r.candidates).toEqual(['alerts', 'logs'])
    expect(r.calls).toEqual(['repo=-', 'targets(sams, dev)'])
    expect(r.described).toEqual([
      {value: 'alerts', description: 'Monitoring alert policies'},
      {value: 'logs', description: 'Logs Explorer'},
    ])
    expect((await run(['open', 'sams', 'prod', 'p'])).candidates).toEqual(['postgres'])
  })

  it('asks the shell for file names after a path flag and looks nothing up', async () => {
    const r = await run(['logs', '--repo', ''])
    expect(r).toMatchObject({candidates: [], files: true, calls: []})
    expect(await run(['--repo', ''])).toMatchObject({candidates: [], files: true, calls: []})
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

  it('offers only the targets an environment has, read leniently', async () => {
    const root = mkdtempSync(join(tmpdir(), 'msp-complete-'))
    mkdirSync(join(root, 'services/a'), {recursive: true})
    writeFileSync(
      join(root, 'services/a/service.yaml'),
      'environments:\n  - id: dev\n    category: nope\n  - id: prod\n    resources: {redis: {}, postgreSQL: {databases: [x]}}\n    domain: {type: ' +
        'cloudflare, cloudflare: {subdomain: a, zone: sgdev.org}}\n',
    )
    const sources = repoCompletionSources(root)
    const optional = ['redis', 'postgres', 'bigquery', 'domain']
    expect((await sources.targets('a', 'dev')).filter((t) => optional.includes(t))).toEqual([])
    expect((await sources.targets('a', 'prod')).filter((t) => optional.includes(t))).toEqual(['redis', 'postgres', 'domain'])
    expect(await sources.targets('a', 'nope')).toEqual([])
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
    expect(formatCompletion({candidates: [{value: 'a', description: 'first'}, {value: 'b'}], files: false}, {})).toBe('a\nb\n')
    expect(formatCompletion({candidates: [], files: true}, {})).toBe(':files\n')
  })

  it('adds descriptions after a tab when the script asks for them (zsh, fish)', () => {
    const env = {MSP_COMPLETE_DESCRIPTIONS: '1'}
    expect(formatCompletion({candidates: [{value: 'a', description: 'the\tfirst\none'}, {value: 'b'}], files: false}, env)).toBe('a\tthe first one\nb\n')
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
