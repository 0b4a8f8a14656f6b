// Writes oclif.manifest.json at build time so start-up never scans the command files.
import {Plugin} from '@oclif/core'
import {writeFileSync, renameSync} from 'node:fs'

const plugin = new Plugin({root: process.cwd(), type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true})
await plugin.load()
const tmp = `oclif.manifest.json.${process.pid}.tmp`
writeFileSync(tmp, JSON.stringify(plugin.manifest, null, 2) + '\n')
renameSync(tmp, 'oclif.manifest.json')
