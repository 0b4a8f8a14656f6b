import {createHash} from 'node:crypto'
import {availableParallelism} from 'node:os'

/** Renders D2 source to SVG; `close()` must be called so the WASM workers let the process exit. */
export interface SvgRenderer {
  render(d2Source: string): Promise<string>
  close(): Promise<void>
}

interface D2Instance {
  compile(input: string, options?: {layout?: 'dagre' | 'elk'}): Promise<{diagram: unknown; renderOptions: Record<string, unknown>}>
  render(diagram: unknown, options?: Record<string, unknown>): Promise<string>
  ready: Promise<void>
  worker?: {terminate(): Promise<number> | void}
}

/**
 * Creates an SVG renderer backed by the D2 compiler from npm (WASM in worker threads). The package is
 * imported only here, when the first SVG is needed, so the rest of the CLI does not pay for it. One
 * D2 instance handles one request at a time (its worker has a single pending promise), so concurrency
 * comes from a small pool of instances, each started lazily.
 * @param options - how many D2 workers to run at most (default: one per core, at most 2: each D2 worker peaks near 1 GB of memory)
 */
export function createSvgRenderer(options: {concurrency?: number} = {}): SvgRenderer {
  const size = Math.max(1, options.concurrency ?? Math.min(2, availableParallelism()))
  const idle: D2Instance[] = []
  const all: D2Instance[] = []
  const waiting: ((d2: D2Instance) => void)[] = []
  let closed = false

  const acquire = async (): Promise<D2Instance> => {
    const free = idle.pop()
    if (free) return free
    if (all.length < size) {
      const {D2} = (await import('@terrastruct/d2')) as unknown as {D2: new () => D2Instance}
      const d2 = new D2()
      all.push(d2)
      return d2
    }
    return new Promise((resolve) => waiting.push(resolve))
  }
  const release = (d2: D2Instance) => {
    const next = waiting.shift()
    if (next) next(d2)
    else idle.push(d2)
  }

  return {
    async render(d2Source) {
      if (closed) throw new Error('SVG renderer already closed')
      const d2 = await acquire()
      try {
        const compiled = await d2.compile(d2Source, {layout: 'dagre'})
        return await d2.render(compiled.diagram, {...compiled.renderOptions, noXMLTag: false})
      } finally {
        release(d2)
      }
    },
    async close() {
      closed = true
      // Terminating the workers is what lets Node exit: they keep the event loop alive otherwise.
      await Promise.all(
        all.map(async (d2) => {
          await d2.ready.catch(() => undefined)
          await d2.worker?.terminate()
        }),
      )
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
