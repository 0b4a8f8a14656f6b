/**
 * A small Markdown builder that emits the Prettier-normalised form of the published handbook pages
 * (the original's pages after Prettier): one empty line between blocks, tables padded to equal width,
 * `>` alone on blank callout lines, a single trailing newline. Page code never writes `\n\n` itself.
 */
import {normalizeLink} from '../links/normalize.js'

/** The GitHub callout kinds used by the pages. */
export type CalloutKind = 'NOTE' | 'WARNING' | 'IMPORTANT'

/** Line breaks, which would end a table row, a heading or a list item early. */
const LINE_BREAKS = /[\r\n\u2028\u2029]+/g

/**
 * Spec text as inline Markdown that renders as the same characters and nothing else: HTML is
 * written as entities (no `<svg onload>`, no `<iframe>`), the characters that start emphasis, links,
 * images, code or an MDX expression are backslash-escaped, line breaks become spaces. Text without
 * such characters (every published page) is returned unchanged.
 * @param value - text from a spec (service name, owner, alert name)
 */
export function text(value: string): string {
  return value
    .replace(LINE_BREAKS, ' ')
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\`*_[\]{}]/g, (c) => `\\${c}`)
}

/**
 * Inline code span. The delimiter is one backtick longer than any run of backticks inside (padded
 * with spaces when the text touches one), so spec text cannot close the span early; inside a code
 * span Markdown and HTML are not interpreted.
 * @param value - the code
 */
export function code(value: string): string {
  const flat = value.replace(LINE_BREAKS, ' ')
  if (!flat.includes('`')) return `\`${flat}\``
  const longest = Math.max(...(flat.match(/`+/g) ?? ['']).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  return `${fence} ${flat} ${fence}`
}

/**
 * Bold text.
 * @param value - plain text (escaped with {@link text})
 */
export function bold(value: string): string {
  return `**${text(value)}**`
}

/** Relative links msp writes inside the handbook: `./<id>.md`, `../teams/…`, `#anchor`. */
const RELATIVE_LINK = /^(?:\.\.?\/|#)[A-Za-z0-9._~/#-]*$/

/**
 * The target of a link as written into a page, or undefined when it must not be a link: only
 * `https:` URLs (no credentials, no whitespace, no characters that would end the Markdown link) and
 * the handbook's own relative links.
 * @param url - target as built by the link builders
 */
export function safeLinkTarget(url: string): string | undefined {
  if (RELATIVE_LINK.test(url)) return url
  if (/[\s<>()\\`"'\u0000-\u001f\u007f-\u009f]/.test(url)) return undefined
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || !parsed.hostname) return undefined
  return url
}

/**
 * A link whose URL goes through the original's link normaliser (query re-encoded, keys sorted). A
 * target that is not a safe `https:` or relative link (see {@link safeLinkTarget}) is not linked:
 * the text alone is written.
 * @param label - visible text, already Markdown (escape spec text with {@link text} or {@link code})
 * @param url - target as built by the link builders
 */
export function link(label: string, url: string): string {
  const target = safeLinkTarget(normalizeLink(url))
  return target === undefined ? label : `[${label}](${target})`
}

/**
 * The anchor of a heading: letters and digits lower-cased, every other run collapsed to one `-`
 * between kept characters, `empty` for an empty result (no de-duplication, as in the original).
 * @param text - heading text
 */
export function headingAnchor(text: string): string {
  let out = ''
  let pendingDash = false
  for (const ch of text) {
    if (/[\p{L}\p{N}]/u.test(ch)) {
      if (pendingDash && out !== '') out += '-'
      pendingDash = false
      out += ch.toLowerCase()
    } else {
      pendingDash = true
    }
  }
  return out === '' ? 'empty' : out
}

/** A link to a heading of the same page: `[text](#anchor)`. */
export function headingLink(text: string): string {
  return `[${text}](#${headingAnchor(text)})`
}

/**
 * Display width as Prettier measures it: code points, with East-Asian wide/fullwidth characters and
 * emoji counting 2 (why the `✅` row of the environment table has one space fewer).
 * @param text - one table cell
 */
export function displayWidth(text: string): number {
  // Nearly every cell is ASCII (URLs); skip the per-character checks for those.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length
  let width = 0
  for (const ch of text) width += isWide(ch.codePointAt(0)!) || /\p{Emoji_Presentation}/u.test(ch) ? 2 : 1
  return width
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
}

/**
 * A two-or-more-column table in Prettier's layout: upper-case headers (as tablewriter printed them),
 * every cell left-aligned and padded to the widest cell of its column (minimum 3).
 * @param header - column titles (upper-cased here)
 * @param rows - cells; `|` is escaped
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string) => ({text, width: displayWidth(text)})
  const head = header.map((h) => cell(h.toUpperCase()))
  const body = rows.map((r) => head.map((_, i) => cell((r[i] ?? '').replace(/\|/g, '\\|'))))
  const widths = head.map((h, i) => Math.max(3, h.width, ...body.map((r) => r[i]!.width)))
  const line = (cells: readonly {text: string; width: number}[]) => `| ${cells.map((c, i) => c.text + ' '.repeat(widths[i]! - c.width)).join(' | ')} |`
  return [line(head), line(widths.map((w) => cell('-'.repeat(w)))), ...body.map(line)].join('\n')
}

/** Collects blocks and joins them with exactly one empty line. */
export class MarkdownBuilder {
  private readonly blocks: string[] = []

  /** `#`×level heading. */
  heading(level: number, text: string): this {
    return this.push(`${'#'.repeat(level)} ${text}`)
  }

  /** A paragraph; internal newlines are kept. */
  paragraph(text: string): this {
    return this.push(text.trim())
  }

  /** A table (see {@link table}). */
  table(header: readonly string[], rows: readonly (readonly string[])[]): this {
    return this.push(table(header, rows))
  }

  /** A GitHub callout: `> [!KIND]` then each content line quoted, blank lines as a bare `>`. */
  callout(kind: CalloutKind, text: string): this {
    const lines = text
      .trim()
      .split('\n')
      .map((l) => (l === '' ? '>' : `> ${l}`))
    return this.push([`> [!${kind}]`, ...lines].join('\n'))
  }

  /**
   * A fenced code block; tabs become two spaces. The fence is longer than any run of backticks in
   * the content, so spec text inside cannot close the block early.
   */
  codeBlock(lang: string, content: string): this {
    const body = content.trim().replace(/\t/g, '  ')
    const longest = Math.max(0, ...(body.match(/`{3,}/g) ?? []).map((run) => run.length))
    const fence = '`'.repeat(Math.max(3, longest + 1))
    return this.push(`${fence}${lang}\n${body}\n${fence}`)
  }

  /** An HTML comment block. */
  comment(text: string): this {
    return this.push(`<!--\n${text.trim()}\n-->`)
  }

  /** A bullet list, one `- item` line per item. */
  bulletList(items: readonly string[]): this {
    return this.push(items.map((i) => `- ${i}`).join('\n'))
  }

  /** Verbatim Markdown (already formatted), trimmed. */
  raw(text: string): this {
    return this.push(text.trim())
  }

  /** The document: blocks separated by one empty line, ending with a single newline. */
  toString(): string {
    return `${this.blocks.join('\n\n')}\n`
  }

  private push(block: string): this {
    this.blocks.push(block)
    return this
  }
}
