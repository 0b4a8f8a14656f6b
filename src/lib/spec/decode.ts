/**
 * Schema-directed decoding of a parsed YAML document into plain JS, with Go yaml.v3 semantics
 * (as the original decodes service.yaml) and a source position for every key path.
 *
 * Why not `doc.toJS()` + zod coercion: Go decodes by *target type*. A string field takes the
 * scalar's source text (`tag: 1.10` → "1.10"), an int field truncates floats but rejects a quoted
 * "1", a bool field also takes yes/no/on/off. Only the target type (read from the zod schema)
 * knows which applies, and walking the node tree keeps every value's `line:col`.
 *
 * The walk only descends where the schema does, so hostile input (deep nesting, alias bombs under
 * unknown keys) costs nothing; expansion inside schema-shaped data is bounded by a node budget.
 */
import {isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type Scalar} from 'yaml'
import {z} from 'zod'
import {closestMatch} from '../text/suggest.js'

export type PathSegment = string | number

/** A 1-based source position. */
export interface Position {
  line: number
  column: number
}

/** An issue found while decoding, already located. */
export interface DecodeIssue {
  path: PathSegment[]
  message: string
  severity: 'error' | 'warning'
  position: Position
}

export interface DecodeResult {
  /** The decoded value: right JS types everywhere, unknown keys stripped, mistyped values dropped. */
  value: unknown
  issues: DecodeIssue[]
  /** Position of the value at each present key path (including keys whose value is null). */
  positions: Map<string, Position>
  /** Key paths whose value was dropped because of a type error. */
  dropped: Set<string>
}

export interface DecodeOptions {
  /** Severity of unknown keys: Go ignores them, so loading warns and `msp validate` errors. */
  unknownKeys: 'warning' | 'error'
  /** Maximum alias dereferences (YAML `maxAliasCount`). */
  maxAliases?: number
  /** Maximum decoded nodes, bounding alias expansion ("billion laughs"). */
  maxNodes?: number
}

/** The identity of a key path in the maps of {@link DecodeResult}. */
export function pathKey(path: readonly PathSegment[]): string {
  return JSON.stringify(path)
}

/** Removed or renamed keys of older spec versions and what replaced them. */
const RENAMED_KEYS: Record<string, string> = {
  startupProbe: 'healthProbes',
  livenessProbe: 'healthProbes',
  deadline: 'deadlineSeconds (on the environment)',
  tier: 'highAvailability',
  region: 'locations.gcpLocation (on the environment)',
  bigQueryTable: 'bigQueryDataset',
}

type Target =
  | {kind: 'string'}
  | {kind: 'int'; unsigned: boolean}
  | {kind: 'float'}
  | {kind: 'bool'}
  | {kind: 'object'; shape: Record<string, z.ZodType>}
  | {kind: 'array'; element: z.ZodType}
  | {kind: 'record'; value: z.ZodType}
  | {kind: 'any'}

/** Reads the decoding target of a zod schema through zod's public API, looking through optional/default/pipe wrappers. */
function targetOf(schema: z.ZodType): Target {
  let current: z.ZodType = schema
  for (let depth = 0; depth < 32; depth++) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodReadonly ||
      current instanceof z.ZodCatch ||
      current instanceof z.ZodNonOptional
    ) {
      current = current.unwrap() as z.ZodType
      continue
    }
    if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType
      continue
    }
    if (current instanceof z.ZodString || current instanceof z.ZodEnum || current instanceof z.ZodLiteral) return {kind: 'string'}
    if (current instanceof z.ZodNumber) {
      const format = current.format ?? ''
      if (format === '' || format.startsWith('float')) return {kind: 'float'}
      return {kind: 'int', unsigned: format.startsWith('uint')}
    }
    if (current instanceof z.ZodBoolean) return {kind: 'bool'}
    if (current instanceof z.ZodObject) return {kind: 'object', shape: current.shape as Record<string, z.ZodType>}
    if (current instanceof z.ZodArray) return {kind: 'array', element: current.element as z.ZodType}
    if (current instanceof z.ZodRecord) return {kind: 'record', value: current.valueType as z.ZodType}
    return {kind: 'any'}
  }
  return {kind: 'any'}
}

/** What a field expects, in plain words: `a list of owners`, `a whole number`. */
function expected(target: Target, key: string | undefined): string {
  switch (target.kind) {
    case 'string':
      return 'a string'
    case 'int':
      return target.unsigned ? 'a whole number (0 or more)' : 'a whole number'
    case 'float':
      return 'a number'
    case 'bool':
      return 'true or false'
    case 'object':
    case 'record':
      return 'a mapping'
    case 'array':
      return key === undefined ? 'a list' : `a list of ${key}`
    case 'any':
      return 'a value'
  }
}

