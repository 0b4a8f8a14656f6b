import type {Edition} from '../edition/editions.js'
import {collectAlertPolicies} from './alerts.js'
import {buildDiagram, renderD2, type Diagram} from './diagram.js'
import type {HandbookService} from './generate.js'
import {renderServicePage} from './service-page.js'
import type {HandbookEnvironment, HandbookSpec} from './spec-view.js'
import type {SvgRenderer} from './svg.js'
import type {Styler} from '../io/output.js'
import {terminalSafePage} from '../io/terminal.js'

/**
 * The page `msp operations <service>` prints: the handbook page in terminal mode (absolute handbook
 * links, only the `Generated from:` header line), with the alert policies from the monitoring model.
 * @param service - the loaded service (spec and README body)
 * @param options - the edition, and the git revision of the repo if known
 */
export function renderOperationsPage(service: HandbookService, options: {edition: Edition; revision?: string | undefined}): string {
  return renderServicePage(service.spec, collectAlertPolicies(service.spec, options.edition), {readme: service.readme, revision: options.revision})
}

/** Output formats of `msp handbook diagram`. */
export type DiagramFormat = 'json' | 'd2' | 'svg'

/**
 * One environment's architecture diagram as the graph model, D2 source, or an SVG rendered by D2
 * (the renderer is created only for SVG and always closed, so its workers let the process exit).
 * @param options - spec, environment, format and the SVG renderer factory
 */
export async function renderDiagram(options: {
  spec: HandbookSpec
  env: HandbookEnvironment
  format: DiagramFormat
  edition: Edition
  createSvgRenderer: () => SvgRenderer
}): Promise<Diagram | string> {
  const diagram = buildDiagram(options.spec, options.env, options.edition)
  if (options.format === 'json') return diagram
  const d2 = renderD2(diagram)
  if (options.format === 'd2') return d2
  const renderer = options.createSvgRenderer()
  try {
    return await renderer.render(d2)
  } finally {
    await renderer.close()
  }
}

/**
 * Light terminal styling of a Markdown page (headings bold, callouts cyan, code and comments dim);
 * with a no-op styler (piped output, NO_COLOR) the page is returned byte for byte.
 * @param page - the Markdown page
 * @param style - the stdout styler
 */
export function styleMarkdownForTerminal(page: string, style: Styler): string {
  let fenced = false
  let comment = false
  // Spec text in the page (names, owners, descriptions, the README) is shown, never interpreted.
  return terminalSafePage(page)
    .split('\n')
    .map((line) => {
      if (line.startsWith('```')) {
        fenced = !fenced
        return style('dim', line)
      }
      if (line === '<!--') comment = true
      const styled = fenced || comment ? style('dim', line) : line.startsWith('#') ? style('bold', line) : line.startsWith('>') ? style('cyan', line) : line
      if (line === '-->') comment = false
      return styled
    })
    .join('\n')
}
