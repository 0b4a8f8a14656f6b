/**
 * Loading a service spec: YAML → positioned, coerced values → zod model + cross-field rules, plus
 * the side files (README.md, `<table>.bigquerytable.json`).
 *
 * `parseSpec` is pure and never throws on any input string: every outcome is a spec or a list of
 * located issues. `loadService` adds the file reads and throws {@link SpecError} on errors.
 */
import {isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node} from 'yaml'
import {SpecError, UserError, type SpecIssue} from '../io/errors.js'
import {loadFailureIssues} from './load-every.js'
import {jsonNesting, MAX_JSON_NESTING} from '../io/read-text.js'
import {decodeDocument, pathKey, type PathSegment, type Position} from './decode.js'
import {dnsName, serviceName} from './derived.js'
import {serviceSpecFile} from './layout.js'
import {readServiceSources, type ServiceSources} from './sources.js'
import {checkRules, type RawSpec} from './rules.js'
import {explainSyntaxErrors} from './syntax.js'
import {RESOURCE_NAME_PATTERN, SERVICE_ID_PATTERN, SpecSchema, type Spec} from './schema.js'
import type {Edition} from '../edition/editions.js'
import {findRetiredKeys, retiredKeyWarnings, type RetiredKeyUse} from './retired.js'
import {sliced} from '../io/cooperate.js'

/** Larger files are refused before parsing: a real spec is a few kilobytes. */
export const MAX_SPEC_BYTES = 1024 * 1024
/** Deeper nesting (block levels plus brackets) is refused before parsing: the spec itself nests about 8 levels. */
export const MAX_SPEC_NESTING = 64
/** More keys and items are refused before parsing: a real spec has a few hundred. */
export const MAX_SPEC_ENTRIES = 10_000
/** At most this many YAML syntax errors are listed for one file. */
const MAX_SYNTAX_ERRORS = 50

export interface ParseSpecOptions {
  /** Path of the spec relative to the repo root, used in messages: `services/<id>/service.yaml`. */
  file: string
  /** Contents of README.md next to the spec, when that file exists. */
  readme?: string
  /**
   * Contents of `<table>.bigquerytable.json` by table name (undefined when the file is missing).
   * When the option is omitted entirely the BigQuery side files are not checked.
   */
  bigQueryTables?: Record<string, string | undefined>
  /**
   * `msp validate` mode: unknown keys are errors instead of warnings, and rules of the final
   * (Aug-2024) spec that May-2024 specs predate are reported as warnings.
   */
  strict?: boolean
}

export interface ParseSpecResult {
  /** The validated spec with defaults applied; present only when no issue is an error. */
  spec?: Spec
  /** Every problem found, errors and warnings, ordered by file and position. */
  issues: SpecIssue[]
  /** README body (header line stripped, trimmed) when the README is present and valid. */
  readme?: string
  /** BigQuery table schemas re-serialised with 2-space indentation, by table name. */
  bigQuerySchemas: Record<string, string>
  /** Where a dotted key path of service.yaml is (its nearest present ancestor when missing). */
  locate?: (path: readonly PathSegment[]) => Position
  /** Keys of older releases present in the spec (warnings only under editions that retired them). */
  retired?: RetiredKeyUse[]
}

export interface LoadedService {
  id: string
  /** `services/<id>/service.yaml`, relative to the repo root. */
  file: string
  spec: Spec
  /** README body as used by the handbook: header line stripped, trimmed. */
  readme?: string
  bigQuerySchemas: Record<string, string>
  warnings: SpecIssue[]
  /** Keys of older releases present in the spec; see spec/retired.ts. */
  retired?: RetiredKeyUse[]
}

function siblingFile(file: string, name: string): string {
  const slash = file.lastIndexOf('/')
  return slash === -1 ? name : `${file.slice(0, slash + 1)}${name}`
}

/** A BigQuery table name that is safe to turn into a file name next to service.yaml (the schema reports others). */
function isSafeTableName(table: string): boolean {
  return RESOURCE_NAME_PATTERN.test(table)
}

