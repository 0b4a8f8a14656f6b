// `npm run bench`: start-up ratios against `node -e 0`, validate, handbook and generate on the bundled
// examples and on 1000 synthetic services, and peak memory — all measured in one run on this machine.
import {spawnSync} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync} from 'node:fs'
import {cpus, loadavg, tmpdir, totalmem} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {writeSyntheticRepo} from './synthetic.mjs'
import {runTree} from './tree-rss.mjs'

const root = resolve(fileURLToPath(import.meta.url), '../..')
const bin = join(root, 'bin/run.js')
const examples = join(root, 'examples/managed-services')
const node = process.execPath
const runs = Number(process.env.MSP_BENCH_RUNS ?? 30)
const syntheticCount = Number(process.env.MSP_BENCH_SERVICES ?? 1000)
const scratch = mkdtempSync(join(tmpdir(), 'msp-bench-'))
const loadAtStart = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ')
// The benchmark's own spec cache, so "cold" and "warm" below mean what they say.
const env = {...process.env, NO_COLOR: '1', NODE_ENV: 'production', MSP_CACHE_DIR: join(scratch, 'cache')}
delete env.DEBUG
delete env.MSP_NO_CACHE

function time(argv, options = {}) {
  const start = process.hrtime.bigint()
  const r = spawnSync(node, argv, {env: {...env, ...options.env}, stdio: ['ignore', 'pipe', 'pipe']})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0 && !options.allowFail) {
    throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`)
  }
  return ms
}

/** One run under the probe: wall ms, peak RSS MB and CPU ms (user + system) of the process. */
function probed(argv, options = {}) {
  const file = join(tmpdir(), `msp-bench-rss-${process.pid}`)
  rmSync(file, {force: true})
  const start = process.hrtime.bigint()
  spawnSync(node, ['--import', join(root, 'bench/rss-probe.mjs'), ...argv], {env: {...env, ...options.env, MSP_BENCH_RSS_FILE: file}, stdio: 'ignore'})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  const samples = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' ').map(Number))
  rmSync(file, {force: true})
  return {ms, rssMb: Math.max(...samples.map((s) => s[0])) / 1024, cpuMs: samples.reduce((sum, s) => sum + s[1], 0)}
}

const peakRss = (argv, options = {}) => probed(argv, options).rssMb

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const rows = []
const add = (what, ms, ratio, rssMb, target, cpuMs) => rows.push({what, ms, ratio, rssMb, target, cpuMs})
// MSP_BENCH_ONLY=svg runs only the diagram rows (4–6), e.g. to re-measure the renderer; =startup only the start-up rows (1);
// =generate only the generate rows over the synthetic services (3: cold, unchanged without caches, warm).
const only = process.env.MSP_BENCH_ONLY
if (only !== undefined && !['svg', 'startup', 'generate'].includes(only)) throw new Error(`MSP_BENCH_ONLY=${only}: expected svg, startup or generate`)
const exCopy = join(scratch, 'examples')
cpSync(examples, exCopy, {recursive: true})
const handbookDir = (name) => {
  const dir = join(scratch, name)
  cpSync(join(root, 'bench/handbook-skeleton'), dir, {recursive: true})
  return dir
}
const few = (argv, n = 5) => median(Array.from({length: n}, () => time(argv)))
if (only === undefined || only === 'startup') {
  // 1. Start-up: paired, interleaved runs (each round runs the baseline and every command once),
  //    so drift in machine load hits all of them alike. Ratio = median(command) / median(node -e 0).
  const startup = {
    'node -e 0': ['-e', '0'],
    'msp --version': [bin, '--version'],
    'msp logs <svc> <env>': [bin, 'logs', 'hello-api', 'prod', '--repo', examples],
    'msp logs <svc> <env> --json': [bin, 'logs', 'hello-api', 'prod', '--json', '--repo', examples],
    'msp tfc view <svc> <env> --no-open': [bin, 'tfc', 'view', 'hello-api', 'prod', '--no-open', '--repo', examples],
    'msp open <svc> <env> logs --no-open': [bin, 'open', 'hello-api', 'prod', 'logs', '--no-open', '--repo', examples],
    'msp --help': [bin, '--help'],
    // Shell completion of an environment id (the spec cache filled by the rows above) and of a service id.
    'msp __complete logs <svc> <TAB>': [bin, '__complete', '--', 'logs', '--repo', examples, 'hello-api', ''],
    'msp __complete logs <TAB>': [bin, '__complete', '--', 'logs', '--repo', examples, ''],
  }
  const targets = {
    'msp logs <svc> <env>': '≤ 1.3×',
    'msp logs <svc> <env> --json': '≤ 1.6×',
    'msp --help': '≤ 2×',
    'msp __complete logs <svc> <TAB>': '≤ 1.5×',
    'msp __complete logs <TAB>': '≤ 1.5×',
  }
  const samples = Object.fromEntries(Object.keys(startup).map((k) => [k, []]))
  // Warm the file cache, the spec cache and the root-help cache (oclif renders the help once).
  for (const argv of Object.values(startup)) time(argv)
  for (let i = 0; i < runs; i++) for (const [k, argv] of Object.entries(startup)) samples[k].push(time(argv))
  const base = median(samples['node -e 0'])
  for (const [k, argv] of Object.entries(startup)) add(k, median(samples[k]), median(samples[k]) / base, peakRss(argv), targets[k] ?? '')

  // Completion next to a 100 MB spec: the bounded reader refuses it by size before reading a byte, so
  // the TAB answers in start-up time (before, the spec was read and parsed: 51 s and 3.4 GB).
  const hugeRepo = join(scratch, 'huge-spec')
  cpSync(examples, hugeRepo, {recursive: true})
  mkdirSync(join(hugeRepo, 'services/huge'), {recursive: true})
  writeFileSync(join(hugeRepo, 'services/huge/service.yaml'), 'environments:\n  - id: prod\n')
  truncateSync(join(hugeRepo, 'services/huge/service.yaml'), 100 * 1024 * 1024)
  const hugeArgv = [bin, '__complete', '--', 'logs', '--repo', hugeRepo, 'huge', '']
  add('msp __complete logs <svc> <TAB> next to a 100 MB spec', few(hugeArgv), undefined, peakRss(hugeArgv), '< 1 s')
}
if (only === undefined) {
  // 2. validate, handbook and generate on the bundled examples (in a scratch copy).
  add('msp validate (3 examples)', few([bin, 'validate', '--repo', exCopy]), undefined, peakRss([bin, 'validate', '--repo', exCopy]))
  const exHandbook = handbookDir('handbook-examples')
  add(
    'msp handbook (3 examples, no SVG)',
    few([bin, 'handbook', '--no-diagrams', '--handbook-path', exHandbook, '--repo', exCopy]),
    undefined,
    peakRss([bin, 'handbook', '--no-diagrams', '--handbook-path', exHandbook, '--repo', exCopy]),
  )
  add('msp generate --all (3 examples)', few([bin, 'generate', '--all', '--repo', exCopy]), undefined, peakRss([bin, 'generate', '--all', '--repo', exCopy]))
}
if (only === undefined || only === 'generate') {
  // 3. 1000 synthetic services × 2 environments.
  const synth = join(scratch, 'synthetic')
  writeSyntheticRepo(synth, syntheticCount)
  const noCache = {env: {MSP_NO_CACHE: '1'}}
  if (only === undefined) {
    const synthHandbook = handbookDir('handbook-synthetic')
    const handbookArgv = [bin, 'handbook', '--no-diagrams', '--handbook-path', synthHandbook, '--repo', synth]
    add(
      `msp handbook (${syntheticCount} services, no SVG, no cache: every spec parsed)`,
      time(handbookArgv, noCache),
      undefined,
      peakRss(handbookArgv, noCache),
    )
    add(`msp handbook (${syntheticCount} services, no SVG, spec cache warm)`, few(handbookArgv, 3), undefined, peakRss(handbookArgv), '< 2 s')
  }
  // Cold: a fresh copy of the repository, no spec cache and no stamps, so every spec is parsed and
  // every environment built, rendered and written (12,000 files). Its CPU time is shown too: on a
  // shared machine it moves far less with the load than the wall time does.
  const cold = join(scratch, 'synthetic-cold')
  writeSyntheticRepo(cold, syntheticCount)
  const coldRun = probed([bin, 'generate', '--all', '--repo', cold], noCache)
  add(
    `msp generate --all (${syntheticCount} × 2 envs, cold: no spec cache, no stamps, 12,000 files written)`,
    coldRun.ms,
    undefined,
    coldRun.rssMb,
    '< 6 s',
    coldRun.cpuMs,
  )
  const genArgv = [bin, 'generate', '--all', '--repo', synth]
  time(genArgv) // writes the files the rows below find unchanged
  const unchanged = probed(genArgv, noCache)
  add(
    `msp generate --all (${syntheticCount} × 2 envs, unchanged, no caches: every spec parsed and rendered)`,
    time(genArgv, noCache),
    undefined,
    unchanged.rssMb,
    '',
    unchanged.cpuMs,
  )
  const warm = probed(genArgv)
  add(`msp generate --all (${syntheticCount} × 2 envs, unchanged, caches warm)`, few(genArgv, 3), undefined, warm.rssMb, '< 3 s, < 300 MB', warm.cpuMs)
}
if (only === undefined) {
  const synth = join(scratch, 'synthetic')
  const noCache = {env: {MSP_NO_CACHE: '1'}}
  // msp diff on the same repository: --exit-code makes a reported change fail the run, so every row
  // below also checks that nothing differs.
  const diffArgv = [bin, 'diff', '--all', '--exit-code', '--repo', synth]
  add(`msp diff --all (${syntheticCount} × 2 envs, no change, no caches: every environment built and compared)`, time(diffArgv, noCache), undefined, undefined)
  add(`msp diff --all (${syntheticCount} × 2 envs, no change, caches warm)`, few(diffArgv, 3), undefined, peakRss(diffArgv), '< 2 s')
  // A pull request that changes one service: only its environments are built again.
  const changedSpec = join(synth, 'services/svc-0001/service.yaml')
  const specText = readFileSync(changedSpec, 'utf8')
  writeFileSync(changedSpec, specText.replace('maxCount: 10', 'maxCount: 11'))
  const oneChanged = few([bin, 'diff', '--all', '--repo', synth], 3)
  writeFileSync(changedSpec, specText)
  add(`msp diff --all (${syntheticCount} × 2 envs, one service changed, caches warm)`, oneChanged, undefined, undefined)

  // Ctrl-C while every spec is being parsed (no cache): SIGINT a second after start-up (spawnSync's
  // timeout sends it and waits for the exit); the row is the time from the signal to the exit, the
  // slowest of 3. Before, the signal waited until loading ended (17 s on 2,000 services).
  const startupMs = few([bin, 'validate', '--repo', exCopy], 3)
  const interrupted = (argv) => {
    const afterMs = Math.round(startupMs) + 1000
    const start = process.hrtime.bigint()
    const r = spawnSync(node, argv, {env: {...env, MSP_NO_CACHE: '1'}, stdio: ['ignore', 'pipe', 'pipe'], timeout: afterMs, killSignal: 'SIGINT'})
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (r.status !== 130) throw new Error(`${argv.join(' ')}: expected exit 130 after SIGINT at ${afterMs} ms, got ${r.status ?? r.signal}: ${r.stderr}`)
    return ms - afterMs
  }
  for (const [what, argv] of [
    ['msp validate', [bin, 'validate', '--repo', synth]],
    ['msp generate --all', [bin, 'generate', '--all', '--check', '--repo', synth]],
  ]) {
    const slowest = Math.max(...Array.from({length: 3}, () => interrupted(argv)))
    add(`Ctrl-C during ${what} (${syntheticCount} services, every spec parsed): signal to exit, slowest of 3`, slowest, undefined, undefined, '< 0.5 s')
  }
}

if (only === undefined || only === 'svg') {
  // SVG rows: D2 runs in a child process, so memory is the peak of msp + D2 together (runTree).
  const tree = async (argv) => {
    const r = await runTree(node, argv, env)
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`)
    return r
  }

  // 4. One architecture diagram rendered to SVG (D2, WASM), the per-diagram cost.
  const svgArgv = [bin, 'handbook', 'diagram', 'usage-ledger', 'prod', '--format', 'svg', '--repo', exCopy]
  const oneSvg = []
  for (let i = 0; i < 3; i++) oneSvg.push(await tree(svgArgv))
  add(
    'msp handbook diagram --format svg (1 diagram, includes loading D2)',
    median(oneSvg.map((r) => r.ms)),
    undefined,
    Math.max(...oneSvg.map((r) => r.peakMb)),
  )

  // 5. The handbook with its 6 SVG diagrams (3 examples × 2 environments); the second run finds every
  //    D2 source unchanged and renders none.
  const svgHandbook = handbookDir('handbook-svg')
  const withSvg = [bin, 'handbook', '--handbook-path', svgHandbook, '--repo', exCopy]
  const svgFirst = await tree(withSvg)
  add('msp handbook with SVGs (3 examples, 6 diagrams, first run)', svgFirst.ms, undefined, svgFirst.peakMb)
  add('msp handbook with SVGs (rerun, D2 sources unchanged: none rendered)', (await tree(withSvg)).ms, undefined, undefined)

  // 6. 20 diagrams: 10 synthetic services × 2 environments, first run. The progress lines (plain, as
  //    stderr is a pipe here) must be there: the loading step and one line per diagram.
  const synth20 = join(scratch, 'synthetic-20')
  writeSyntheticRepo(synth20, 10)
  const twenty = await tree([bin, 'handbook', '--handbook-path', handbookDir('handbook-svg-20'), '--repo', synth20])
  const svgLines = twenty.stderr.split('\n').filter((l) => /Wrote ".*\.svg"$/.test(l)).length
  if (!twenty.stderr.includes('Loading the diagram renderer') || svgLines !== 20) {
    throw new Error(`handbook with 20 diagrams: expected progress lines for 20 SVGs, got ${svgLines}:\n${twenty.stderr}`)
  }
  add('msp handbook with SVGs (10 services × 2 envs = 20 diagrams, first run, progress shown)', twenty.ms, undefined, twenty.peakMb, '< 30 s, < 1 GB')
  add('  … per diagram', twenty.ms / 20, undefined, undefined)
}

