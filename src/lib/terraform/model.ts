/**
 * The typed model of one Terraform JSON configuration (one stack). Stacks build it; the renderer
 * turns it into `cdk.tf.json` text. Nothing here knows about MSP.
 *
 * Strings and expressions are different types. A plain `string` anywhere in the model is literal
 * text: the renderer escapes Terraform's template sequences in it (`${` → `$${`, `%{` → `%%{`), so
 * text from a spec can never become an interpolation. Only a {@link TfExpr} is written raw, and
 * only code builds one: references ({@link resourceRef}, {@link dataRef}, {@link varRef}) and
 * {@link tf} templates, whose interpolated strings are escaped while their code parts are kept.
 */
import {UserError} from '../io/errors.js'

export type TfValue = string | number | boolean | null | TfExpr | readonly TfValue[] | TfObject
/** An object value; keys whose value is `undefined` are left out of the output (handy for optional attributes). */
export interface TfObject {
  readonly [key: string]: TfValue | undefined
}

/** A provider the configuration requires, plus one configuration entry (aliases are extra entries). */
export interface TfProvider {
  /** Local name, e.g. `google`, `google-beta`, `tfe`. */
  name: string
  source: string
  version: string
  config: TfObject
}

/** A `resource` or `data` block: `<type>.<name>` with its body (meta-arguments included). */
export interface TfBlock {
  type: string
  name: string
  body: TfObject
}

export interface TfOutput {
  name: string
  value: TfValue
  description?: string
  sensitive?: boolean
}

export interface TfVariable {
  name: string
  type: string
  description?: string
  sensitive?: boolean
}

/** The Terraform Cloud backend of a configuration. */
export interface TfCloudBackend {
  hostname: string
  organization: string
  workspace: string
}

export interface TfConfig {
  /** Stack name, kept in the `"//"` metadata comment like CDKTF does. */
  stackName: string
  backend: TfCloudBackend
  providers: readonly TfProvider[]
  resources: readonly TfBlock[]
  data: readonly TfBlock[]
  locals: readonly (readonly [string, TfValue])[]
  outputs: readonly TfOutput[]
  variables: readonly TfVariable[]
}

/**
 * Terraform template text built by msp itself (references, interpolations), written to the file as
 * is. Never built from a spec string: use {@link tf}, which escapes interpolated strings.
 */
export class TfExpr {
  private constructor(
    /** The template text exactly as it goes into the file. */
    readonly text: string,
  ) {}

  /** @internal Only for the builders in this module. */
  static fromTemplate(text: string): TfExpr {
    return new TfExpr(text)
  }

  /** An expression in a plain `${…}` string would lose its meaning (or be escaped); build it with tf`…`. */
  toString(): string {
    throw new Error(`Terraform expression ${this.text} used in a plain string: build the string with tf\`…\``)
  }

  toJSON(): string {
    throw new Error(`Terraform expression ${this.text} serialised directly: render it through terraform/render.ts`)
  }
}

/** Literal text (escaped when written) or an expression msp built (written raw). */
export type TfText = string | TfExpr

/**
 * Escapes Terraform template sequences in literal text (`${` → `$${`, `%{` → `%%{`) so it is written
 * literally instead of being evaluated by Terraform. The renderer applies it to every plain string.
 */