/**
 * What the pre-scan of a spec measured, before any parsing: an upper bound of the entries (keys and
 * items) and of the nesting (block levels plus flow brackets) of the document.
 */
interface StructureScan {
  entries: number
  nesting: number
}

const BLOCK_SCALAR_HEADER = /[|>][0-9+-]*\s*(?:#.*)?$/

/**
 * One linear pass over the text that bounds its size in entries and its nesting depth, so hostile
 * documents are refused before the parser (whose recursion and checks are the expensive path) sees
 * them. Quoted text, comments and block scalars are skipped; the bounds are generous, never tight.
 * @param text - the spec
 */
export function scanStructure(text: string): StructureScan {
  let entries = 0
  let nesting = 0
  let flow = 0
  let quote: '"' | "'" | undefined
  const indents: number[] = []
  let blockScalarParent = -1
  let lineStart = 0
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart)
    if (lineEnd === -1) lineEnd = text.length
    let i = lineStart
    while (i < lineEnd && text.charCodeAt(i) === 0x20) i++
    const indent = i - lineStart
    const blank = i >= lineEnd || text[i] === '\r' || (text[i] === '#' && quote === undefined)
    if (blockScalarParent >= 0) {
      if (blank || indent > blockScalarParent) {
        lineStart = lineEnd + 1
        continue
      }
      blockScalarParent = -1
    }
    if (blank) {
      lineStart = lineEnd + 1
      continue
    }
    let block = 0
    if (flow === 0 && quote === undefined) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop()
      indents.push(indent)
      block = indents.length
      // Compact collections on one line: `- - - x`, `? ? k`.
      while (i + 1 < lineEnd && (text[i] === '-' || text[i] === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        block++
        entries++
        i += 2
        while (i < lineEnd && text[i] === ' ') i++
      }
    }
    let j = i
    for (; j < lineEnd; j++) {
      const c = text[j]!
      if (quote !== undefined) {
        if (c === '\\' && quote === '"') j++
        else if (c === quote) {
          if (quote === "'" && text[j + 1] === "'") j++
          else quote = undefined
        }
        continue
      }
      if (c === '"' || c === "'") {
        // A quote opens a scalar only where one can start (not inside a plain word: it's, o'clock).
        const prev = j === i ? ' ' : text[j - 1]!
        if (' \t[{,:'.includes(prev) || j === i) quote = c
      } else if (c === '#' && (j === i || text[j - 1] === ' ' || text[j - 1] === '\t')) {
        break
      } else if (c === '[' || c === '{') {
        flow++
        if (block + flow > nesting) nesting = block + flow
      } else if (c === ']' || c === '}') {
        if (flow > 0) flow--
      } else if (c === ',') {
        if (flow > 0) entries++
      } else if (c === ':') {
        const next = text[j + 1]
        if (next === undefined || next === ' ' || next === '\t' || next === '\r' || next === '\n' || (flow > 0 && ',]}'.includes(next))) entries++
      }
    }
    if (block > nesting) nesting = block
    if (flow === 0 && quote === undefined && BLOCK_SCALAR_HEADER.test(text.slice(i, j).trimEnd())) blockScalarParent = indent
    lineStart = lineEnd + 1
  }
  return {entries, nesting}
}

/**
 * Parses and validates a spec, never throwing.
 * @param source - the contents of service.yaml
 * @param opts - the file name for messages, side-file contents, and unknown-key severity
 */
