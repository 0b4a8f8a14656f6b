// Post-build step: writes oclif.manifest.json (so start-up never scans the command files; msp's own
// start-up reads it too) and dist/build-info.json (the fingerprint that keys the spec cache and the
// generation stamps).
import {Config, Plugin} from '@oclif/core'
import {createHash} from 'node:crypto'
import {readdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {sourceHash} from './source-hash.mjs'

function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, file)
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const plugin = new Plugin({root: process.cwd(), type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true})
await plugin.load()
// The one manifest: oclif reads `commands`; msp's own start-up (src/cli/argv.ts: the grammar, the fast
// path, completion, the misuse messages) reads those and `pluginCommands`, the commands oclif loads from
// plugins (help), in the same shape. Compact: it is parsed on every start.
const config = await Config.load(process.cwd())
const pluginCommands = Object.fromEntries(
  config.commands.filter((c) => c.pluginName !== pkg.name).map((c) => [c.id, JSON.parse(JSON.stringify({...c, load: undefined}))]),
)
writeAtomic('oclif.manifest.json', JSON.stringify({...plugin.manifest, pluginCommands}) + '\n')

// The parser and validator versions shape what a cached spec holds, so they are part of the build.
const version = (name) => JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')).version
const hash = createHash('sha256').update(`${pkg.name}@${pkg.version}\0yaml@${version('yaml')}\0zod@${version('zod')}\0`)
// Every compiled lib module: the spec cache and the generation stamps must not outlive a code change.
for (const f of readdirSync('dist/lib', {recursive: true})
  .filter((f) => f.endsWith('.js'))
  .sort()) {
  hash.update(`${f}\0`).update(readFileSync(join('dist/lib', f)))
}
writeAtomic('dist/build-info.json', JSON.stringify({fingerprint: hash.digest('hex').slice(0, 32), source: sourceHash(process.cwd())}) + '\n')
