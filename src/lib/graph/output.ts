/** `msp tfc graph` output: the graph of one stack as DOT, JSON or SVG, or an SVG file beside the repo. */
import {join} from 'node:path'
import {SafeFolder} from '../io/safe-folder.js'
import type {WriteTracker} from '../io/write-tracker.js'
import {createSvgRenderer as defaultRenderer, type SvgRenderer} from '../handbook/svg.js'
import type {StackName} from '../stacks/naming.js'
import {renderDot, renderGraphD2, type StackGraph} from './stack-graph.js'

export const GRAPH_FORMATS = ['dot', 'json', 'svg'] as const
export type GraphFormat = (typeof GRAPH_FORMATS)[number]

/**
 * The graph in one format. SVG goes through the D2 renderer the handbook uses (WASM, loaded only here).
 * @param graph - the stack graph
 * @param format - dot, json or svg
 * @param createSvgRenderer - the renderer factory (injected by tests)
 */
export async function formatStackGraph(graph: StackGraph, format: GraphFormat, createSvgRenderer: () => SvgRenderer = defaultRenderer): Promise<string> {
  if (format === 'dot') return renderDot(graph)
  if (format === 'json') return `${JSON.stringify(graph, null, 2)}\n`
  const renderer = createSvgRenderer()
  try {
    return await renderer.render(renderGraphD2(graph))
  } finally {
    await renderer.close()
  }
}

/** `<svc>-<env>.<stack>.svg`: the original's file name, with SVG instead of PNG. */
export function graphFileName(serviceId: string, envId: string, stack: StackName): string {
  return `${serviceId}-${envId}.${stack}.svg`
}

/**
 * Renders the graph as SVG and writes it atomically to `<dir>/<svc>-<env>.<stack>.svg`; returns the path.
 * @param options - the graph, ids for the file name, target folder and renderer factory
 */
export async function writeStackGraphSvg(options: {
  graph: StackGraph
  serviceId: string
  envId: string
  stack: StackName
  dir: string
  createSvgRenderer?: () => SvgRenderer
  /** The run's writes in flight. */
  writes?: WriteTracker
}): Promise<string> {
  const name = graphFileName(options.serviceId, options.envId, options.stack)
  // Through the write guard: the file name is one plain segment and the file itself no symlink.
  await new SafeFolder(options.dir, {what: 'output folder', ...(options.writes ? {writes: options.writes} : {})}).write(
    name,
    await formatStackGraph(options.graph, 'svg', options.createSvgRenderer),
  )
  return join(options.dir, name)
}
