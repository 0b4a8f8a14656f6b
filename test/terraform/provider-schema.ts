/**
 * Offline attribute-name checks against the prebuilt CDKTF provider packages (dev dependencies).
 *
 * How: every generated resource class in `@cdktf/provider-*` has a `synthesizeHclAttributes()` method
 * and one `<struct>ToHclTerraform()` function per nested block, each an object literal keyed by the
 * exact snake_case Terraform attribute names (`key: { value: …, isBlock: …, … }`). Reading those
 * literals from the compiled `index.js` gives the accepted attribute tree without loading cdktf/jsii
 * or a Terraform binary. Caveat: the packages target google 6.x / tfe 0.6x, newer than what MSP pins.
 */
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'

interface AttrSchema {
  /** Name of the `<x>ToHclTerraform` function describing the nested block/object, if any. */
  nested?: string
}
type AttrMap = Map<string, AttrSchema>

interface ModuleSchema {
  root: AttrMap
  nested: Map<string, AttrMap>
}

/** Providers whose schemas ship in node_modules, keyed by the Terraform type prefix. */
const PACKAGES: Readonly<Record<string, string>> = {
  google: '@cdktf/provider-google',
  random: '@cdktf/provider-random',
  tfe: '@cdktf/provider-tfe',
}

/** Providers MSP uses that have no prebuilt package here: their blocks are not attribute-checked. */
export const UNCHECKED_PROVIDERS = ['google-beta', 'cloudflare', 'sentry', 'opsgenie', 'slack', 'nobl9', 'postgresql', 'terraform'] as const

/**
 * Attributes of the pinned google 5.x provider that the installed 6.x schemas no longer have
 * (google 6.0 removed `require_ssl` in favour of `ssl_mode`; the original, pinned to 5.29.0, sets both).
 */
export const PINNED_ONLY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  google_sql_database_instance: ['settings.ip_configuration.require_ssl'],
}

const META_ARGUMENTS = new Set(['//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each', 'dynamic'])

const ENTRY = /^\s+"?(\w+)"?: \{\s*\n\s*value: ([^\n]*),\s*\n\s*isBlock: (?:true|false),/gm
const NESTED_FN = /(?<![\w.])(\w+)ToHclTerraform\b/

function parseAttrs(body: string): AttrMap {
  const attrs: AttrMap = new Map()
  for (const m of body.matchAll(ENTRY)) {
    const nested = NESTED_FN.exec(m[2]!)?.[1]
    attrs.set(m[1]!, nested ? {nested} : {})
  }
  return attrs
}

const cache = new Map<string, ModuleSchema | undefined>()

function loadModule(file: string, expectedType: string): ModuleSchema | undefined {
  if (cache.has(file)) return cache.get(file)
  let result: ModuleSchema | undefined
  if (existsSync(file)) {
    const src = readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/s, '')
    if (expectedType === '' || src.includes(`tfResourceType = "${expectedType}"`)) {
      const nested = new Map<string, AttrMap>()
      for (const m of src.matchAll(/^function (\w+)ToHclTerraform\(struct\) \{([\s\S]*?)^\}/gm)) nested.set(m[1]!, parseAttrs(m[2]!))
      const rootBody = /synthesizeHclAttributes\(\) \{([\s\S]*?)\n {4}\}\n/.exec(src)?.[1] ?? ''
      result = {root: parseAttrs(rootBody), nested}
    }
  }
  cache.set(file, result)
  return result
}

function providerOf(type: string): string {
  if (type === 'terraform_remote_state') return 'terraform'
  return type.slice(0, type.indexOf('_'))
}

function packageDir(root: string, provider: string): string | undefined {
  const pkg = PACKAGES[provider]
  return pkg ? path.join(root, 'node_modules', pkg, 'lib') : undefined
}

/** Locates the schema of a resource or data source type, or undefined when its provider is unchecked. */
export function blockSchema(root: string, kind: 'resource' | 'data', type: string): ModuleSchema | undefined {
  const provider = providerOf(type)
  const dir = packageDir(root, provider)
  if (!dir) return undefined
  const bare = type.slice(provider.length + 1).replaceAll('_', '-')
  const candidates = kind === 'data' ? [`data-${type.replaceAll('_', '-')}`] : [bare, `${bare}-resource`]
  for (const c of candidates) {
    const schema = loadModule(path.join(dir, c, 'index.js'), type)
    if (schema) return schema
  }
  throw new Error(`no schema found for ${kind} ${type} in ${PACKAGES[provider]}`)
}

/** The schema of a provider's own configuration block. */
export function providerSchema(root: string, provider: string): ModuleSchema | undefined {
  const dir = packageDir(root, provider)
  return dir ? loadModule(path.join(dir, 'provider', 'index.js'), '') : undefined
}

/** Returns every attribute path of `body` that the schema does not know (meta-arguments excepted). */
export function unknownAttributes(schema: ModuleSchema, body: Record<string, unknown>, extraMeta: readonly string[] = []): string[] {
  const problems: string[] = []
  const walk = (attrs: AttrMap, value: Record<string, unknown>, at: string, top: boolean) => {
    for (const [key, v] of Object.entries(value)) {
      if (top && (META_ARGUMENTS.has(key) || extraMeta.includes(key))) continue
      const attr = attrs.get(key)
      const where = at ? `${at}.${key}` : key
      if (!attr) {
        problems.push(where)
        continue
      }
      if (!attr.nested) continue
      const nested = schema.nested.get(attr.nested)
      if (!nested) continue
      for (const item of Array.isArray(v) ? v : [v]) {
        if (item && typeof item === 'object') walk(nested, item as Record<string, unknown>, where, false)
      }
    }
  }
  walk(schema.root, body, '', true)
  return problems
}
