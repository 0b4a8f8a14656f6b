import {DIAGRAM_ICONS} from './diagram-icons.js'
import type {Edition} from '../edition/editions.js'
import {opsgenieEnabled, serviceKind} from '../spec/derived.js'
import {cloudflareProxied, hasServiceSettings, type HandbookEnvironment, type HandbookSpec} from './spec-view.js'

/**
 * `<service>-<env>.svg`: the name of an environment's diagram, in the handbook and beside the repository.
 * @param serviceId - the service id
 * @param envId - the environment id
 */
export function diagramFileName(serviceId: string, envId: string): string {
  return `${serviceId}-${envId}.svg`
}

/** How a node is drawn: an icon (D2 `shape: image`), a container with children, or a plain box. */
export type DiagramShape = 'icon' | 'container' | 'box'

/** A node of an architecture diagram; nested ids are `<parent>.<key>` as in the published SVGs. */
export interface DiagramNode {
  id: string
  parent: string | null
  label: string
  shape: DiagramShape
}

/** A connection between two nodes. */
export interface DiagramEdge {
  from: string
  to: string
  bidirectional: boolean
  label: string
}

/** The architecture graph of one environment, in the fixtures' `*.graph.json` field names. */
export interface Diagram {
  nodes: DiagramNode[]
  edges: DiagramEdge[]
}

const PRIVATE = 'private networking'
const LB_CONTAINER = 'loadbalancer_container'

/**
 * Builds the architecture graph of one environment (as the original's diagram generator builds it) in the published order:
 * top-level nodes in construction order, then nested nodes, edges in creation order.
 * @param spec - the service spec
 * @param env - one of its environments
 * @param edition - the release of the original whose defaults apply (Opsgenie)
 */
export function buildDiagram(spec: HandbookSpec, env: HandbookEnvironment, edition: Edition): Diagram {
  const top: DiagramNode[] = []
  const nested: DiagramNode[] = []
  const edges: DiagramEdge[] = []
  const icon = (key: string, parent: string | null = null) => {
    const node: DiagramNode = {id: parent ? `${parent}.${key}` : key, parent, label: key, shape: 'icon'}
    ;(parent ? nested : top).push(node)
    return node.id
  }
  const container = (key: string, children: readonly string[]) => {
    top.push({id: key, parent: null, label: key, shape: 'container'})
    for (const child of children) nested.push({id: `${key}.${child}`, parent: key, label: child, shape: 'box'})
    return key
  }
  const edge = (from: string, to: string, label = '', bidirectional = false) => edges.push({from, to, bidirectional, label})

  const runtime = icon(serviceKind(spec) === 'job' ? 'Cloud Run Job' : 'Cloud Run Service')
  edge(runtime, icon('Sentry'))
  const monitoring = icon('Monitoring')
  edge(runtime, monitoring)
  // The edition decides an unset `alerting.opsgenie` (2024-05, which the fixtures show: off, so
  // cloud-ops prod, internal and without `alerting`, has no Opsgenie node; 2024-08: on for production).
  if (env.category !== 'test' && opsgenieEnabled(env, edition)) edge(monitoring, icon('Opsgenie'))

  // The original keyed everything ingress-related on "has service-only settings", not on kind, and
  // did not check that a domain exists.
  const serviceSettings = hasServiceSettings(env)
  if (serviceSettings) edge(runtime, icon('Cloud Trace'))

  let vpc: string | undefined
  const privateNetwork = () => {
    if (vpc === undefined) {
      vpc = icon('VPC Network')
      edge(runtime, vpc, PRIVATE)
    }
    return vpc
  }
  const resources = env.resources
  if (resources?.redis != null) {
    const redis = icon('Redis')
    edge(privateNetwork(), redis, PRIVATE)
  }
  if (resources?.bigQueryDataset != null) {
    edge(runtime, container('BigQuery', resources.bigQueryDataset.tables ?? []))
  }
  if (resources?.postgreSQL != null) {
    // Created before the VPC node when there is no Redis: the VPC then comes after Cloud SQL.
    const sql = container('Cloud SQL (Postgres)', resources.postgreSQL.databases ?? [])
    edge(privateNetwork(), sql, PRIVATE)
  }

  if (serviceSettings) {
    const proxied = cloudflareProxied(env)
    let lb: string
    // Cloud Armor depends on the category only: internal and external both count as production.
    if (env.category !== 'test' && proxied) {
      top.push({id: LB_CONTAINER, parent: null, label: '', shape: 'box'})
      const alb = icon('Application Load Balancer', LB_CONTAINER)
      const armor = icon('Cloud Armor', LB_CONTAINER)
      edge(alb, armor, '', true)
      lb = LB_CONTAINER
    } else {
      lb = icon('Application Load Balancer')
    }
    edge(lb, runtime)
    const ip = icon('External IP Address')
    edge(ip, lb)
    let entry = ip
    if (proxied) {
      const cloudflare = icon('Cloudflare')
      edge(cloudflare, ip)
      entry = cloudflare
    }
    edge(icon('Internet'), entry)
  }
  return {nodes: [...top, ...nested], edges}
}

