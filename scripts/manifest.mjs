// Post-build step: writes oclif.manifest.json (so start-up never scans the command files) and
// dist/build-info.json (the fingerprint that keys the spec cache and the generation stamps).
import {Plugin} from '@oclif/core'
import {createHash} from 'node:crypto'
import {readdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, file)
}

const plugin = new Plugin({root: process.cwd(), type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true})
await plugin.load()
writeAtomic('oclif.manifest.json', JSON.stringify(plugin.manifest, null, 2) + '\n')

const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const hash = createHash('sha256').update(`${pkg.name}@${pkg.version}\0`)
// Every compiled lib module: the spec cache and the generation stamps must not outlive a code change.
for (const f of readdirSync('dist/lib', {recursive: true}).filter((f) => f.endsWith('.js')).sort()) {
  hash.update(`${f}\0`).update(readFileSync(join('dist/lib', f)))
}
writeAtomic('dist/build-info.json', JSON.stringify({fingerprint: hash.digest('hex').slice(0, 32)}) + '\n')
