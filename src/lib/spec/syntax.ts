/**
 * YAML syntax errors at their cause. The parser reports where it gave up: an unclosed `[` at the next
 * key (often lines later), an unclosed quote at the end of the file, an over-indented key at the
 * value of the line above. This module finds the cause in the text and the parse tree and says it
 * plainly, with the key path where one is known. Runs only for documents that have errors.
 */
import {CST, isMap, isPair, isScalar, isSeq, Parser, type Document, type YAMLError} from 'yaml'
import type {PathSegment} from './decode.js'

/** A syntax error, located by offset into the text. */
export interface SyntaxProblem {
  offset: number
  path: PathSegment[]
  message: string
}

interface Opening {
  offset: number
  /** `[`, `{`, `"` or `'`. */
  char: string
}

const CLOSER: Record<string, string> = {'[': ']', '{': '}'}
const KEY_LINE = /^([ \t]*(?:-[ \t]+)*)((?:"[^"]*"|'[^']*'|[^\s#:'"[\]{},][^:#]*?)):(?:[ \t]|$)/

/** Whether a quoted scalar's source text ends with its closing quote. */
function quoteClosed(source: string): boolean {
  const body = source.trimEnd().slice(1)
  if (source.startsWith('"')) {
    if (!body.endsWith('"')) return false
    const backslashes = /\\*"$/.exec(body)![0].length - 1
    return backslashes % 2 === 0
  }
  const quotes = /'*$/.exec(body)![0].length
  return quotes % 2 === 1
}

/** Flow collections without their closing bracket and quoted strings without their closing quote. */
function unclosedOpenings(text: string): Opening[] {
  const found: Opening[] = []
  let visited = 0
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue
    CST.visit(token, (item) => {
      if (visited++ > 100_000) return CST.visit.BREAK
      const value = item.value
      if (value?.type === 'flow-collection') {
        const char = value.start.source
        const closer = CLOSER[char]
        if (closer !== undefined && !value.end.some((t) => t.source === closer)) found.push({offset: value.start.offset, char})
      } else if ((value?.type === 'double-quoted-scalar' || value?.type === 'single-quoted-scalar') && !quoteClosed(value.source)) {
        found.push({offset: value.offset, char: value.source[0]!})
      }
      return undefined
    })
  }
  return found.sort((a, b) => a.offset - b.offset)
}

/** Key paths of the (partial) parse tree by the offset where a key or a value starts. */
function pathsByOffset(doc: Document): {keys: Map<number, PathSegment[]>; values: Map<number, PathSegment[]>} {
  const keys = new Map<number, PathSegment[]>()
  const values = new Map<number, PathSegment[]>()
  const stack: {node: unknown; path: PathSegment[]}[] = [{node: doc.contents, path: []}]
  let visited = 0
  while (stack.length > 0 && visited++ < 200_000) {
    const {node, path} = stack.pop()!
    if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const start = (item as {range?: [number, number, number]} | null)?.range?.[0]
        if (start !== undefined && !values.has(start)) values.set(start, [...path, i])
        stack.push({node: item, path: [...path, i]})
      })
    } else if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue
        const key = String(pair.key.value)
        const keyStart = pair.key.range?.[0]
        if (keyStart !== undefined) keys.set(keyStart, [...path, key])
        const valueStart = (pair.value as {range?: [number, number, number]} | null)?.range?.[0]
        if (valueStart !== undefined && !values.has(valueStart)) values.set(valueStart, [...path, key])
        stack.push({node: pair.value, path: [...path, key]})
      }
    }
  }
  return {keys, values}
}

interface Line {
  start: number
  text: string
}

function linesOf(text: string): Line[] {
  const lines: Line[] = []
  let start = 0
  for (const text_ of text.split('\n')) {
    lines.push({start, text: text_.replace(/\r$/, '')})
    start += text_.length + 1
  }
  return lines
}