/** What a node is, in plain words: `a list`, `the string "2"`; `a single string` where a list was expected. */
function found(node: Node, target: Target): string {
  if (isMap(node)) return 'a mapping'
  if (isSeq(node)) return 'a list'
  if (!isScalar(node)) return 'a value'
  const tag = shortTag(node)
  const text = scalarText(node)
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text
  if (target.kind === 'array') return tag === '!!str' ? 'a single string' : 'a single value'
  switch (tag) {
    case '!!str': {
      const numeric = (target.kind === 'int' || target.kind === 'float') && /^[-+]?\d+(\.\d*)?$/.test(text.trim())
      const bool = target.kind === 'bool' && /^(true|false)$/i.test(text.trim())
      return `the string ${JSON.stringify(shown)}${numeric || bool ? ' (remove the quotes)' : ''}`
    }
    case '!!int':
    case '!!float':
      return `the number ${shown}`
    case '!!bool':
      return `the boolean ${shown}`
    default:
      return `${JSON.stringify(shown)} (${tag})`
  }
}

function zeroValue(target: Target): unknown {
  switch (target.kind) {
    case 'string':
      return ''
    case 'int':
    case 'float':
      return 0
    case 'bool':
      return false
    case 'object':
    case 'record':
      return {}
    case 'array':
      return []
    case 'any':
      return undefined
  }
}

const TRUE_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'])
const FALSE_WORDS = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'])

/** The YAML tag Go would print for a node, e.g. `!!str`. */
function shortTag(node: Node): string {
  if (isMap(node)) return '!!map'
  if (isSeq(node)) return '!!seq'
  const scalar = node as Scalar
  if (scalar.tag) return scalar.tag.replace(/^tag:yaml\.org,2002:/, '!!')
  const v = scalar.value
  if (v === null || v === undefined) return '!!null'
  if (typeof v === 'boolean') return '!!bool'
  if (typeof v === 'number' || typeof v === 'bigint') {
    return typeof v === 'number' && (!Number.isInteger(v) || /[.eEnN]/.test(scalar.source ?? '')) && !/^[-+]?0x/i.test(scalar.source ?? '')
      ? '!!float'
      : '!!int'
  }
  return '!!str'
}

/** The scalar's text as written (quotes removed), which is what Go stores in a string field. */
function scalarText(scalar: Scalar): string {
  if (typeof scalar.source === 'string') return scalar.source
  return String(scalar.value)
}

interface Anchor {
  offset: number
  node: Node
}

/** Collects anchors in document order, iteratively (the tree may be very deep). */
function collectAnchors(root: unknown): Map<string, Anchor[]> {
  const anchors = new Map<string, Anchor[]>()
  const stack: unknown[] = [root]
  let visited = 0
  while (stack.length > 0 && visited++ < 1_000_000) {
    const item = stack.pop()
    if (item === null || typeof item !== 'object') continue
    if (isPair(item)) {
      stack.push(item.value, item.key)
      continue
    }
    const node = item as Node
    if (!isMap(node) && !isSeq(node) && !isScalar(node)) continue
    const anchor = (node as {anchor?: string}).anchor
    if (anchor && node.range) {
      const list = anchors.get(anchor) ?? []
      list.push({offset: node.range[0], node})
      anchors.set(anchor, list)
    }
    if (isMap(node) || isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i])
    }
  }
  for (const list of anchors.values()) list.sort((a, b) => a.offset - b.offset)
  return anchors
}