rmSync(scratch, {recursive: true, force: true})

const fmt = (n, d = 1) => (n === undefined ? '' : n.toFixed(d))
/**
 * Whether a row meets its target, clause by clause: `≤ 1.3×` (the ratio to node -e 0), `< 2 s` (the
 * median wall time), `< 300 MB` / `< 1 GB` (the peak RSS). undefined without a target.
 */
function verdict(r) {
  if (!r.target) return undefined
  return r.target.split(',').every((clause) => {
    const m = /^\s*([<≤])\s*([\d.]+)\s*(×|s|MB|GB)\s*$/.exec(clause)
    if (!m) throw new Error(`bench: cannot read the target "${r.target}" of "${r.what}"`)
    const limit = Number(m[2]) * (m[3] === 's' ? 1000 : m[3] === 'GB' ? 1024 : 1)
    const value = m[3] === '×' ? r.ratio : m[3] === 's' ? r.ms : r.rssMb
    if (value === undefined) return false
    return m[1] === '<' ? value < limit : value <= limit
  })
}
const lines = [
  `machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
    `${runs} paired start-up runs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end (${loadAtStart} at the start)`,
  '',
  '| what | median ms | × node -e 0 | peak RSS MB | CPU ms | target | met |',
  '| --- | ---: | ---: | ---: | ---: | --- | --- |',
  ...rows.map((r) => {
    const met = verdict(r)
    const ratio = r.ratio === undefined ? '' : `${fmt(r.ratio, 2)}×`
    const metText = met === undefined ? '' : met ? 'pass' : 'FAIL'
    return `| ${r.what} | ${fmt(r.ms)} | ${ratio} | ${fmt(r.rssMb, 0)} | ${fmt(r.cpuMs, 0)} | ${r.target ?? ''} | ${metText} |`
  }),
  '',
  `targets met in this run: ${rows.filter((r) => verdict(r) === true).length} of ${rows.filter((r) => r.target).length}${rows
    .filter((r) => verdict(r) === false)
    .map((r) => `; FAIL: ${r.what}`)
    .join('')}`,
]
console.log(lines.join('\n'))
if (process.env.MSP_BENCH_OUT) writeFileSync(process.env.MSP_BENCH_OUT, `${lines.join('\n')}\n`)