export function parseSpec(source: string, opts: ParseSpecOptions): ParseSpecResult {
  const {file} = opts
  const result: ParseSpecResult = {issues: [], bigQuerySchemas: {}}
  const issue = (position: Position, path: readonly PathSegment[], message: string, severity: 'error' | 'warning' = 'error', inFile = file) =>
    result.issues.push({file: inFile, line: position.line, column: position.column, path: path.join('.'), message, severity})
  const start: Position = {line: 1, column: 1}

  // A byte-order mark is not content; dropping it keeps columns as editors show them.
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source
  if (text.length > MAX_SPEC_BYTES) {
    issue(start, [], `file is too large: ${text.length} characters, at most ${MAX_SPEC_BYTES} are supported`)
    return result
  }
  // Limits before the expensive path: the parser recurses per level, and checks of a huge document cost.
  const scan = scanStructure(text)
  if (scan.nesting > MAX_SPEC_NESTING) {
    issue(start, [], `document is nested too deeply: more than ${MAX_SPEC_NESTING} levels (a spec nests about 8)`)
    return result
  }
  if (scan.entries > MAX_SPEC_ENTRIES) {
    issue(start, [], `document is too large: more than ${MAX_SPEC_ENTRIES} keys and items (a spec has a few hundred)`)
    return result
  }

  const lineCounter = new LineCounter()
  // The library's own unique-key check is quadratic in the keys of a mapping: duplicates are found
  // below instead, in one pass, with Go's message.
  const doc = parseDocument(text, {lineCounter, uniqueKeys: false, prettyErrors: false, schema: 'core', merge: false})
  const at = (offset: number | undefined): Position => {
    if (offset === undefined) return start
    const {line, col} = lineCounter.linePos(Math.min(Math.max(0, offset), text.length))
    return {line: Math.max(1, line), column: Math.max(1, col)}
  }

  const duplicates = duplicateKeyMessages(doc.contents, at)
  // Errors are reported at their cause (an unclosed bracket or quote, a misindented key) where one is found.
  const syntax = explainSyntaxErrors(text, doc)
  for (const problem of syntax.problems) issue(at(problem.offset), problem.path, problem.message)
  for (const error of doc.errors.slice(0, MAX_SYNTAX_ERRORS)) {
    if (syntax.explained.has(error)) continue
    issue(at(error.pos[0]), [], yamlMessage(error.message))
  }
  if (doc.errors.length > MAX_SYNTAX_ERRORS) {
    issue(at(doc.errors[MAX_SYNTAX_ERRORS]!.pos[0]), [], `${doc.errors.length - MAX_SYNTAX_ERRORS} more YAML errors not shown`)
  }
  const repeated = [...duplicates.entries()].sort((x, y) => x[0] - y[0])
  for (const [offset, duplicate] of repeated.slice(0, MAX_SYNTAX_ERRORS)) issue(at(offset), duplicate.path, duplicate.message)
  if (repeated.length > MAX_SYNTAX_ERRORS) {
    issue(at(repeated[MAX_SYNTAX_ERRORS]![0]), [], `${repeated.length - MAX_SYNTAX_ERRORS} more duplicate keys not shown`)
  }
  for (const warning of doc.warnings.slice(0, MAX_SYNTAX_ERRORS)) issue(at(warning.pos[0]), [], yamlMessage(warning.message), 'warning')
  if (doc.errors.length > 0 || repeated.length > 0) return finish(result)

  const decoded = decodeDocument(doc, lineCounter, SpecSchema, {unknownKeys: opts.strict ? 'error' : 'warning'})
  for (const i of decoded.issues) issue(i.position, i.path, i.message, i.severity)

  const positionOf = (path: readonly PathSegment[]): Position => {
    for (let n = path.length; n >= 0; n--) {
      const found = decoded.positions.get(pathKey(path.slice(0, n)))
      if (found) return found
    }
    return start
  }
  const underDropped = (path: readonly PathSegment[]): boolean => {
    for (let n = path.length; n >= 0; n--) if (decoded.dropped.has(pathKey(path.slice(0, n)))) return true
    return false
  }

  result.locate = positionOf
  const retired = findRetiredKeys(decoded.positions)
  if (retired.length > 0) result.retired = retired
  const parsed = SpecSchema.safeParse(decoded.value)
  if (!parsed.success) {
    for (const zodIssue of parsed.error.issues) {
      const path = zodIssue.path.filter((p): p is string | number => typeof p !== 'symbol')
      if (!underDropped(path)) issue(positionOf(path), path, zodIssue.message)
    }
  }

  const raw = decoded.value as RawSpec
  const present = (path: readonly PathSegment[]) => decoded.positions.has(pathKey(path))
  for (const rule of checkRules(raw, present, {advisories: opts.strict ?? false})) {
    if (!underDropped(rule.path)) issue(positionOf(rule.path), rule.path, rule.message, rule.severity)
  }

  checkReadme(raw, opts, result, issue)
  checkBigQueryTables(raw, opts, result, (path, message, inFile) =>
    issue(inFile ? start : positionOf(path), inFile ? [] : path, message, 'error', inFile ?? file),
  )

  finish(result)
  if (parsed.success && !result.issues.some((i) => i.severity === 'error')) result.spec = parsed.data
  return result
}

