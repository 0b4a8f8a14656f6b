/**
 * Spec text is defused at every sink: handbook pages and index.md (Markdown/HTML), the terminal
 * (validate, generate, logs, fleet, operations), and CSV (spreadsheet formulas). Each case runs the
 * built CLI on a repository with one hostile spec and asserts what the user sees, and that the spec
 * text still shows (escaped, not dropped).
 */
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {HANDBOOK_PAGES_DIR} from '../../src/lib/handbook/generate.js'
import {formatCsv} from '../../src/lib/io/csv.js'
import {runMsp} from '../helpers/cli.js'
import {fixturesDir} from '../helpers/paths.js'

let outer: string
let root: string
let handbook: string

beforeEach(() => {
  outer = mkdtempSync(join(tmpdir(), 'msp-spec-text-'))
  root = join(outer, 'repo')
  mkdirSync(join(root, 'services'), {recursive: true})
  writeFileSync(join(root, '.repository'), 'sourcegraph/managed-services\n')
  // A real neighbour, so index.md has more than the hostile service.
  cpSync(join(fixturesDir, 'entitler'), join(root, 'services/entitler'), {recursive: true})
  handbook = join(outer, 'handbook')
  mkdirSync(handbook)
  writeFileSync(join(handbook, 'package.json'), JSON.stringify({name: '@sourcegraph/handbook.sourcegraph.com'}))
})
afterEach(() => rmSync(outer, {recursive: true, force: true}))

const run = (args: readonly string[]) => runMsp([...args, '--repo', root], {cwd: outer, env: {MSP_NO_CACHE: '1', MSP_EDITION: '2024-05'}})

interface Hostile {
  name?: string
  owners?: string[]
  image?: string
  repo?: string
  dir?: string
  projectID?: string
  alertName?: string
  alertDescription?: string
  extraTopLevel?: string
}

/** A spec of service `svc` (YAML double-quoted strings carry any character). */
function spec(h: Hostile): string {
  const q = (s: string) => JSON.stringify(s)
  return `service:
  id: svc
  name: ${q(h.name ?? 'Service')}
  owners: [${(h.owners ?? ['team']).map(q).join(', ')}]
  description: A test service.
build:
  image: ${q(h.image ?? 'us.gcr.io/x/svc')}
  source:
    repo: ${q(h.repo ?? 'github.com/sourcegraph/svc')}
    dir: ${q(h.dir ?? '.')}
environments:
  - id: prod
    projectID: ${q(h.projectID ?? 'svc-prod-1a2b')}
    category: test
    deploy: {type: manual}
    instances: {resources: {cpu: 1, memory: 512Mi}}
monitoring:
  alerts:
    responseCodeRatios:
      - id: http_500
        name: ${q(h.alertName ?? '500')}
        description: ${q(h.alertDescription ?? '500 responses')}
        code: 500
        ratio: 0.1
${h.extraTopLevel ?? ''}`
}

function addService(h: Hostile): void {
  mkdirSync(join(root, 'services/svc'), {recursive: true})
  writeFileSync(join(root, 'services/svc/service.yaml'), spec(h))
}

/**
 * What a Markdown renderer would interpret as HTML or as a link: the page without its HTML comments,
 * fenced code blocks (a fence closes only with at least as many backticks) and code spans.
 */
function interpreted(page: string): string {
  const lines = page.replace(/<!--[\s\S]*?-->/g, '').split('\n')
  const out: string[] = []
  let fence: number | undefined
  for (const line of lines) {
    const marker = /^(`{3,})/.exec(line)?.[1]?.length
    if (fence === undefined && marker !== undefined) fence = marker
    else if (fence !== undefined && marker !== undefined && marker >= fence && /^`+\s*$/.test(line)) fence = undefined
    else if (fence === undefined) out.push(line)
  }
  // Code spans: a run of n backticks up to the next run of exactly n.
  return out.join('\n').replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, '')
}

