import {spawn, type ChildProcess} from 'node:child_process'
import {createHash} from 'node:crypto'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {onShutdown} from '../io/shutdown.js'

/** Renders D2 source to SVG; `close()` must be called so the D2 process ends and Node can exit. */
export interface SvgRenderer {
  render(d2Source: string): Promise<string>
  close(): Promise<void>
}

/** What the renderer is doing, for progress output: loading D2's WASM takes seconds. */
export type SvgRendererEvent = {kind: 'loading'} | {kind: 'ready'; ms: number} | {kind: 'recycled'; rssBytes: number}

/** Default RSS of the D2 process above which it is replaced (it loads at about 250 MB; msp itself stays near 100 MB). */
export const SVG_RENDERER_MAX_RSS = 700 * 1024 * 1024
/** A D2 process is replaced only when it grew by this much since it loaded (else a new one would not help). */
const MIN_GROWTH = 128 * 1024 * 1024

// The D2 process: loads the package's ESM build (file URL in argv[1]) once, renders one request at a
// time, answers with the SVG and its own RSS, and ends when msp disconnects. V8 runs D2's 22 MB of
// WASM with its baseline compiler only: the optimising tier-up cost 2.4 s of CPU and 450 MB while
// loading, for no faster renders (measured on 20 diagrams; the SVGs are byte-identical).
const D2_PROCESS_SCRIPT = `
require('node:v8').setFlagsFromString('--liftoff-only')
const text = (e) => String((e && e.message) || e)
let d2
let chain = import(process.argv[1]).then(({D2}) => {
  d2 = new D2()
  return d2.ready
}).then(
  () => process.send({type: 'ready', rss: process.memoryUsage.rss()}),
  (e) => process.send({type: 'failed', error: text(e)}),
)
process.on('message', (m) => {
  chain = chain.then(async () => {
    try {
      const compiled = await d2.compile(m.source, {layout: 'dagre'})
      const svg = await d2.render(compiled.diagram, {...compiled.renderOptions, noXMLTag: false})
      process.send({type: 'result', id: m.id, svg, rss: process.memoryUsage.rss()})
    } catch (e) {
      process.send({type: 'result', id: m.id, error: text(e), rss: process.memoryUsage.rss()})
    }
  })
})
process.on('disconnect', () => process.kill(process.pid))
`

type D2Message = {type: 'ready'; rss: number} | {type: 'failed'; error: string} | {type: 'result'; id: number; svg?: string; error?: string; rss: number}

interface D2Process {
  child: ChildProcess
  /** Resolves with the RSS at load, rejects when D2 fails to load. */
  ready: Promise<number>
  exited: Promise<void>
  /** The one request in flight. */
  pending?: {id: number; resolve: (m: D2Message & {type: 'result'}) => void; reject: (e: Error) => void}
}

function startD2Process(): D2Process {
  // The package's `require` entry is dist/node-cjs/index.js (which exports nothing in 0.1.33); its
  // Node ESM build sits beside it. Loaded by absolute URL: the working directory may be anywhere.
  const cjs = createRequire(import.meta.url).resolve('@terrastruct/d2')
  const entry = pathToFileURL(join(dirname(dirname(cjs)), 'node-esm', 'index.js')).href
  // No shell: node runs the script text directly.
  const child = spawn(process.execPath, ['-e', D2_PROCESS_SCRIPT, entry], {stdio: ['ignore', 'ignore', 'inherit', 'ipc']})
  const proc: D2Process = {child, ready: Promise.resolve(0), exited: Promise.resolve()}
  // An interrupted msp stops and waits for its D2 process, so none outlives it.
  const unregister = onShutdown(() => stopD2Process(proc))
  let onReady: {resolve: (rss: number) => void; reject: (e: Error) => void} | undefined
  proc.ready = new Promise((resolve, reject) => (onReady = {resolve, reject}))
  proc.exited = new Promise((resolve) => {
    const gone = (why: string) => {
      const error = new Error(`the D2 renderer ${why}`)
      onReady?.reject(error)
      proc.pending?.reject(error)
      proc.pending = undefined
      unregister()
      resolve()
    }
    child.once('error', (e) => gone(`could not start: ${e.message}`))
    child.once('exit', (code, signal) => gone(`exited unexpectedly (${signal ?? `code ${code}`})`))
  })
  child.on('message', (message: D2Message) => {
    if (message.type === 'ready') onReady?.resolve(message.rss)
    else if (message.type === 'failed') onReady?.reject(new Error(`the D2 renderer could not load: ${message.error}`))
    else if (proc.pending?.id === message.id) {
      const {resolve} = proc.pending
      proc.pending = undefined
      resolve(message)
    }
  })
  return proc
}

async function stopD2Process(proc: D2Process): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill()
  await proc.exited
}

