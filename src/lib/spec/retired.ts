/**
 * Spec keys of older releases. A spec written by the original's May-2024 `init` (a job's
 * `schedule.deadline`, a response-code alert's `duration`) is valid under an edition from before the change
 * that retired the key; the final original ignored those keys silently, so under an edition that retired
 * them each is a
 * warning naming its replacement (and `msp migrate` rewrites them).
 */
import {allRetiredKeys, retiredKeys, type Edition, type RetiredKey} from '../edition/editions.js'
import type {SpecIssue} from '../io/errors.js'

/** One retired key found in a spec, where it is. */
export interface RetiredKeyUse {
  /** The concrete dotted path (`environments.0.schedule.deadline`). */
  path: string
  /** The pattern it matched (`environments.*.schedule.deadline`). */
  pattern: string
  line: number
  column: number
}

function matches(pattern: readonly string[], path: readonly (string | number)[]): boolean {
  return pattern.length === path.length && pattern.every((p, i) => (p === '*' ? typeof path[i] === 'number' : p === path[i]))
}

/**
 * The retired keys (of any edition) present in a decoded spec.
 * @param positions - every decoded path (as `JSON.stringify(segments)`) with its position
 */
export function findRetiredKeys(positions: ReadonlyMap<string, {line: number; column: number}>): RetiredKeyUse[] {
  const patterns = allRetiredKeys().map((k) => ({k, parts: k.path.split('.')}))
  const found: RetiredKeyUse[] = []
  for (const [key, at] of positions) {
    const path = JSON.parse(key) as (string | number)[]
    const hit = patterns.find(({parts}) => matches(parts, path))
    if (hit) found.push({path: path.join('.'), pattern: hit.k.path, line: at.line, column: at.column})
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column)
}

/** The retired key of `edition` a use matched, if that edition retired it. */
export function retiredIn(use: Pick<RetiredKeyUse, 'pattern'>, edition: Edition): RetiredKey | undefined {
  return retiredKeys(edition).find((k) => k.path === use.pattern)
}

/**
 * Warnings for the retired keys a spec uses, under one edition (none before the changes that retired them).
 * @param service - the service id, its spec file and the retired keys found in it
 * @param edition - the edition whose spec keys apply
 */
export function retiredKeyWarnings(service: {id: string; file: string; retired?: readonly RetiredKeyUse[] | undefined}, edition: Edition): SpecIssue[] {
  return (service.retired ?? []).flatMap((use) => {
    const key = retiredIn(use, edition)
    if (!key) return []
    const message = `replaced by ${key.replacement} (${key.change}); the ${edition} edition ignores it, as the original did — run: msp migrate ${service.id}`
    return [{file: service.file, line: use.line, column: use.column, path: use.path, message, severity: 'warning' as const}]
  })
}