/** Raw HTML tags and link targets that are neither https: nor the handbook's relative links. */
function unsafeMarkup(page: string): string[] {
  const body = interpreted(page)
  const tags = [...body.matchAll(/<[A-Za-z/!?][^>]*>?/g)].map((m) => `tag ${m[0]}`)
  // A backslash-escaped bracket is text, not the end of a link label.
  const links = [...body.matchAll(/(?<!\\)\]\(([^)\s]*)/g)].map((m) => m[1]!).filter((target) => !/^(https:\/\/|\.\.?\/|#)/.test(target))
  return [...tags, ...links.map((l) => `link ${l}`)]
}

const PAGE_CASES: readonly [string, Hostile, string, string?][] = [
  ['service.name with an SVG onload', {name: '<svg/onload=alert(1)>'}, '&lt;svg/onload=alert(1)&gt;'],
  ['service.name with an iframe', {name: '<iframe src=//e.x>'}, '&lt;iframe src=//e.x&gt;'],
  ['service.name with a javascript: link', {name: '[x](javascript:f())'}, '\\[x\\](javascript:f())'],
  ['an owner with HTML', {owners: ['<img src=x onerror=alert(1)>']}, '&lt;img src=x onerror=alert(1)&gt;'],
  ['build.image closing its code span', {image: 'x` <script>alert(1)</script> `y'}, '<script>alert(1)</script>'],
  ['build.source.repo with javascript:', {repo: 'javascript:alert(1)//'}, '`javascript:alert(1)//`', '](https://javascript:'],
  [
    'build.source.repo naming another host in its userinfo',
    {repo: 'github.com@evil.example/x'},
    '`github.com@evil.example/x`',
    '](https://github.com@evil.example',
  ],
  ['build.source.dir closing the link', {dir: 'cmd)[click](javascript:alert(1)'}, 'cmd)[click](javascript:alert(1)'],
  ['an alert name with a script', {alertName: '<script>alert(1)</script>'}, '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ['an alert description closing its code block', {alertDescription: 'x\n```\n<script>alert(1)</script>\n```'}, '<script>alert(1)</script>'],
]

describe('handbook pages and index.md escape spec text', () => {
  for (const [what, hostile, shown, absent] of PAGE_CASES) {
    it(`${what}: no raw HTML, no link other than https:, the text still shown`, async () => {
      addService(hostile)
      const r = await run(['handbook', '--no-diagrams', '--handbook-path', handbook])
      expect(r.code, r.stderr).toBe(0)
      const pages = join(handbook, HANDBOOK_PAGES_DIR)
      const page = readFileSync(join(pages, 'svc.md'), 'utf8')
      const index = readFileSync(join(pages, 'index.md'), 'utf8')
      expect(unsafeMarkup(page)).toEqual([])
      expect(unsafeMarkup(index)).toEqual([])
      expect(page).toContain(shown)
      if (absent !== undefined) expect(page).not.toContain(absent)
      // The entitler page is untouched by its neighbour.
      expect(readFileSync(join(pages, 'entitler.md'), 'utf8')).toContain('# Entitler infrastructure operations')
    })
  }

  it('the repo link is kept when it is https: to the host the repo names', async () => {
    addService({repo: 'github.com/sourcegraph/svc', dir: 'cmd/svc'})
    const r = await run(['handbook', '--no-diagrams', '--handbook-path', handbook])
    expect(r.code).toBe(0)
    expect(readFileSync(join(handbook, HANDBOOK_PAGES_DIR, 'svc.md'), 'utf8')).toContain(
      '[`github.com/sourcegraph/svc` - `cmd/svc`](https://github.com/sourcegraph/svc/tree/HEAD/cmd/svc)',
    )
  })
})

const ESC = '\u001b]0;pwned\u0007\u001b[2J'
// Every control character but the line ends of the output itself (\n, and \r\n in CSV).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

describe('spec text reaches the terminal through the one sanitiser', () => {
  const TERMINAL_CASES: readonly [string, Hostile, readonly string[], number, string][] = [
    ['validate: an unknown key name', {extraTopLevel: `${JSON.stringify(`evil${ESC}`)}: 1\n`}, ['validate'], 1, 'evil\\x1b]0;pwned\\x07\\x1b[2J'],
    [
      'generate: an unknown key name (a warning)',
      {extraTopLevel: `${JSON.stringify(`evil${ESC}`)}: 1\n`},
      ['generate', 'svc', '--check'],
      1,
      'evil\\x1b]0;pwned',
    ],
    [
      'logs: an unknown key name (a warning)',
      {extraTopLevel: `${JSON.stringify(`evil${ESC}`)}: 1\n`},
      ['logs', 'svc', 'prod', '--no-open'],
      0,
      'evil\\x1b]0;pwned',
    ],
    ['fleet: an owner in the table', {owners: [`team${ESC}`]}, ['fleet'], 0, 'team\\x1b]0;pwned'],
    ['fleet --csv: an owner in the CSV', {owners: [`team${ESC}`]}, ['fleet', '--csv'], 0, 'team\\x1b]0;pwned'],
    ['operations: service.name in the page', {name: `Svc${ESC}`}, ['operations', 'svc'], 0, 'Svc\\x1b\\]0;pwned'],
    ['validate: a projectID with escapes', {projectID: `svc-prod-${ESC}`}, ['validate'], 1, 'svc-prod-\\u001b]0;pwned'],
    ['logs: a projectID with a bidi override', {projectID: 'svc-prod-\u202e1a2b'}, ['logs', 'svc', 'prod', '--no-open'], 1, 'svc-prod-\\u202e1a2b'],
  ]
  for (const [what, hostile, args, code, shown] of TERMINAL_CASES) {
    it(`${what}: exit ${code}, no control character printed, the text shown escaped`, async () => {
      addService(hostile)
      const r = await run(args)
      expect(r.code, r.stderr).toBe(code)
      expect(r.stdout + r.stderr).not.toMatch(CONTROL)
      expect(r.stdout + r.stderr).toContain(shown)
    })
  }
})

describe('projectID has the original format', () => {
  // The original (dev/managedservicesplatform/spec/environment.go) says "projectID %q must contain
  // environment ID: expecting format '$SERVICE_ID-$ENVIRONMENT_ID-$RANDOM_SUFFIX'", and
  // spec/projectid.go builds it as fmt.Sprintf("%s-%s-%s", serviceID, envID, suffix) with
  // suffix = hex.EncodeToString(buf)[:length]: lowercase letters, digits and hyphens only.
  for (const projectID of ['svc-prod-1A2B', 'svc-prod-1a2b?x=1', 'svc-prod-1a/../b', 'svc-prod-1a2b )']) {
    it(`${JSON.stringify(projectID)} is refused by validate at its key`, async () => {
      addService({projectID})
      const r = await run(['validate'])
      expect(r.code).toBe(1)
      expect(r.stdout).toContain(
        `services/svc/service.yaml:13:16: environments.0.projectID: projectID ${JSON.stringify(projectID)} can only contain lowercase letters, digits and ` +
          `hyphens: expecting format '$SERVICE_ID-$ENVIRONMENT_ID-$RANDOM_SUFFIX'`,
      )
    })
  }
  it('a generated-style id passes', async () => {
    addService({projectID: 'svc-prod-0a9f'})
    expect((await run(['validate'])).code).toBe(0)
  })
})

describe('fleet --csv: cells that would start a formula are prefixed with a quote', () => {
  for (const owner of ['=HYPERLINK("https://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)']) {
    it(`owner ${JSON.stringify(owner)}`, async () => {
      addService({owners: [owner]})
      const r = await run(['fleet', '--csv'])
      expect(r.code, r.stderr).toBe(0)
      const line = r.stdout.split('\r\n').find((l) => l.startsWith('svc,'))!
      const cell = owner.includes('"') || owner.includes(',') ? `"'${owner.replaceAll('"', '""')}"` : `'${owner}`
      expect(line).toBe(`svc,${cell},service,prod,test,svc-prod-1a2b,us-central1,,`)
    })
  }
  it('a leading tab or carriage return is prefixed too (the CSV writer itself)', () => {
    expect(formatCsv(['a', 'b'], [['\tx', '\rcmd']])).toBe('a,b\r\n\'\tx,"\'\rcmd"\r\n')
  })
})