/** YAML library messages, first line only (the position is reported separately). */
function yamlMessage(message: string): string {
  const first = message.split('\n')[0] ?? message
  return first.replace(/ at line \d+, column \d+:?$/, '')
}

/** Orders issues: the spec file first, then side files; by position within a file. */
function finish(result: ParseSpecResult): ParseSpecResult {
  const fileOrder = new Map<string, number>()
  result.issues.forEach((i) => fileOrder.has(i.file) || fileOrder.set(i.file, fileOrder.size))
  result.issues.sort((a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.line - b.line || a.column - b.column)
  return result
}

/**
 * Go's message for each duplicate key (`mapping key "x" already defined at line N`), by the offset
 * of the repeated key. Walks iteratively: the tree may be deep.
 */
function duplicateKeyMessages(root: unknown, at: (offset: number | undefined) => Position): Map<number, {path: PathSegment[]; message: string}> {
  const found = new Map<number, {path: PathSegment[]; message: string}>()
  const stack: {node: unknown; path: PathSegment[]}[] = [{node: root, path: []}]
  let visited = 0
  while (stack.length > 0 && visited++ < 200_000) {
    const {node, path} = stack.pop()!
    if (isSeq(node)) node.items.forEach((item, i) => stack.push({node: item, path: [...path, i]}))
    if (!isMap(node)) continue
    const firstLine = new Map<string, number>()
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined
      if (key !== undefined) {
        const offset = keyNode?.range?.[0]
        const line = firstLine.get(key)
        if (line !== undefined && offset !== undefined) {
          found.set(offset, {path: [...path, key], message: `mapping key "${key}" already defined at line ${line}`})
        } else if (line === undefined) {
          firstLine.set(key, at(offset).line)
        }
      }
      stack.push({node: pair.value, path: key === undefined ? path : [...path, key]})
    }
  }
  return found
}

type IssueFn = (position: Position, path: readonly PathSegment[], message: string, severity?: 'error' | 'warning', inFile?: string) => void

function checkReadme(raw: RawSpec, opts: ParseSpecOptions, result: ParseSpecResult, issue: IssueFn): void {
  if (opts.readme === undefined) return
  const service = raw.service
  if (typeof service?.name !== 'string' && typeof service?.id !== 'string') return
  const name = serviceName({service})
  const text = opts.readme.charCodeAt(0) === 0xfeff ? opts.readme.slice(1) : opts.readme
  const header = `# ${name}`
  if (!text.startsWith(header)) {
    issue(
      {line: 1, column: 1},
      [],
      `README must start with an H1 header that matches the service name, i.e. ${JSON.stringify(header)}`,
      'error',
      siblingFile(opts.file, 'README.md'),
    )
    return
  }
  const newline = text.indexOf('\n')
  result.readme = newline === -1 ? '' : text.slice(newline + 1).trim()
}