class Decoder {
  readonly issues: DecodeIssue[] = []
  readonly positions = new Map<string, Position>()
  readonly dropped = new Set<string>()
  private readonly anchors: Map<string, Anchor[]>
  private aliasCount = 0
  private nodeCount = 0
  private exhausted = false
  private readonly maxAliases: number
  private readonly maxNodes: number

  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    private readonly options: DecodeOptions,
  ) {
    this.anchors = collectAnchors(doc.contents)
    this.maxAliases = options.maxAliases ?? 1000
    this.maxNodes = options.maxNodes ?? 200_000
  }

  position(node: Node | null | undefined, fallback: Position): Position {
    const offset = node?.range?.[0]
    if (offset === undefined) return fallback
    const {line, col} = this.lineCounter.linePos(offset)
    return {line: Math.max(1, line), column: Math.max(1, col)}
  }

  error(path: PathSegment[], message: string, position: Position, severity: 'error' | 'warning' = 'error'): void {
    this.issues.push({path, message, position, severity})
  }

  /** Follows an alias to its anchored node, within the alias budget. */
  private deref(node: unknown, path: PathSegment[], at: Position): Node | null | undefined {
    let current = node
    for (let hops = 0; isAlias(current); hops++) {
      if (++this.aliasCount > this.maxAliases || hops > 64) {
        this.exhaust(path, at, `too many alias references (more than ${this.maxAliases})`)
        return undefined
      }
      const offset = current.range?.[0] ?? Number.POSITIVE_INFINITY
      const candidates = this.anchors.get(current.source) ?? []
      let target: Anchor | undefined
      for (const candidate of candidates) if (candidate.offset < offset) target = candidate
      if (!target) {
        this.error(path, `unknown anchor "${current.source}" referenced`, at)
        return undefined
      }
      current = target.node
    }
    return current as Node | null | undefined
  }

  private exhaust(path: PathSegment[], at: Position, message: string): void {
    if (!this.exhausted) this.error(path, message, at)
    this.exhausted = true
    this.dropped.add(pathKey([]))
  }

  /**
   * Decodes `raw` for `schema` at `path`. Returns undefined for null/absent and for dropped values.
   * @param raw - a YAML node (possibly an alias) or null
   * @param schema - the zod schema of the value
   * @param path - the key path of the value
   * @param at - the position of the value's key, or of its parent when it has no key
   * @param keyed - whether `at` is the value's own key: mappings and sequences are then reported
   *   at their key (`service:`), which is where an editor user looks for them
   */
  decode(raw: unknown, schema: z.ZodType, path: PathSegment[], at: Position, keyed = false): unknown {
    if (this.exhausted) return undefined
    if (++this.nodeCount > this.maxNodes) {
      this.exhaust(path, at, `document is too large: more than ${this.maxNodes} values after alias expansion`)
      return undefined
    }
    // An empty value (`key:`) has no text of its own: point at its key instead.
    const empty = isScalar(raw) && raw.value === null && (raw.source ?? '') === ''
    const here = empty || (keyed && (isMap(raw) || isSeq(raw))) ? at : this.position(raw as Node | null, at)
    this.positions.set(pathKey(path), here)
    const node = this.deref(raw, path, here)
    if (node === null || node === undefined) return undefined
    if (isScalar(node) && (node.value === null || node.value === undefined) && !node.tag?.endsWith(':str')) {
      return undefined
    }
    const target = targetOf(schema)
    const mismatch = (): undefined => {
      // Deliberate difference: Go says ``cannot unmarshal !!str `cody-st...` into []string``.
      const last = path.at(-1)
      this.error(path, `expected ${expected(target, typeof last === 'string' ? last : undefined)}, got ${found(node, target)}`, here)
      this.dropped.add(pathKey(path))
      return undefined
    }
    switch (target.kind) {
      case 'string':
        return isScalar(node) ? scalarText(node) : mismatch()
      case 'int': {
        if (!isScalar(node) || shortTag(node) === '!!str' || shortTag(node) === '!!bool') return mismatch()
        const value = typeof node.value === 'bigint' ? Number(node.value) : node.value
        if (typeof value !== 'number' || !Number.isFinite(value)) return mismatch()
        const truncated = Math.trunc(value)
        if (!Number.isSafeInteger(truncated) || (target.unsigned && truncated < 0)) return mismatch()
        return truncated === 0 ? 0 : truncated
      }
      case 'float': {
        if (!isScalar(node) || shortTag(node) === '!!str' || shortTag(node) === '!!bool') return mismatch()
        const value = typeof node.value === 'bigint' ? Number(node.value) : node.value
        return typeof value === 'number' && Number.isFinite(value) ? value : mismatch()
      }
      case 'bool': {
        if (!isScalar(node)) return mismatch()
        if (typeof node.value === 'boolean') return node.value
        if (typeof node.value === 'string') {
          if (TRUE_WORDS.has(node.value)) return true
          if (FALSE_WORDS.has(node.value)) return false
        }
        return mismatch()
      }
      case 'object':
        return isMap(node) ? this.decodeObject(node, target.shape, path, here) : mismatch()
      case 'record':
        return isMap(node) ? this.decodeRecord(node, target.value, path, here) : mismatch()
      case 'array': {
        if (!isSeq(node)) return mismatch()
        const elementTarget = targetOf(target.element)
        const out: unknown[] = []
        node.items.forEach((item, index) => {
          const value = this.decode(item, target.element, [...path, index], here)
          out.push(value === undefined ? zeroValue(elementTarget) : value)
        })
        return out
      }
      case 'any':
        return undefined
    }
  }

  /** The pairs of a mapping with `<<` merge keys applied (explicit keys win, as in yaml.v3). */
  private pairs(map: Node, path: PathSegment[], at: Position): Pair[] {
    if (!isMap(map)) return []
    const explicit: Pair[] = []
    const merged: Pair[] = []
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? pair.key : undefined
      if (key && key.value === '<<' && key.type === 'PLAIN') {
        const value = this.deref(pair.value, path, this.position(pair.key as Node, at))
        const sources = isSeq(value) ? value.items.map((item) => this.deref(item, path, at)) : [value]
        for (const source of sources) if (isMap(source)) merged.push(...(source.items as Pair[]))
        continue
      }
      explicit.push(pair as Pair)
    }
    return [...explicit, ...merged]
  }

  private keyText(pair: Pair, path: PathSegment[], at: Position): string | undefined {
    const key = this.deref(pair.key, path, at)
    if (isScalar(key)) return key.value === null || key.value === undefined ? '' : scalarText(key)
    return undefined
  }

  private decodeObject(map: Node, shape: Record<string, z.ZodType>, path: PathSegment[], at: Position): unknown {
    const out: Record<string, unknown> = {}
    const seen = new Set<string>()
    const known = Object.keys(shape)
    for (const pair of this.pairs(map, path, at)) {
      const keyAt = this.position(pair.key as Node, at)
      const key = this.keyText(pair, path, keyAt)
      if (key === undefined) {
        this.error(path, 'mapping keys must be plain strings', keyAt, this.options.unknownKeys)
        continue
      }
      if (seen.has(key)) continue // a merged key overridden by an explicit one
      seen.add(key)
      const fieldSchema = Object.hasOwn(shape, key) ? shape[key] : undefined
      if (!fieldSchema) {
        this.error([...path, key], unknownKeyMessage(key, known), keyAt, this.options.unknownKeys)
        continue
      }
      const value = this.decode(pair.value ?? null, fieldSchema, [...path, key], keyAt, true)
      if (value !== undefined) out[key] = value
    }
    return out
  }

  private decodeRecord(map: Node, valueSchema: z.ZodType, path: PathSegment[], at: Position): unknown {
    const out: Record<string, unknown> = {}
    const valueTarget = targetOf(valueSchema)
    for (const pair of this.pairs(map, path, at)) {
      const keyAt = this.position(pair.key as Node, at)
      const key = this.keyText(pair, path, keyAt)
      if (key === undefined) {
        this.error(path, 'mapping keys must be plain strings', keyAt)
        continue
      }
      if (Object.hasOwn(out, key)) continue
      const value = this.decode(pair.value ?? null, valueSchema, [...path, key], keyAt, true)
      const decoded = value === undefined && !this.dropped.has(pathKey([...path, key])) ? zeroValue(valueTarget) : value
      if (decoded !== undefined) {
        Object.defineProperty(out, key, {value: decoded, enumerable: true, writable: true, configurable: true})
      }
    }
    return out
  }
}