// D2 reads these as fields, not children, unless quoted (a table named "label" would break the diagram).
const D2_RESERVED = new Set([
  'label',
  'shape',
  'icon',
  'style',
  'near',
  'width',
  'height',
  'link',
  'tooltip',
  'class',
  'classes',
  'direction',
  'constraint',
  'vars',
  'grid-rows',
  'grid-columns',
  'top',
  'left',
])

/** A D2 key, quoted unless it is plain words (a `-` could start an edge, `.` a path, `(` a glob). */
function d2Key(key: string): string {
  // Underscores alone are D2's parent reference (`_`), never a name: such a key (a database named
  // `_`, which the spec allows) is written quoted, as every other key D2 would read as syntax.
  return /^[A-Za-z0-9_]+( [A-Za-z0-9_]+)*$/.test(key) && !/^_+$/.test(key) && !D2_RESERVED.has(key.toLowerCase()) ? key : JSON.stringify(key)
}

function d2Path(id: string, diagram: Diagram): string {
  const node = diagram.nodes.find((n) => n.id === id)
  if (!node?.parent) return d2Key(id)
  return `${d2Key(node.parent)}.${d2Key(node.label)}`
}

/**
 * Renders a diagram as D2 source with the original's styling: icon nodes as `shape: image` with their
 * label kept as written, containers with the label and icon on top, italic edge labels.
 * @param diagram - the graph from buildDiagram
 */
export function renderD2(diagram: Diagram): string {
  const lines: string[] = []
  const nodeBlock = (node: DiagramNode, indent: string) => {
    const key = node.parent ? d2Key(node.label) : d2Key(node.id)
    if (node.shape === 'box' && node.id !== LB_CONTAINER) {
      lines.push(`${indent}${key}`)
      return
    }
    lines.push(`${indent}${key}: {`)
    const i = `${indent}  `
    if (node.id === LB_CONTAINER) {
      lines.push(`${i}label: ""`)
    } else {
      lines.push(`${i}label: ${JSON.stringify(node.label)}`)
      const iconUri = DIAGRAM_ICONS[node.label]
      if (iconUri) lines.push(`${i}icon: ${JSON.stringify(iconUri)}`)
      lines.push(`${i}style.text-transform: none`)
    }
    if (node.shape === 'icon') {
      lines.push(`${i}shape: image`)
      // Cloudflare's logo is not square.
      if (node.label === 'Cloudflare') lines.push(`${i}height: 64`)
    }
    if (node.shape === 'container') {
      lines.push(`${i}label.near: outside-top-center`)
      lines.push(`${i}icon.near: top-center`)
    }
    for (const child of diagram.nodes.filter((n) => n.parent === node.id)) nodeBlock(child, i)
    for (const e of diagram.edges.filter((e) => edgeScope(e, diagram) === node.id)) lines.push(`${i}${edgeLine(e, diagram, node.id)}`)
    lines.push(`${indent}}`)
  }
  for (const node of diagram.nodes.filter((n) => n.parent === null)) nodeBlock(node, '')
  for (const e of diagram.edges.filter((e) => edgeScope(e, diagram) === null)) lines.push(edgeLine(e, diagram, null))
  return `${lines.join('\n')}\n`
}

/** The container both ends of an edge live in (edges between siblings of a container are declared inside it). */
function edgeScope(edge: DiagramEdge, diagram: Diagram): string | null {
  const parentOf = (id: string) => diagram.nodes.find((n) => n.id === id)?.parent ?? null
  const a = parentOf(edge.from)
  return a !== null && a === parentOf(edge.to) ? a : null
}

function edgeLine(edge: DiagramEdge, diagram: Diagram, scope: string | null): string {
  const ref = (id: string) => (scope === null ? d2Path(id, diagram) : d2Key(diagram.nodes.find((n) => n.id === id)!.label))
  const arrow = edge.bidirectional ? '<->' : '->'
  const label = edge.label ? `: ${JSON.stringify(edge.label)} {style.italic: true; style.font-size: 16}` : ''
  return `${ref(edge.from)} ${arrow} ${ref(edge.to)}${label}`
}
