/**
 * The resource graph of one stack, computed from msp's own Terraform model instead of `terraform init`
 * + `terraform graph`: a node per resource and data source, an edge from a block to every block it
 * references (interpolations and `depends_on`). The original's clean-up of `terraform graph` output
 * is applied as a rule on addresses: no root, no providers, no `output-*` outputs and none of the
 * Secret Manager copies of stack outputs.
 */
import {TfExpr, type TfBlock, type TfConfig, type TfValue} from '../terraform/model.js'

/** One resource (`<type>.<name>`) or data source (`data.<type>.<name>`). */
export interface GraphNode {
  id: string
  type: string
  name: string
  mode: 'managed' | 'data'
}

/** `from` refers to `to` (Terraform's direction: the dependent points at its dependency). */
export interface GraphEdge {
  from: string
  to: string
}

/** What `msp tfc graph --format json` prints. */
export interface StackGraph {
  nodes: GraphNode[]
  edges: GraphEdge[]
}

/** Addresses the original removed from `terraform graph` output (as the original's `sg msp tfc graph` filters it): the Secret Manager copies of outputs. */
const DROPPED = ['google_secret_manager_secret.output', 'google_secret_manager_secret_version.output']

/** True when the original's filter would have dropped every line mentioning this address. */
function dropped(address: string): boolean {
  return DROPPED.some((d) => address.includes(d))
}

function nodeOf(block: TfBlock, mode: GraphNode['mode']): GraphNode {
  const id = `${mode === 'data' ? 'data.' : ''}${block.type}.${block.name}`
  return {id, type: block.type, name: block.name, mode}
}

// `${ … }` not preceded by `$` (`$${` is Terraform's escape for a literal `${`).
const INTERPOLATION = /(?<!\$)\$\{([^}]*)\}/g
// A `<type>.<name>` or `data.<type>.<name>` traversal start; attribute traversals after it are not matched
// because they follow a dot.
const TRAVERSAL = /(?<![\w.-])((?:data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)/g

// Only expressions can refer to anything: plain strings are literal text (the renderer escapes them).
function collectStrings(value: TfValue | undefined, out: string[]): void {
  if (value instanceof TfExpr) out.push(value.text)
  else if (Array.isArray(value)) for (const v of value as TfValue[]) collectStrings(v, out)
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, out)
}

/** Every address a block body refers to: traversals inside interpolations, and `depends_on` entries. */
function referencesOf(block: TfBlock): Set<string> {
  const refs = new Set<string>()
  const {depends_on: dependsOn, ...rest} = block.body
  if (Array.isArray(dependsOn)) for (const d of dependsOn) if (typeof d === 'string') refs.add(d)
  const strings: string[] = []
  collectStrings(rest, strings)
  for (const s of strings) {
    if (!s.includes('${')) continue
    for (const m of s.matchAll(INTERPOLATION)) for (const t of m[1]!.matchAll(TRAVERSAL)) refs.add(t[1]!)
  }
  return refs
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Builds the resource graph of one stack model: nodes sorted by address, edges sorted and unique.
 * @param config - the stack's Terraform model (as `msp generate` renders it)
 */
export function buildStackGraph(config: TfConfig): StackGraph {
  const blocks = [...config.resources.map((b) => ({block: b, node: nodeOf(b, 'managed')})), ...config.data.map((b) => ({block: b, node: nodeOf(b, 'data')}))]
  const kept = blocks.filter((b) => !dropped(b.node.id))
  const ids = new Set(kept.map((b) => b.node.id))
  const edges = new Map<string, GraphEdge>()
  for (const {block, node} of kept) {
    for (const ref of referencesOf(block)) {
      if (ref === node.id || !ids.has(ref)) continue
      edges.set(`${node.id}\0${ref}`, {from: node.id, to: ref})
    }
  }
  return {
    nodes: kept.map((b) => b.node).sort((a, b) => byId(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => byId(a.from, b.from) || byId(a.to, b.to)),
  }
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`

/**
 * DOT text in the shape of the original's filtered `terraform graph` output: `"<address>"` nodes
 * drawn as boxes and `"a" -> "b"` edges, inside Terraform's `digraph`/`subgraph "root"` frame.
 * @param graph - from {@link buildStackGraph}
 */
export function renderDot(graph: StackGraph): string {
  const lines = ['digraph {', '\tcompound = "true"', '\tnewrank = "true"', '\tsubgraph "root" {']
  for (const n of graph.nodes) lines.push(`\t\t${quote(n.id)} [label = ${quote(n.id)}, shape = "box"]`)
  for (const e of graph.edges) lines.push(`\t\t${quote(e.from)} -> ${quote(e.to)}`)
  lines.push('\t}', '}')
  return `${lines.join('\n')}\n`
}

/**
 * D2 source of the graph for the SVG renderer (addresses quoted: a bare dot would nest in D2).
 * @param graph - from {@link buildStackGraph}
 */
export function renderGraphD2(graph: StackGraph): string {
  const lines = ['direction: right']
  for (const n of graph.nodes) lines.push(`${quote(n.id)}: ${quote(n.id)} {shape: rectangle}`)
  for (const e of graph.edges) lines.push(`${quote(e.from)} -> ${quote(e.to)}`)
  return `${lines.join('\n')}\n`
}