/** `unknown key "x"`, with the closest known key or the key that replaced a removed one. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const renamed = Object.hasOwn(RENAMED_KEYS, key) ? RENAMED_KEYS[key] : undefined
  if (renamed) return `unknown key "${key}" (removed from the spec), did you mean ${quoteFirst(renamed)}?`
  const suggestion = closestMatch(key, known)
  return suggestion ? `unknown key "${key}", did you mean "${suggestion}"?` : `unknown key "${key}"`
}

function quoteFirst(text: string): string {
  const space = text.indexOf(' ')
  return space === -1 ? `"${text}"` : `"${text.slice(0, space)}"${text.slice(space)}`
}

/**
 * Decodes a parsed document for `schema`.
 * @param doc - a document without errors
 * @param lineCounter - the line counter used to parse it
 * @param schema - the zod schema of the whole document
 * @param options - unknown-key severity and expansion limits
 */
export function decodeDocument(doc: Document, lineCounter: LineCounter, schema: z.ZodType, options: DecodeOptions): DecodeResult {
  const decoder = new Decoder(doc, lineCounter, options)
  const start = {line: 1, column: 1}
  const contents = doc.contents as Node | null
  let value: unknown
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    value = {}
    decoder.positions.set(pathKey([]), decoder.position(contents, start))
  } else {
    value = decoder.decode(contents, schema, [], start) ?? {}
  }
  return {value, issues: decoder.issues, positions: decoder.positions, dropped: decoder.dropped}
}
