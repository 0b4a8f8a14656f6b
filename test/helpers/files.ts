import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'

/**
 * Every entry below `dir` (folders walked, never followed through a link), by path relative to
 * `dir`: a file's text, `<link>` for a symbolic link, `<other>` for a FIFO, socket or device. Two
 * equal snapshots mean nothing was written, removed, replaced by a link or added.
 * @param dir - the folder
 */
export function filesBelow(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const e of readdirSync(d, {withFileTypes: true})) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out[relative(dir, p)] = e.isFile() ? readFileSync(p, 'utf8') : `<${e.isSymbolicLink() ? 'link' : 'other'}>`
    }
  }
  walk(dir)
  return out
}
