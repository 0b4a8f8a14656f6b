import {mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
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

/**
 * A temp folder for a containment test: `outer/outside/precious.md` is what no link inside the
 * checkout (`outer/<checkout>`, created empty) may let msp change; remove `outer` afterwards.
 * @param prefix - the temp folder's name prefix
 * @param checkout - the checkout folder below `outer`, with the folders it needs
 */
export function besideAnOutsideFolder(prefix: string, checkout: string): {outer: string; root: string; outside: string} {
  const outer = mkdtempSync(join(tmpdir(), prefix))
  const outside = join(outer, 'outside')
  mkdirSync(join(outer, checkout), {recursive: true})
  mkdirSync(outside)
  writeFileSync(join(outside, 'precious.md'), 'precious\n')
  return {outer, root: join(outer, checkout.split('/')[0]!), outside}
}
