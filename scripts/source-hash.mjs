// The hash of everything `npm run build` compiles from: src/, the package and compiler settings and
// the manifest script. The build records it in dist/build-info.json; the tests' global setup rebuilds
// dist/ when it differs, so that the tests never run a build older than the sources they read.
import {createHash} from 'node:crypto'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

/** @param {string} root - the repository root */
export function sourceHash(root) {
  const files = [
    ...readdirSync(join(root, 'src'), {recursive: true})
      .map(String)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join('src', f)),
    'package.json',
    'tsconfig.json',
    'scripts/manifest.mjs',
    'scripts/bundle-fast-path.mjs',
    'scripts/source-hash.mjs',
  ].sort()
  const hash = createHash('sha256')
  for (const f of files)
    hash
      .update(`${f.replaceAll('\\', '/')}\0`)
      .update(readFileSync(join(root, f)))
      .update('\0')
  return hash.digest('hex').slice(0, 32)
}
