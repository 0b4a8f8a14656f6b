/**
 * The values `msp diff` compares: plain JSON as a Terraform JSON file holds it (literal text with its
 * template sequences escaped, expressions as template text) or as a state holds it; attribute paths;
 * and how a value is shown (shortened, sensitive values masked).
 */

export type Json = null | boolean | number | string | Json[] | {[key: string]: Json}
export type JsonObject = {[key: string]: Json}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Structural equality of two JSON values (object key order does not matter). */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true
  if (a === undefined || b === undefined || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false
    return true
  }
  if (isObject(a)) {
    if (!isObject(b)) return false
    const keys = Object.keys(a)
    if (keys.length !== Object.keys(b).length) return false
    for (const k of keys) if (!Object.hasOwn(b, k) || !jsonEqual(a[k], b[k])) return false
    return true
  }
  return false
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/

/** One step of an attribute path: an object key or a list index. */
export type PathStep = string | number

/**
 * An attribute path as Terraform writes one: `template.containers[0].env`, `labels["a.b/c"]`.
 * @param steps - keys and indexes from the top of the block
 */
export function formatPath(steps: readonly PathStep[]): string {
  let out = ''
  for (const step of steps) {
    if (typeof step === 'number') out += `[${step}]`
    else if (IDENTIFIER.test(step)) out += out === '' ? step : `.${step}`
    else out += `[${JSON.stringify(step)}]`
  }
  return out
}

/**
 * Parses a path of {@link formatPath}'s syntax, or one of Terraform's `ignore_changes` entries
 * (`template[0].containers[0].image`); undefined when it is not one.
 * @param text - the path
 */
export function parsePath(text: string): PathStep[] | undefined {
  const steps: PathStep[] = []
  let i = 0
  while (i < text.length) {
    if (text[i] === '[') {
      const close = text.indexOf(']', i)
      if (close < 0) return undefined
      const inner = text.slice(i + 1, close)
      if (/^\d+$/.test(inner)) steps.push(Number(inner))
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inner)) steps.push(JSON.parse(inner) as string)
      else return undefined
      i = close + 1
      continue
    }
    if (text[i] === '.') {
      if (steps.length === 0) return undefined
      i++
    }
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i))
    if (!m) return undefined
    steps.push(m[0])
    i += m[0].length
  }
  return steps
}

/**
 * True when the string holds a Terraform template sequence (`${…}`, `%{…}`) that is not escaped
 * (`$${`, `%%{`): its value is only known when Terraform evaluates it.
 * @param text - a string as the file holds it
 */
export function hasInterpolation(text: string): boolean {
  if (!text.includes('{')) return false
  for (let i = 0; i < text.length - 1; i++) {
    const c = text[i]
    if ((c === '$' || c === '%') && text[i + 1] === '{') return true
    // `$${` and `%%{` are the escaped forms: skip the doubled character.
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 2
  }
  return false
}

/**
 * The value Terraform gives a literal: escaped template sequences (`$${`, `%%{`) unescaped; undefined
 * when the value (or a part of it) is an interpolation, i.e. not known from the configuration alone.
 * @param value - a value as the file holds it
 */
export function literalValue(value: Json): Json | undefined {
  if (typeof value === 'string') return hasInterpolation(value) ? undefined : value.replace(/([$%])\1\{/g, '$1{')
  if (Array.isArray(value)) {
    const out: Json[] = []
    for (const item of value) {
      const v = literalValue(item)
      if (v === undefined) return undefined
      out.push(v)
    }
    return out
  }
  if (isObject(value)) {
    const out: JsonObject = {}
    for (const [k, item] of Object.entries(value)) {
      const v = literalValue(item)
      if (v === undefined || hasInterpolation(k)) return undefined
      setKey(out, k.replace(/([$%])\1\{/g, '$1{'), v)
    }
    return out
  }
  return value
}

/** Assigns a key as data (`__proto__` included), the way JSON.parse does. */
export function setKey(out: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(out, key, {value, enumerable: true, writable: true, configurable: true})
  else out[key] = value
}

/** What a masked value shows. */
export const SENSITIVE = '(sensitive value)'

/** Longest string (in characters) shown whole; longer ones keep their head and say how long they were. */
export const MAX_SHOWN = 120

/**
 * A value as a change report shows it: sensitive values masked; strings and compound values whose
 * JSON is longer than {@link MAX_SHOWN} shortened to their head and their length.
 * @param value - the value (undefined: absent)
 * @param sensitive - mask it
 */
export function shownValue(value: Json | undefined, sensitive: boolean): Json | undefined {
  if (value === undefined) return undefined
  if (sensitive && value !== null) return SENSITIVE
  if (typeof value === 'string') return shorten(value)
  if (value !== null && typeof value === 'object') {
    const text = JSON.stringify(value)
    return text.length > MAX_SHOWN ? shorten(text) : value
  }
  return value
}

function shorten(text: string): string {
  const chars = [...text]
  if (chars.length <= MAX_SHOWN) return text
  return `${chars.slice(0, MAX_SHOWN - 20).join('')}… (${chars.length} characters)`
}

// Attributes whose values are secrets by their provider schemas (`sensitive: true`): google's
// secret_data and password, random_password's result, the auth strings and tokens of Redis and the
// providers; matched by the last key of the path.
const SENSITIVE_KEY = /^(?:secret_data|password|private_key|auth_string|api_token|token|result|secret_key|access_key|client_secret|value_wo)$/

/**
 * True when an attribute path names a value whose schema marks it sensitive (see the list above).
 * @param type - resource type (`random_password`: `result` is the password)
 * @param steps - the attribute path
 */
export function isSensitivePath(type: string, steps: readonly PathStep[]): boolean {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]
    if (typeof s !== 'string') continue
    if (s === 'result') return type === 'random_password'
    return SENSITIVE_KEY.test(s)
  }
  return false
}
