import type {Progress} from '../io/progress.js'
import type {SvgRendererEvent} from './svg.js'

/**
 * What SVG rendering shows while it runs: loading D2 (seconds of silence otherwise), then `3/20`
 * diagrams on a terminal, and a note when the D2 process is replaced because it grew.
 * @param progress - the command's progress reporter
 * @param what - what is being rendered, e.g. "diagrams"
 */
export function svgProgress(
  progress: Progress,
  what = 'diagrams',
): {
  onEvent: (event: SvgRendererEvent) => void
  onRender: (done: number, total: number, file: string) => void
} {
  return {
    onEvent(event) {
      if (event.kind === 'loading') progress.step('Loading the diagram renderer (D2 WebAssembly)…')
      else if (event.kind === 'ready') progress.step(`Diagram renderer loaded in ${(event.ms / 1000).toFixed(1)} s; rendering ${what}`)
      else progress.step(`Restarting the diagram renderer (its process had grown to ${Math.round(event.rssBytes / 2 ** 20)} MB); rendering ${what}`)
    },
    onRender(done, total, file) {
      progress.count(done, total, file)
    },
  }
}
