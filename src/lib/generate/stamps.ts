/**
 * Generation stamps: an incremental-build record per environment, so an unchanged `generate --all`
 * neither rebuilds nor re-renders environments whose output is provably current.
 *
 * A stamp (kept in the user's cache folder, never in the repository) holds a hash of everything the
 * output depends on — the msp build, the Terraform version, the edition, the service's validated spec and table
 * schemas, the edition, the environment id — and the size, mtime and ctime of every file written plus those of the
 * folders holding them. The ctime matters: tools that copy a file keep its size and mtime (`cp -p`,
 * `rsync -a`, `tar`), but no tool can set the ctime, which every write and rename moves. An environment is fresh
 * only when the hash matches and every recorded stat is unchanged: an edited, added or removed file (a folder's mtime changes when an entry is added or
 * removed), a git checkout, an interrupted run or a different msp version all mean "render again".
 */
import {createHash} from 'node:crypto'
import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {writeCacheFile} from '../io/cache-file.js'

/** One recorded path: size, mtime and ctime (ns precision as strings; folders have no size). */
type Stat = [path: string, size: number, mtimeNs: string, ctimeNs: string]

interface Stamp {
  key: string
  files: string[]
  stats: Stat[]
}

/** Reads and writes generation stamps in a folder of the cache. */
export interface StampStore {
  /** The recorded file paths (environment-relative) when the environment is fresh, else undefined. */
  fresh(envDir: string, key: string): string[] | undefined
  /** Records what was just written (best effort: a failure only costs a re-render next time). */
  record(envDir: string, key: string, files: readonly string[]): void
}

function statOf(path: string): [number, string, string] | undefined {
  try {
    const s = statSync(path, {bigint: true})
    return [s.isDirectory() ? -1 : Number(s.size), s.mtimeNs.toString(), s.ctimeNs.toString()]
  } catch {
    return undefined
  }
}

/** Folders whose mtimes reveal added or removed entries: the environment, `stacks/` and each stack. */
function watchedDirs(files: readonly string[]): string[] {
  const dirs = new Set<string>(['.'])
  for (const f of files) {
    const parts = f.split('/')
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'))
  }
  return [...dirs].sort()
}

/**
 * The stamp key of one environment's generation inputs.
 * @param parts - build fingerprint, Terraform version, edition, service input digest and environment id
 */
export function stampKey(parts: {fingerprint: string; terraformVersion: string; edition: string; serviceDigest: string; envId: string}): string {
  return createHash('sha256').update(`${parts.fingerprint}\0${parts.terraformVersion}\0${parts.edition}\0${parts.serviceDigest}\0${parts.envId}`).digest('hex')
}

/** A digest of a service's generation inputs (validated spec and BigQuery table schemas). */
export function serviceDigest(service: {id: string; spec: unknown; bigQuerySchemas?: Readonly<Record<string, string>>}): string {
  return createHash('sha256')
    .update(JSON.stringify([service.id, service.spec, service.bigQuerySchemas ?? {}]))
    .digest('hex')
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A plain relative path of an environment folder (what record writes): no `..`, no absolute path. */
const isPlainPath = (p: unknown): p is string =>
  typeof p === 'string' && p !== '' && p.split('/').every((s) => s !== '' && s !== '..' && !s.includes('\\') && !s.includes('\0'))

function isStampShape(stamp: Record<string, unknown>): boolean {
  const stats = stamp.stats
  const files = stamp.files
  if (!Array.isArray(files) || !files.every(isPlainPath) || !Array.isArray(stats)) return false
  return stats.every(
    (s) =>
      Array.isArray(s) &&
      s.length === 4 &&
      (s[0] === '.' || isPlainPath(s[0])) &&
      typeof s[1] === 'number' &&
      typeof s[2] === 'string' &&
      typeof s[3] === 'string',
  )
}

/**
 * A stamp store in `dir` (one small JSON file per environment folder, named by its path's hash).
 * @param dir - a folder of the user's cache
 */
export function createStampStore(dir: string): StampStore {
  const fileFor = (envDir: string) => join(dir, `${createHash('sha256').update(envDir).digest('hex').slice(0, 40)}.json`)
  return {
    fresh(envDir, key) {
      let stamp: Stamp
      try {
        stamp = JSON.parse(readFileSync(fileFor(envDir), 'utf8')) as Stamp
      } catch {
        return undefined
      }
      // A stamp of the right key but the wrong shape is a miss, never a crash: the cache is never a reason to fail.
      if (!isObject(stamp) || stamp.key !== key || !isStampShape(stamp)) return undefined
      for (const [path, size, mtime, ctime] of stamp.stats) {
        const now = statOf(join(envDir, path))
        if (!now || now[0] !== size || now[1] !== mtime || now[2] !== ctime) return undefined
      }
      return stamp.files
    },
    record(envDir, key, files) {
      const stats: Stat[] = []
      for (const path of [...watchedDirs(files), ...files]) {
        const s = statOf(join(envDir, path))
        if (!s) return
        stats.push([path, s[0], s[1], s[2]])
      }
      // A stamp lost in a crash only means one environment is rendered again.
      writeCacheFile(fileFor(envDir), JSON.stringify({key, files: [...files], stats} satisfies Stamp))
    },
  }
}