/** The key a line starts (after indentation and `- ` markers), with its column (0-based). */
function keyOf(line: string): {key: string; column: number} | undefined {
  const match = KEY_LINE.exec(line)
  if (!match) return undefined
  const raw = match[2]!.trim()
  const key = /^["']/.test(raw) ? raw.slice(1, -1) : raw
  return {key, column: match[1]!.length}
}

function isContent(line: string): boolean {
  const trimmed = line.trim()
  return trimmed !== '' && !trimmed.startsWith('#')
}

function lineIndex(lines: Line[], offset: number): number {
  let lo = 0
  let hi = lines.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (lines[mid]!.start <= offset) lo = mid
    else hi = mid - 1
  }
  return lo
}

/**
 * Explains the syntax errors of a document at their cause.
 * @param text - the parsed text
 * @param doc - the document, with its errors
 * @returns one problem per cause found, and the errors it explains; other errors stay as they are
 */
export function explainSyntaxErrors(text: string, doc: Document): {problems: SyntaxProblem[]; explained: Set<YAMLError>} {
  const problems = new Map<string, SyntaxProblem>()
  const explained = new Set<YAMLError>()
  const errors = doc.errors
  if (errors.length === 0) return {problems: [], explained}
  const openings = unclosedOpenings(text)
  const paths = pathsByOffset(doc)
  const lines = linesOf(text)
  const add = (error: YAMLError, problem: SyntaxProblem) => {
    explained.add(error)
    problems.set(`${problem.offset}\0${problem.message}`, problem)
  }
  const valuePath = (offset: number) => paths.values.get(offset) ?? []
  const misindentedLines = new Set<number>()
  let strayCloser = false

  for (const error of errors) {
    const at = error.pos[0]
    const flow = /^Flow (sequence|map) (in block collection|must end)/.exec(error.message)
    if (flow || error.code === 'MISSING_CHAR' || error.code === 'UNEXPECTED_TOKEN' || error.code === 'BAD_INDENT') {
      const wanted = flow ? (flow[1] === 'sequence' ? ['['] : ['{']) : /quote/.test(error.message) ? ['"', "'"] : undefined
      const opening = wanted && openings.filter((o) => wanted.includes(o.char) && o.offset <= at).at(-1)
      if (opening) {
        const message =
          opening.char === '['
            ? '"[" is never closed: a list must end with "]"'
            : opening.char === '{'
              ? '"{" is never closed: a mapping must end with "}"'
              : `the quoted string that starts here is never closed (missing ${opening.char})`
        add(error, {offset: opening.offset, path: valuePath(opening.offset), message})
        continue
      }
    }
    // After a stray closing bracket the parser reports every later token as unexpected: one cause.
    if (strayCloser && error.code === 'UNEXPECTED_TOKEN') {
      explained.add(error)
      continue
    }
    const plain = plainSyntaxError(error, lines, paths.keys)
    if (plain) {
      add(error, plain)
      if (plain.message.startsWith('"]"') || plain.message.startsWith('"}"')) strayCloser = true
      // The key after a value with ": " is lined up with the keys before it, not misindented.
      if (plain.message.startsWith('a value that contains')) misindentedLines.add(lineIndex(lines, error.pos[0]))
      continue
    }
    const misindented = misindentedKey(error, lines, paths.keys, misindentedLines)
    if (misindented === 'cascade') explained.add(error)
    else if (misindented) add(error, misindented)
  }
  return {problems: [...problems.values()], explained}
}

/**
 * A key indented differently from the key of its mapping above it: the parser reports it at the
 * value of the line above ("Nested mappings are not allowed in compact mappings") or at column 1 of
 * its line ("All mapping items must start at the same column").
 */
