/**
 * How `msp diff` shows its changes: Terraform's plan summary as text, a Markdown table per workspace
 * for a pull-request comment, or one JSON document. Every value, address and workspace name comes from
 * specs, files or a server, so it is escaped for the terminal or for Markdown here, at the sink.
 */
import {terminalSafe} from '../io/terminal.js'
import {ACTIONS, type Action, type Change} from './changes.js'
import type {Json} from './values.js'

export type DiffSummary = Record<Action, number>

/** The `--json` document. */
export interface DiffDocument {
  changes: Change[]
  summary: DiffSummary
}

/**
 * The JSON document of a list of changes; `summary` counts every change by action.
 * @param changes - sorted changes
 */
export function diffDocument(changes: readonly Change[]): DiffDocument {
  const summary = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as DiffSummary
  for (const c of changes) summary[c.action]++
  return {changes: [...changes], summary}
}

/** True for a resource address (`<type>.<name>`, possibly indexed), not an output, provider, variable, data source or setting. */
export function isResourceAddress(address: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]]*\])?$/.test(address) && !/^(?:output|var|local|provider|data|module)\./.test(address)
}

/**
 * Terraform's closing line: resources only, a replace counted as one add and one destroy.
 * @param changes - the changes shown
 */
export function planLine(changes: readonly Change[]): string {
  let add = 0
  let change = 0
  let destroy = 0
  for (const c of changes) {
    if (!isResourceAddress(c.address)) continue
    if (c.action === 'create' || c.action === 'replace') add++
    if (c.action === 'delete' || c.action === 'replace') destroy++
    if (c.action === 'update') change++
  }
  return `Plan: ${add} to add, ${change} to change, ${destroy} to destroy.`
}

function others(changes: readonly Change[]): number {
  return changes.filter((c) => !isResourceAddress(c.address)).length
}

const SYMBOL: Readonly<Record<Action, string>> = {create: '+', update: '~', replace: '-/+', delete: '-'}
const VERB: Readonly<Record<Action, string>> = {
  create: 'will be created',
  update: 'will be updated in-place',
  replace: 'must be replaced',
  delete: 'will be destroyed',
}

function byWorkspace(changes: readonly Change[]): Map<string, Change[]> {
  const groups = new Map<string, Change[]>()
  for (const c of changes) {
    let list = groups.get(c.workspace)
    if (!list) groups.set(c.workspace, (list = []))
    list.push(c)
  }
  return groups
}

function shown(value: Json | undefined): string {
  return value === undefined ? '(absent)' : JSON.stringify(value)
}

/**
 * The text report: per workspace, one line per changed address with Terraform's symbols and, below
 * it, each changed attribute `old → new`; then the plan line.
 * @param changes - sorted changes
 * @param options - what the comparison was against (for the no-change sentence)
 */
export function renderDiffText(changes: readonly Change[], options: {against: 'working tree' | 'state'}): string {
  const lines: string[] = []
  if (changes.length === 0) {
    lines.push(
      options.against === 'state'
        ? 'No changes. The applied state matches what msp generates.'
        : 'No changes. The generated files in the working tree match what msp generate writes.',
    )
  }
  for (const [workspace, list] of byWorkspace(changes)) {
    lines.push(`${terminalSafe(workspace)}:`)
    for (const c of list) {
      const why = c.reason ? ` (${terminalSafe(c.reason)})` : ''
      lines.push(`  ${SYMBOL[c.action]} ${terminalSafe(c.address)} ${VERB[c.action]}${why}`)
      for (const path of c.attributes ?? []) {
        lines.push(`      ~ ${terminalSafe(path)}: ${terminalSafe(shown(c.before?.[path]))} → ${terminalSafe(shown(c.after?.[path]))}`)
      }
    }
    lines.push('')
  }
  const rest = others(changes)
  if (rest > 0) lines.push(`Outside resources (outputs, providers, variables, data sources, settings): ${rest} change${rest === 1 ? '' : 's'}.`)
  lines.push(planLine(changes))
  return lines.join('\n')
}

/**
 * Text safe in a Markdown table cell (GitHub's flavour): the characters that start emphasis, code,
 * links, images, HTML tags, entities, strikethrough, math (`$`) or a cell break (`|`) backslash-escaped,
 * control characters (line breaks included) shown escaped. A cell never starts a line, so list and
 * heading markers need nothing.
 * @param text - untrusted text
 */
export function markdownCell(text: string): string {
  return terminalSafe(text).replace(/[\\`*_[\]<>&|~!#$]/g, (c) => `\\${c}`)
}

/**
 * The Markdown report for a pull-request comment: a heading and a table per workspace, then the
 * plan line.
 * @param changes - sorted changes
 * @param options - what the comparison was against (for the no-change sentence)
 */
export function renderDiffMarkdown(changes: readonly Change[], options: {against: 'working tree' | 'state'}): string {
  const blocks: string[] = []
  if (changes.length === 0) blocks.push(options.against === 'state' ? 'No changes: the applied state matches what msp generates.' : 'No changes.')
  for (const [workspace, list] of byWorkspace(changes)) {
    const rows = ['| action | address | attribute | before | after |', '| --- | --- | --- | --- | --- |']
    for (const c of list) {
      const action = c.reason ? `${c.action} (${c.reason})` : c.action
      const attributes = c.attributes ?? []
      if (attributes.length === 0) rows.push(`| ${markdownCell(action)} | ${markdownCell(c.address)} |  |  |  |`)
      for (const [i, path] of attributes.entries()) {
        rows.push(
          `| ${i === 0 ? markdownCell(action) : ''} | ${i === 0 ? markdownCell(c.address) : ''} | ${markdownCell(path)} ` +
            `| ${markdownCell(shown(c.before?.[path]))} | ${markdownCell(shown(c.after?.[path]))} |`,
        )
      }
    }
    blocks.push(`#### ${markdownCell(workspace)}`, rows.join('\n'))
  }
  const rest = others(changes)
  if (rest > 0) blocks.push(`Outside resources (outputs, providers, variables, data sources, settings): ${rest} change${rest === 1 ? '' : 's'}.`)
  blocks.push(`**${planLine(changes)}**`)
  return `${blocks.join('\n\n')}\n`
}
