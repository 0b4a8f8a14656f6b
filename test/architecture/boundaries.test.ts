import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {describe, expect, it} from 'vitest'
import {repoDir} from '../helpers/paths.js'

/** Every .ts file under a folder of src/. */
function sources(folder: string): {file: string; text: string}[] {
  const out: {file: string; text: string}[] = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, {withFileTypes: true})) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.ts')) out.push({file: relative(repoDir, p), text: readFileSync(p, 'utf8')})
    }
  }
  walk(join(repoDir, 'src', folder))
  return out
}

const imports = (text: string) => [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2]!)

// The architecture rules of DESIGN.md and STYLE.md, enforced: data flows spec → model → output,
// lib never reaches up into commands or the CLI framework, and only the entry layer ends the process.
describe('architecture', () => {
  const lib = sources('lib')

  it('lib never imports commands, the CLI layer or oclif', () => {
    for (const {file, text} of lib) {
      for (const spec of imports(text)) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(/(^|\/)commands\/|(^|\/)cli\/|^@oclif\//)
      }
    }
  })

  it('lib does not exit the process, read the working directory or print with console', () => {
    for (const {file, text} of lib) {
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
      expect(code, file).not.toMatch(/process\.exit\(|process\.cwd\(|console\.(log|error|warn)\(/)
    }
  })

  it('heavy clients are imported lazily: no static import of a @google-cloud client, google-gax, open or D2', () => {
    for (const {file, text} of [...lib, ...sources('commands'), ...sources('cli')]) {
      const staticImports = [...text.matchAll(/^\s*import\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)]
        .filter((m) => !/^\s*import\s+type\s/.test(m[0]))
        .map((m) => m[1]!)
      expect(staticImports.filter((s) => /^(@google-cloud\/(run|secret-manager|logging)|google-gax|open|@terrastruct\/d2)(\/|$)/.test(s)), file).toEqual([])
    }
  })

  it('commands use oclif subpath imports only (the index costs start-up time)', () => {
    for (const {file, text} of [...sources('commands'), ...sources('cli')]) {
      expect(imports(text).filter((s) => s === '@oclif/core'), file).toEqual([])
    }
  })

  it('command files stay thin', () => {
    for (const {file, text} of sources('commands')) {
      expect(text.split('\n').length, `${file} is long: move the work into src/lib`).toBeLessThanOrEqual(70)
    }
  })
})