function checkBigQueryTables(
  raw: RawSpec,
  opts: ParseSpecOptions,
  result: ParseSpecResult,
  report: (path: PathSegment[], message: string, inFile?: string) => void,
): void {
  if (opts.bigQueryTables === undefined) return
  const tables = opts.bigQueryTables
  const checked = new Set<string>()
  const envs = Array.isArray(raw.environments) ? raw.environments : []
  envs.forEach((env, i) => {
    const list = env?.resources?.bigQueryDataset?.tables
    if (!Array.isArray(list)) return
    list.forEach((table, j) => {
      if (typeof table !== 'string' || table === '') return
      const path = ['environments', i, 'resources', 'bigQueryDataset', 'tables', j]
      const fileName = `${table}.bigquerytable.json`
      // The name becomes a file name; the schema reports names that are not plain (never read).
      if (!isSafeTableName(table)) return
      const contents = Object.hasOwn(tables, table) ? tables[table] : undefined
      if (contents === undefined) {
        report(path, `read schema for BigQuery table ${table}: ${siblingFile(opts.file, fileName)} does not exist`)
        return
      }
      if (checked.has(table)) return
      checked.add(table)
      let value: unknown
      // Nesting first: JSON.parse and the re-serialisation below recurse per level.
      if (jsonNesting(contents) > MAX_JSON_NESTING) {
        report(
          path,
          `parse schema for BigQuery table ${table}: JSON is nested too deeply: more than ${MAX_JSON_NESTING} levels`,
          siblingFile(opts.file, fileName),
        )
        return
      }
      try {
        value = JSON.parse(contents)
      } catch (error) {
        // JSON.parse only throws SyntaxError; its message says what is wrong.
        report(path, `parse schema for BigQuery table ${table}: ${(error as Error).message}`, siblingFile(opts.file, fileName))
        return
      }
      if (!Array.isArray(value)) {
        report(path, `parse schema for BigQuery table ${table}: expected a JSON array of fields`, siblingFile(opts.file, fileName))
        return
      }
      result.bigQuerySchemas[table] = JSON.stringify(value, null, 2)
    })
  })
}

/**
 * A spec parsed leniently (completion, `init`, `migrate`, side-file lookup) under the main loader's
 * limits: undefined when the text is larger, deeper or has more entries than parseSpec accepts, so a
 * hostile spec costs one linear scan, never the parser's time and memory.
 * @param source - the contents of service.yaml
 */
export function parseBoundedYaml(source: string): Document | undefined {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source
  if (text.length > MAX_SPEC_BYTES) return undefined
  const scan = scanStructure(text)
  if (scan.nesting > MAX_SPEC_NESTING || scan.entries > MAX_SPEC_ENTRIES) return undefined
  return parseDocument(text, {uniqueKeys: false, prettyErrors: false, schema: 'core'})
}

/**
 * A leniently parsed document as plain values, or undefined when aliases would expand it past the
 * YAML library's resource limit (a "billion laughs" document): a hostile spec is data that does not
 * parse, never an unexpected failure.
 * @param doc - from parseBoundedYaml
 */
export function boundedToJS(doc: Document): unknown {
  try {
    return doc.toJS({maxAliasCount: 100}) as unknown
  } catch {
    return undefined
  }
}

/**
 * Reads a service's spec and side files and validates them.
 * @param root - the service-definitions repo root
 * @param id - the service ID (folder name under `services/`)
 * @throws SpecError when the spec has errors; UserError when the id is malformed or the spec is missing
 */
export function loadService(root: string, id: string): Promise<LoadedService> {
  // One unit of synchronous work (see cooperate.ts).
  return sliced(() => loadedService(id, readAndParse(root, id, false)))
}

/**
 * Validates a service from sources already read (the spec cache hashed the same texts).
 * @param id - the service ID
 * @param sources - its files, from readServiceSources
 * @throws SpecError when the spec has errors
 */
export function loadServiceFromSources(id: string, sources: ServiceSources): LoadedService {
  return loadedService(id, parseSources(id, sources, false))
}

function loadedService(id: string, result: ParseSpecResult): LoadedService {
  if (!result.spec) throw new SpecError(result.issues)
  return {
    id,
    file: serviceSpecFile(id),
    spec: result.spec,
    ...(result.readme === undefined ? {} : {readme: result.readme}),
    bigQuerySchemas: result.bigQuerySchemas,
    warnings: result.issues.filter((i) => i.severity === 'warning'),
    ...(result.retired ? {retired: result.retired} : {}),
  }
}

function readAndParse(root: string, id: string, strict: boolean): ParseSpecResult {
  if (!SERVICE_ID_PATTERN.test(id)) {
    throw new UserError(`invalid service ID "${id}"`, {hint: 'service IDs contain only lowercase letters, digits and hyphens'})
  }
  const sources = readServiceSources(root, id)
  if (sources === undefined) throw new UserError(`service "${id}" does not exist`)
  return parseSources(id, sources, strict)
}

