import {describe, expect, test} from 'vitest'
import {createSvgRenderer, type SvgRendererEvent} from '../../src/lib/handbook/svg.js'

// The real D2 WebAssembly build (a second or more to load per process): these tests are about how many
// D2 processes run, which only the real renderer can show.
const sources = ['a -> b\n', 'x -> y -> z\n', 'p: {q -> r}\n', 'a -> b\n']

describe('SVG renderer (D2)', () => {
  test('concurrent renders share one D2 process (one ~650 MB WASM load, not one per diagram)', async () => {
    const events: SvgRendererEvent[] = []
    const renderer = createSvgRenderer({onEvent: (e) => events.push(e)})
    try {
      const svgs = await Promise.all(sources.map((s) => renderer.render(s)))
      expect(svgs.every((svg) => svg.includes('<svg'))).toBe(true)
      expect(svgs[3]).toBe(svgs[0])
      // A D2 error fails that render only; the same process renders the next one.
      await expect(renderer.render('a -> \n{')).rejects.toThrow(/D2 could not render the diagram/)
      expect(await renderer.render(sources[1]!)).toBe(svgs[1])
    } finally {
      await renderer.close()
    }
    expect(events.filter((e) => e.kind === 'loading')).toHaveLength(1)
    expect(events.filter((e) => e.kind === 'ready')).toHaveLength(1)
  }, 300_000)

  test('a D2 process that grows past the memory limit is recycled, and the output stays the same', async () => {
    const events: SvgRendererEvent[] = []
    // A limit every render exceeds: each render is followed by a recycle.
    const renderer = createSvgRenderer({maxRssBytes: 1, minGrowthBytes: 0, onEvent: (e) => events.push(e)})
    try {
      const first = await renderer.render(sources[1]!)
      const second = await renderer.render(sources[1]!)
      expect(first).toContain('<svg')
      expect(second).toBe(first)
    } finally {
      await renderer.close()
    }
    expect(events.map((e) => e.kind)).toEqual(['loading', 'ready', 'recycled', 'loading', 'ready', 'recycled'])
  }, 300_000)
})