/**
 * Creates an SVG renderer backed by the D2 compiler from npm (WASM), run in a child process that is
 * started only when the first SVG is needed, so the rest of the CLI does not pay for it.
 *
 * One D2 process renders every diagram, one at a time: loading D2 costs about 0.8 s of CPU and 250 MB,
 * a render 100–200 ms of CPU (measured on 20 diagrams; when every diagram started its own D2 instance,
 * as before, 20 diagrams took 32 s and 2.7 GB). Go's WASM memory never shrinks, and a terminated worker
 * thread does not give it back either (measured: +300 MB per recycled worker), so D2 runs in its own
 * process: after a render that leaves that process above `maxRssBytes`, grown by more than
 * `minGrowthBytes` since it loaded, it is ended and the next render starts a fresh one.
 * @param options - the memory limit, the growth that allows a recycle, and a progress callback
 */
export function createSvgRenderer(options: {maxRssBytes?: number; minGrowthBytes?: number; onEvent?: (event: SvgRendererEvent) => void} = {}): SvgRenderer {
  const maxRss = options.maxRssBytes ?? SVG_RENDERER_MAX_RSS
  const minGrowth = options.minGrowthBytes ?? MIN_GROWTH
  const emit = options.onEvent ?? (() => undefined)
  let current: D2Process | undefined
  let retiring: Promise<void> = Promise.resolve()
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false
  let nextId = 0

  const renderOne = async (source: string): Promise<string> => {
    if (!current) {
      // A recycled process is gone before the next one loads: two at once would double the peak.
      await retiring
      const started = Date.now()
      emit({kind: 'loading'})
      current = startD2Process()
      const proc = current
      proc.ready.then(
        () => emit({kind: 'ready', ms: Date.now() - started}),
        () => undefined,
      )
    }
    const proc = current
    let rssAtReady: number
    try {
      rssAtReady = await proc.ready
    } catch (error) {
      current = undefined
      await stopD2Process(proc)
      throw error
    }
    const id = nextId++
    const answer = await new Promise<D2Message & {type: 'result'}>((resolve, reject) => {
      proc.pending = {id, resolve, reject}
      proc.child.send({id, source})
    }).catch((error: unknown) => {
      if (current === proc) current = undefined
      throw error
    })
    if (answer.rss > maxRss && (minGrowth <= 0 || answer.rss - rssAtReady >= minGrowth) && current === proc) {
      current = undefined
      retiring = stopD2Process(proc)
      emit({kind: 'recycled', rssBytes: answer.rss})
    }
    if (answer.error !== undefined) throw new Error(`D2 could not render the diagram: ${answer.error}`)
    return answer.svg ?? ''
  }

  return {
    render(d2Source) {
      if (closed) return Promise.reject(new Error('SVG renderer already closed'))
      // One request at a time: a render uses the whole D2 process.
      const result = queue.then(() => renderOne(d2Source))
      queue = result.catch(() => undefined)
      return result
    },
    async close() {
      closed = true
      await queue
      const last = current
      current = undefined
      // Ending the D2 process is what lets Node exit: the IPC channel keeps the event loop alive.
      await Promise.all([retiring, last ? stopD2Process(last) : undefined])
    },
  }
}

/** The marker comment that records which D2 source an SVG was rendered from. */
const HASH_PREFIX = '<!-- msp-d2-source-sha256: '

/**
 * A short content hash of D2 source, stored in the SVG so an unchanged diagram is not re-rendered.
 * @param d2Source - the D2 text
 */
export function d2SourceHash(d2Source: string): string {
  // The renderer's version is part of the hash: a D2 upgrade re-renders every diagram once.
  return createHash('sha256').update(`${D2_RENDERER}\0${d2Source}`).digest('hex').slice(0, 32)
}

/** The D2 package that renders the SVGs (pinned in package.json; a test keeps the two in step). */
export const D2_RENDERER = '@terrastruct/d2@0.1.33'

/**
 * Appends the source-hash comment to a rendered SVG (after the root element, so viewers ignore it).
 * @param svg - the SVG document
 * @param d2Source - the D2 text it was rendered from
 */
export function stampSvg(svg: string, d2Source: string): string {
  return `${svg.trimEnd()}\n${HASH_PREFIX}${d2SourceHash(d2Source)} -->\n`
}

/**
 * The D2 source hash recorded in an SVG written by msp, or undefined for any other file.
 * @param svg - an existing SVG file's contents
 */
export function svgSourceHash(svg: string): string | undefined {
  const at = svg.lastIndexOf(HASH_PREFIX)
  if (at === -1) return undefined
  return /^([0-9a-f]+) -->/.exec(svg.slice(at + HASH_PREFIX.length))?.[1]
}