export function escapeTemplate(text: string): string {
  return text.includes('{') ? text.replace(/([$%])\{/g, '$1$1{') : text
}

/** The text that goes into the file for one piece: a string escaped, an expression as is. */
export function templateText(value: TfText | number | boolean): string {
  if (value instanceof TfExpr) return value.text
  return typeof value === 'string' ? escapeTemplate(value) : String(value)
}

/**
 * A string template whose code parts are kept and whose interpolated values are escaped (strings) or
 * kept (expressions): tf`msp-${serviceId}-${team.ref('id')}`.
 */
export function tf(code: TemplateStringsArray, ...values: readonly (TfText | number | boolean)[]): TfExpr {
  let text = code[0] ?? ''
  for (let i = 0; i < values.length; i++) text += templateText(values[i]!) + (code[i + 1] ?? '')
  return TfExpr.fromTemplate(text)
}

/** Joins pieces like `Array.join`; a plain string when every piece is one (so plain text stays plain). */
export function tfJoin(parts: readonly TfText[], separator: string): TfText {
  if (parts.every((p) => typeof p === 'string')) return (parts as readonly string[]).join(separator)
  return TfExpr.fromTemplate(parts.map(templateText).join(escapeTemplate(separator)))
}

/** How a piece compares when sorting mixed text: its file text for expressions, the text itself otherwise. */
export function sortKey(value: TfText): string {
  return value instanceof TfExpr ? value.text : value
}

/**
 * JSON text as Go's `encoding/json` writes it (the original marshals these documents with it): like
 * `JSON.stringify`, but `<`, `>`, `&`, U+2028 and U+2029 become `\u003c`, `\u003e`, `\u0026`,
 * `\u2028`, `\u2029` (its HTML-safe default).
 */
function goJson(value: unknown): string | undefined {
  return JSON.stringify(value)?.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * A JSON document as template text, for attributes that hold one (dashboards, Sentry actions), in
 * Go's encoding ({@link goJson}): strings inside are escaped like all literal text, expressions
 * inside are kept. A plain string when the value holds no expression.
 */
export function tfJsonText(value: unknown): TfText {
  const out: TfText[] = []
  const walk = (v: unknown): void => {
    if (v instanceof TfExpr) {
      out.push('"', TfExpr.fromTemplate(JSON.stringify(v.text).slice(1, -1)), '"')
    } else if (Array.isArray(v)) {
      out.push('[')
      v.forEach((item: unknown, i) => {
        if (i > 0) out.push(',')
        walk(item === undefined || typeof item === 'function' ? null : item)
      })
      out.push(']')
    } else if (v !== null && typeof v === 'object') {
      out.push('{')
      let first = true
      for (const [k, item] of Object.entries(v)) {
        if (item === undefined || typeof item === 'function') continue
        out.push(`${first ? '' : ','}${goJson(k)}:`)
        first = false
        walk(item)
      }
      out.push('}')
    } else {
      out.push(goJson(v) ?? 'null')
    }
  }
  walk(value)
  return tfJoin(out, '')
}

// Terraform names: a letter or underscore, then letters, digits, underscores and dashes.
const TF_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/
// An attribute path after the address: names, `[n]` indexes and `.`.
const TF_ATTR = /^[A-Za-z_][A-Za-z0-9_-]*(?:\[\d+\]|\.[A-Za-z_][A-Za-z0-9_-]*)*$/

/**
 * Refuses a block or local name that is not a Terraform identifier. Names derive from spec ids, so
 * this is a user error: nothing but an identifier may ever be written inside a reference.
 */
export function checkTerraformName(name: string, what = 'name'): string {
  if (!TF_NAME.test(name)) {
    throw new UserError(`invalid Terraform ${what} ${JSON.stringify(name)}`, {
      hint: 'ids that become Terraform names may only contain letters, digits, "_" and "-", and start with a letter',
    })
  }
  return name
}

function checkAttr(attr: string): string {
  if (!TF_ATTR.test(attr)) throw new Error(`invalid Terraform attribute path ${JSON.stringify(attr)}`)
  return attr
}

/** `${<type>.<name>.<attr>}`: an interpolation of a resource attribute. */
export function resourceRef(type: string, name: string, attr: string): TfExpr {
  return TfExpr.fromTemplate(`\${${checkTerraformName(type, 'type')}.${checkTerraformName(name)}.${checkAttr(attr)}}`)
}

/** `${data.<type>.<name>.<attr>}`: an interpolation of a data source attribute. */
export function dataRef(type: string, name: string, attr: string): TfExpr {
  return TfExpr.fromTemplate(`\${data.${checkTerraformName(type, 'type')}.${checkTerraformName(name)}.${checkAttr(attr)}}`)
}

/** `${var.<name>}`. */
export function varRef(name: string): TfExpr {
  return TfExpr.fromTemplate(`\${var.${checkTerraformName(name, 'variable name')}}`)
}

/** An argument of {@link tfCall}: an expression (reference or call), a number, or literal text (written as a quoted string). */
export type TfCallArg = TfExpr | number | {literal: string}

function callArgument(arg: TfCallArg): string {
  if (typeof arg === 'number') {
    if (!Number.isFinite(arg)) throw new Error(`cannot write non-finite number ${arg}`)
    return String(arg)
  }
  if (arg instanceof TfExpr) {
    const m = /^\$\{([^{}]*)\}$/.exec(arg.text)
    if (!m) throw new Error(`not a single expression: ${arg.text}`)
    return m[1]!
  }
  // A quoted Terraform string is a template too: escape its template sequences.
  return escapeTemplate(JSON.stringify(arg.literal))
}

/**
 * `${<fn>(<args>)}`: a call of a Terraform function msp chose (`trimsuffix`, `chunklist`, `sort`, `base64decode`)
 * on references, nested calls, numbers and quoted literal text.
 */
export function tfCall(fn: 'trimsuffix' | 'chunklist' | 'sort' | 'base64decode', ...args: readonly TfCallArg[]): TfExpr {
  return TfExpr.fromTemplate(`\${${fn}(${args.map(callArgument).join(', ')})}`)
}

/** `<type>.<name>`: the address used in `depends_on`. */
export function address(type: string, name: string): string {
  return `${checkTerraformName(type, 'type')}.${checkTerraformName(name)}`
}
