// Post-build step: writes oclif.manifest.json (so start-up never scans the command files) and
// dist/build-info.json (the fingerprint that keys the spec cache and the generation stamps) and
// dist/commands.json (every command's args and flags, for the start-up fast path).
import {Config, Plugin} from '@oclif/core'
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

// Every command oclif would load, plugins included (help), with its args and flags: the start-up fast
// path parses argv and completes command names from this file instead of loading oclif.
const config = await Config.load(process.cwd())
const commands = config.commands.map((c) => ({
  id: c.id,
  aliases: c.aliases ?? [],
  hidden: c.hidden ?? false,
  args: Object.fromEntries(Object.entries(c.args ?? {}).map(([k, a]) => [k, {name: a.name, ...(a.options ? {options: a.options} : {})}])),
  flags: Object.fromEntries(
    Object.entries(c.flags ?? {}).map(([k, f]) => [
      k,
      {
        name: f.name,
        type: f.type,
        ...(f.char ? {char: f.char} : {}),
        ...(f.allowNo ? {allowNo: true} : {}),
        ...(f.multiple ? {multiple: true} : {}),
        ...(f.options ? {options: f.options} : {}),
      },
    ]),
  ),
}))
writeAtomic('dist/commands.json', JSON.stringify({commands}) + '\n')

const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
// The parser and validator versions shape what a cached spec holds, so they are part of the build.
const version = (name) => JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')).version
const hash = createHash('sha256').update(`${pkg.name}@${pkg.version}\0yaml@${version('yaml')}\0zod@${version('zod')}\0`)
// Every compiled lib module: the spec cache and the generation stamps must not outlive a code change.
for (const f of readdirSync('dist/lib', {recursive: true})
  .filter((f) => f.endsWith('.js'))
  .sort()) {
  hash.update(`${f}\0`).update(readFileSync(join('dist/lib', f)))
}
writeAtomic('dist/build-info.json', JSON.stringify({fingerprint: hash.digest('hex').slice(0, 32)}) + '\n')
