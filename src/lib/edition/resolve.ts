/**
 * Which edition a run uses. First match wins: the `--edition` flag, `MSP_EDITION`, the repository's
 * lockfiles as the original read them for staged upgrades (`sg-msp-<category>.lock` for an
 * environment of that category, then `sg-msp.lock`; each holds an sg release name), else
 * {@link DEFAULT_EDITION}.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {UsageError, UserError} from '../io/errors.js'
import {DEFAULT_EDITION, EDITIONS, describeEditionRanges, editionForRelease, isEdition, type Edition} from './editions.js'

/** The environment variable that selects an edition. */
export const EDITION_ENV = 'MSP_EDITION'

export interface ResolvedEdition {
  edition: Edition
  /** Where it came from: `--edition`, `MSP_EDITION`, a lockfile name, or `default`. */
  source: string
  /** The sg release a lockfile named. */
  release?: string
}

export interface EditionRequest {
  /** The `--edition` value, if given. */
  flag?: string | undefined
  /** The `MSP_EDITION` value, if set. */
  envValue?: string | undefined
  /** The repository root holding the lockfiles; no lockfile is read without it. */
  root?: string | undefined
}

/** Resolves the edition of one environment category (or, without one, of the repository as a whole). */
export type EditionResolver = (category?: string) => ResolvedEdition

function parseNamed(value: string, source: string): Edition {
  if (isEdition(value)) return value
  throw new UsageError(`${source}: unknown edition "${value}"`, {hint: `editions: ${EDITIONS.join(', ')}`})
}

/** The lockfile's release, or undefined when the file does not exist. */
function readLockfile(root: string, name: string): string | undefined {
  let text: string
  try {
    text = readFileSync(join(root, name), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const release = text.trim()
  // The original refused an empty lockfile too.
  if (!release) throw new UserError(`${name} is empty`, {hint: 'it should hold an sg release name such as 2024-05-01-12-00-abcdef1, or be removed'})
  return release
}

/**
 * An edition resolver for one run. Flag and variable are checked once, here, so a bad value fails
 * before any work; lockfiles are read at most once each.
 * @param request - the flag, the variable's value and the repository root
 */
export function createEditionResolver(request: EditionRequest): EditionResolver {
  if (request.flag !== undefined && request.flag !== '') {
    const fixed = {edition: parseNamed(request.flag, '--edition'), source: '--edition'}
    return () => fixed
  }
  if (request.envValue !== undefined && request.envValue !== '') {
    const fixed = {edition: parseNamed(request.envValue, EDITION_ENV), source: EDITION_ENV}
    return () => fixed
  }
  const root = request.root
  const cache = new Map<string, ResolvedEdition | undefined>()
  const fromLockfile = (name: string): ResolvedEdition | undefined => {
    if (cache.has(name)) return cache.get(name)
    const release = root === undefined ? undefined : readLockfile(root, name)
    let resolved: ResolvedEdition | undefined
    if (release !== undefined) {
      const mapped = editionForRelease(release)
      if (!mapped)
        throw new UserError(`${name}: "${release}" is not an sg release name`, {hint: 'expected YYYY-MM-DD-HH-MM-<commit>, e.g. 2024-05-01-12-00-abcdef1'})
      if ('refused' in mapped) {
        throw new UserError(`${name}: msp does not reproduce sg release ${release} exactly: ${mapped.refused}`, {
          hint:
            `msp reproduces ${describeEditionRanges()}; choose one with --edition <edition> (or ${EDITION_ENV}), or pin ${name} to a release of one of ` +
            `them`,
        })
      }
      resolved = {edition: mapped.edition, source: name, release}
    }
    cache.set(name, resolved)
    return resolved
  }
  return (category) =>
    (category ? fromLockfile(`sg-msp-${category}.lock`) : undefined) ?? fromLockfile('sg-msp.lock') ?? {edition: DEFAULT_EDITION, source: 'default'}
}

/** One line saying which edition was used and why, or undefined for the default edition. */
export function describeEdition(resolved: ResolvedEdition): string | undefined {
  if (resolved.edition === DEFAULT_EDITION) return undefined
  const from = resolved.release ? `${resolved.source}: ${resolved.release}` : resolved.source
  return `Using edition ${resolved.edition} (${from})`
}