function misindentedKey(
  error: YAMLError,
  lines: Line[],
  keys: Map<number, PathSegment[]>,
  misindentedLines: Set<number>,
): SyntaxProblem | 'cascade' | undefined {
  const errorLine = lineIndex(lines, error.pos[0])
  let index: number
  if (error.code === 'BLOCK_AS_IMPLICIT_KEY' || error.code === 'MULTILINE_IMPLICIT_KEY') {
    // The key line that follows the value the parser stopped at.
    index = errorLine + 1
    while (index < lines.length && !isContent(lines[index]!.text)) index++
  } else if (error.code === 'BAD_INDENT' && error.message.startsWith('All mapping items must start at the same column')) {
    index = errorLine
  } else {
    return undefined
  }
  const line = lines[index]
  const key = line && keyOf(line.text)
  if (!line || !key || /^\s*\t/.test(line.text)) return undefined
  if (misindentedLines.has(index)) return 'cascade'
  // The key above it of the same mapping: the nearest key line before it, skipping tab-indented lines
  // (reported on their own) and keys already reported as misindented: a key lined up with the key
  // before those is not misindented itself.
  let skipped = false
  for (let above = index - 1; above >= 0; above--) {
    const text = lines[above]!.text
    if (!isContent(text)) continue
    if (misindentedLines.has(above) || /^\s*\t/.test(text)) {
      skipped = true
      continue
    }
    const sibling = keyOf(text)
    if (!sibling) return undefined
    // Lined up with the key before a misindented one: the parser's complaint is about that one.
    if (sibling.column === key.column) return skipped ? 'cascade' : undefined
    misindentedLines.add(index)
    const siblingPath = keys.get(lines[above]!.start + sibling.column)
    const path = siblingPath ? [...siblingPath.slice(0, -1), key.key] : []
    const how = key.column > sibling.column ? 'more' : 'less'
    return {
      offset: line.start + key.column,
      path,
      message: `key "${key.key}" is indented ${how} than "${sibling.key}" on line ${above + 1}; keys of one mapping must start in the same column`,
    }
  }
  return undefined
}

/** The key of the line an offset is on, with its path when the (partial) parse tree has it. */
function lineKey(lines: Line[], offset: number, keys: Map<number, PathSegment[]>): {key: string; offset: number; path: PathSegment[]} | undefined {
  const line = lines[lineIndex(lines, offset)]!
  const key = keyOf(line.text)
  if (!key) return undefined
  const keyOffset = line.start + key.column
  return {key: key.key, offset: keyOffset, path: keys.get(keyOffset) ?? []}
}

/**
 * Other common mistakes said plainly, at the parser's position and with the key path of its line:
 * an unquoted ": " inside a value, a tab used for indentation, a closing bracket that closes nothing.
 */
function plainSyntaxError(error: YAMLError, lines: Line[], keys: Map<number, PathSegment[]>): SyntaxProblem | undefined {
  const at = error.pos[0]
  const owner = lineKey(lines, at, keys)
  if (error.code === 'BLOCK_AS_IMPLICIT_KEY' || error.code === 'MULTILINE_IMPLICIT_KEY') {
    // `description: a: b`: the value itself contains ": " on the key's own line.
    const line = lines[lineIndex(lines, at)]!
    if (owner && at > owner.offset && /:\s/.test(line.text.slice(at - line.start))) {
      return {offset: at, path: owner.path, message: 'a value that contains ": " must be quoted, e.g. "a: b"'}
    }
    return undefined
  }
  if (error.code === 'TAB_AS_INDENT') {
    // No key path: where a tab-indented key belongs is exactly what the parser cannot tell.
    return {offset: at, path: [], message: 'tabs are not allowed as indentation: indent with spaces'}
  }
  const stray = /^Unexpected (flow-seq-end|flow-map-end) token/.exec(error.message)
  if (stray) {
    const char = stray[1] === 'flow-seq-end' ? ']' : '}'
    const opener = char === ']' ? '[' : '{'
    return {offset: at, path: owner?.path ?? [], message: `"${char}" closes nothing: there is no "${opener}" open before it`}
  }
  return undefined
}
