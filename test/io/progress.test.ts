import {describe, expect, test} from 'vitest'
import {createProgress} from '../../src/lib/io/progress.js'

function stream(isTTY: boolean) {
  let text = ''
  return {write: (chunk: string) => (text += chunk), isTTY, columns: 60, text: () => text}
}

describe('progress on stderr', () => {
  test('not on a terminal: one plain line per step, no counters, no control characters', () => {
    const err = stream(false)
    const p = createProgress(err, {})
    p.step('Loading the diagram renderer (D2 WebAssembly)…')
    p.count(1, 20, 'a-dev.svg')
    p.line('Wrote "a-dev.svg"')
    p.step('Diagram renderer loaded in 1.2 s; rendering diagrams')
    p.count(2, 20, 'a-prod.svg')
    p.end()
    expect(err.text()).toBe('Loading the diagram renderer (D2 WebAssembly)…\nWrote "a-dev.svg"\nDiagram renderer loaded in 1.2 s; rendering diagrams\n')
  })

  test('TERM=dumb counts as not a terminal', () => {
    const err = stream(true)
    const p = createProgress(err, {TERM: 'dumb'})
    p.step('Loading')
    p.count(3, 20)
    p.end()
    expect(err.text()).toBe('Loading\n')
  })

  test('on a terminal: one status line rewritten in place with 3/20 and the elapsed time, cleared around other lines and at the end', () => {
    const err = stream(true)
    let clock = 0
    const p = createProgress(err, {}, () => clock)
    p.step('Rendering diagrams')
    clock = 2500
    p.count(3, 20, 'svc-prod.svg')
    p.line('Wrote "svc-prod.svg"')
    p.end()
    expect(err.text()).toBe(
      '\r\u001B[2KRendering diagrams' +
        '\r\u001B[2KRendering diagrams 3/20 svc-prod.svg (2 s)' +
        '\r\u001B[2KWrote "svc-prod.svg"\n' +
        '\r\u001B[2KRendering diagrams 3/20 svc-prod.svg (2 s)' +
        '\r\u001B[2K',
    )
  })

  test('a terminal that reports 0 columns is taken as 80 wide', () => {
    const err = {...stream(true), columns: 0}
    let text = ''
    err.write = (chunk: string) => (text += chunk)
    const p = createProgress(err, {}, () => 0)
    p.step('Loading the diagram renderer (D2 WebAssembly)…')
    p.end()
    expect(text).toBe('\r\u001B[2KLoading the diagram renderer (D2 WebAssembly)…\r\u001B[2K')
  })

  test('on a terminal, a status line longer than the terminal is cut to fit', () => {
    const err = stream(true)
    const p = createProgress(err, {}, () => 0)
    p.step('x'.repeat(100))
    p.end()
    const status = err.text().split('\r\u001B[2K')[1]!
    expect([...status]).toHaveLength(59)
    expect(status.endsWith('…')).toBe(true)
  })
})
