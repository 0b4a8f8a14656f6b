import {isMap, isScalar, isSeq, parseDocument, type Document, type Pair, type YAMLSeq} from 'yaml'
import {UserError} from '../io/errors.js'
import {sequenceItem} from './templates.js'

/**
 * Adds one environment to the `environments` list of a service.yaml and returns the new text.
 *
 * The YAML document is parsed only to locate the list; the new entry is then spliced into the
 * original text, so every other byte (comments, blank lines, quoting, key order, line endings)
 * survives. The original re-encoded the whole document and lost the blank lines between sections.
 * @param options - the current file text, the new environment's id and its unindented lines
 */
export function appendEnvironment(options: {source: string; envId: string; lines: readonly string[]}): string {
  const {source, envId, lines} = options
  const doc = parseDocument(source)
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!
    const at = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}: ` : ''
    throw new UserError(`cannot add an environment to a file that is not valid YAML: ${at}${e.message.split('\n')[0]}`)
  }
  const eol = source.includes('\r\n') ? '\r\n' : '\n'
  const root = doc.contents
  if (root !== null && !isMap(root)) throw new UserError('cannot add an environment: the top level of the file is not a mapping')
  const pair = root?.items.find((p) => isScalar(p.key) && p.key.value === 'environments') as Pair<unknown, unknown> | undefined
  let result: string
  if (pair === undefined) {
    // No list yet: start one at the end of the file, after a blank line like the other sections.
    const body = source.length === 0 || source.endsWith('\n') ? source : source + eol
    result = body + (body.trim().length > 0 ? eol : '') + ['environments:', ...sequenceItem(lines, 2, 4)].join(eol) + eol
  } else if (isSeq(pair.value) && !pair.value.flow) {
    assertNewId(pair.value, envId)
    result = appendToBlockSequence(source, pair.value, lines, eol)
  } else if (pair.value === null || (isScalar(pair.value) && pair.value.value === null) || (isSeq(pair.value) && pair.value.items.length === 0)) {
    // `environments:`, `environments: ~` or `environments: []`: drop the empty value, write a block list below the key.
    const valueRange = (pair.value as {range?: [number, number, number]} | null)?.range
    const keyEnd = (pair.key as {range: [number, number, number]}).range[1]
    const lineEnd = endOfLine(source, valueRange ? valueRange[1] : keyEnd)
    const left = source
      .slice(0, valueRange ? valueRange[0] : lineEnd)
      .replace(/\r?\n$/, '')
      .replace(/[ \t]+$/, '')
    const comment = valueRange ? source.slice(valueRange[1], lineEnd).trim() : ''
    const keyLine = comment ? `${left} ${comment}` : left
    result = keyLine + eol + sequenceItem(lines, 2, 4).join(eol) + eol + source.slice(lineEnd)
  } else if (isSeq(pair.value)) {
    // A non-empty flow list `[{...}]` cannot take a block item; fall back to editing the document tree.
    assertNewId(pair.value, envId)
    result = appendThroughDocument(doc, pair.value, lines)
  } else {
    throw new UserError('cannot add an environment: "environments" is not a list')
  }
  assertAppended(result, envId)
  return result
}

function assertNewId(seq: YAMLSeq, envId: string): void {
  for (const item of seq.items) {
    if (isMap(item) && item.get('id') === envId) throw new UserError(`environment "${envId}" already exists`)
  }
}

function appendToBlockSequence(source: string, seq: YAMLSeq, lines: readonly string[], eol: string): string {
  const items = seq.items as {range?: [number, number, number]}[]
  const firstStart = items[0]!.range![0]
  const markerIndent = columnOf(source, source.lastIndexOf('-', firstStart - 1))
  const contentIndent = isOnSameLine(source, source.lastIndexOf('-', firstStart - 1), firstStart) ? columnOf(source, firstStart) : markerIndent + 2
  // The parser knows where the last item's content ends (block scalars included); after that, the item
  // keeps only the comment lines right below it that are indented deeper than the `-` marker. Blank
  // lines and shallower comments after it belong to what follows.
  const contentEnd = items.at(-1)!.range![1]
  let insertAt = source[contentEnd - 1] === '\n' ? contentEnd : endOfLine(source, contentEnd)
  while (insertAt < source.length) {
    const next = endOfLine(source, insertAt)
    const text = source.slice(insertAt, next).replace(/\r?\n$/, '')
    if (!text.trimStart().startsWith('#') || indentOf(text) <= markerIndent) break
    insertAt = next
  }
  const before = source.slice(0, insertAt)
  const separatedByBlankLines = items.length >= 2 && isPrecededByBlankLine(source, items[1]!.range![0])
  const item = sequenceItem(lines, markerIndent, contentIndent).join(eol) + eol
  const joint = before.endsWith('\n') ? '' : eol
  return before + joint + (separatedByBlankLines ? eol : '') + item + source.slice(insertAt)
}

function appendThroughDocument(doc: Document, seq: YAMLSeq, lines: readonly string[]): string {
  const entry = parseDocument(lines.join('\n'))
  seq.items.push(doc.createNode(entry.toJS()))
  return doc.toString()
}

function assertAppended(text: string, envId: string): void {
  const doc = parseDocument(text)
  let envs: {environments?: {id?: unknown}[]} | null
  try {
    envs = doc.toJS({maxAliasCount: 100}) as {environments?: {id?: unknown}[]} | null
  } catch {
    // Aliases that expand past the YAML library's resource limit: a property of the user's file.
    throw new UserError(`cannot add environment "${envId}": the spec uses YAML aliases that expand too far to check the result`, {
      hint: 'replace the aliases (*name) with the values they stand for, then run msp init-env again',
    })
  }
  if (doc.errors.length > 0 || envs?.environments?.at(-1)?.id !== envId) {
    // A bug in the splice, not a user mistake: never write a file we cannot read back.
    throw new Error(`adding environment "${envId}" produced an unreadable file: ${doc.errors[0]?.message ?? 'entry missing'}`)
  }
}

function endOfLine(source: string, offset: number): number {
  const nl = source.indexOf('\n', offset)
  return nl === -1 ? source.length : nl + 1
}

function columnOf(source: string, offset: number): number {
  return offset - (source.lastIndexOf('\n', offset - 1) + 1)
}

function isOnSameLine(source: string, a: number, b: number): boolean {
  return !source.slice(a, b).includes('\n')
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length
}

function isPrecededByBlankLine(source: string, offset: number): boolean {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1
  const prevEnd = lineStart - 1
  if (prevEnd <= 0) return false
  const prevStart = source.lastIndexOf('\n', prevEnd - 1) + 1
  return source.slice(prevStart, prevEnd).trim().length === 0
}