function parseSources(id: string, sources: ServiceSources, strict: boolean): ParseSpecResult {
  // Every side file of the folder goes in; the one parse of the spec picks the tables it names.
  const result = parseSpec(sources.spec, {
    file: serviceSpecFile(id),
    ...(sources.readme === undefined ? {} : {readme: sources.readme}),
    bigQueryTables: sources.tables,
    strict,
  })
  // One resolution for every command: the folder is the service id (links, TFC tags, generated
  // paths), so a spec that names another id is an error wherever it is loaded. Deliberate addition:
  // the original never compares them.
  if (result.spec && result.spec.service.id !== id) {
    const {line, column} = result.locate?.(['service', 'id']) ?? {line: 1, column: 1}
    result.issues.push({
      file: serviceSpecFile(id),
      line,
      column,
      path: 'service.id',
      message: `service ID "${result.spec.service.id}" must match its folder name "${id}"`,
      severity: 'error',
    })
    delete result.spec
    finish(result)
  }
  return result
}

/** The outcome of validating one service for `msp validate`. */
export interface ServiceValidation {
  id: string
  file: string
  /** The spec, when it has no errors. */
  spec?: Spec
  issues: SpecIssue[]
}

export interface ValidationReport {
  services: ServiceValidation[]
  /** Every issue of every file, in service order. */
  issues: SpecIssue[]
  errorCount: number
  warningCount: number
}

/**
 * Validates services for `msp validate`: unknown keys are errors, and rules across services apply.
 * @param root - the service-definitions repo root
 * @param ids - the service IDs (folder names) to validate
 * @param edition - the edition whose spec keys apply (keys it retired are warnings)
 */
export async function validateServices(root: string, ids: readonly string[], edition: Edition): Promise<ValidationReport> {
  const services: ServiceValidation[] = []
  const locators = new Map<string, (path: readonly PathSegment[]) => Position>()
  for (const id of ids) {
    const file = serviceSpecFile(id)
    let result: ParseSpecResult
    try {
      result = await sliced(() => readAndParse(root, id, true))
    } catch (error) {
      const issues = loadFailureIssues(id, error)
      if (issues === undefined) throw error
      result = {issues, bigQuerySchemas: {}}
    }
    const validation: ServiceValidation = {
      id,
      file,
      issues: [...result.issues, ...retiredKeyWarnings({id, file, retired: result.retired}, edition)].sort((a, b) => a.line - b.line || a.column - b.column),
    }
    if (result.spec) validation.spec = result.spec
    services.push(validation)
    if (result.locate) locators.set(id, result.locate)
  }
  crossServiceRules(services, locators)
  const issues = services.flatMap((s) => s.issues)
  return {
    services,
    issues,
    errorCount: issues.filter((i) => i.severity === 'error').length,
    warningCount: issues.filter((i) => i.severity === 'warning').length,
  }
}

/**
 * Rules across services. Both are deliberate additions: the original never compares a spec's id
 * with its folder name (it uses the folder everywhere) nor DNS names across services.
 */
function crossServiceRules(services: ServiceValidation[], locators: Map<string, (path: readonly PathSegment[]) => Position>): void {
  const dnsOwners = new Map<string, string>()
  for (const service of services) {
    const spec = service.spec
    if (!spec) continue
    const add = (path: PathSegment[], message: string) => {
      const {line, column} = locators.get(service.id)?.(path) ?? {line: 1, column: 1}
      service.issues.push({file: service.file, line, column, path: path.join('.'), message, severity: 'error'})
      delete service.spec
    }
    spec.environments.forEach((env, i) => {
      const dns = dnsName(env)
      if (dns === undefined) return
      const owner = dnsOwners.get(dns)
      if (owner === undefined) dnsOwners.set(dns, service.id)
      else if (owner !== service.id) {
        add(['environments', i, 'domain', 'cloudflare'], `domain "${dns}" is also configured by service "${owner}"`)
      }
    })
  }
}
