/**
 * Opening or printing a console URL: the decision (shouldOpenBrowser), the delivery (deliverUrl) with
 * a browser stub that fails the test on any call it did not expect, and the real $BROWSER launcher
 * (systemBrowser) starting a recorder script without a shell.
 */
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {browserCommand, shouldOpenBrowser, systemBrowser, type Browser} from '../../src/lib/io/browser.js'
import {deliverUrl} from '../../src/lib/io/deliver-url.js'
import {createOutput} from '../../src/lib/io/output.js'

const URL_ = 'https://console.cloud.google.com/logs/query?project=p'

/** A terminal or a pipe, recording what is written. */
function stream(isTTY: boolean) {
  const chunks: string[] = []
  return {isTTY, write: (s: string) => chunks.push(s) > 0, text: () => chunks.join('')}
}

/** A browser stub: `expect` lists the URLs it may open (in order) and what each open returns; anything else fails. */
function browserStub(expected: {url: string; ok: boolean}[] = []) {
  const calls: string[] = []
  const browser: Browser = {
    async open(url) {
      const next = expected[calls.length]
      calls.push(url)
      if (!next) throw new Error(`unexpected browser call: open(${url})`)
      expect(url).toBe(next.url)
      return next.ok
    },
  }
  return {browser, calls}
}

async function deliver(options: {tty: boolean; open?: boolean; json?: boolean; env?: Record<string, string>; browser: Browser}) {
  const stdout = stream(options.tty)
  const stderr = stream(options.tty)
  const env = {NO_COLOR: '1', DISPLAY: ':0', ...options.env}
  const out = createOutput(stdout, stderr, env)
  const doc = await deliverUrl({
    url: URL_,
    meta: {service: 's', environment: 'e'},
    out,
    browser: () => options.browser,
    open: options.open ?? true,
    json: options.json ?? false,
    env,
    platform: 'linux',
  })
  return {doc, stdout: stdout.text(), stderr: stderr.text()}
}

describe('shouldOpenBrowser', () => {
  type Options = Parameters<typeof shouldOpenBrowser>[0]
  const base: Options = {stdoutIsTTY: true, noOpen: false, json: false, env: {DISPLAY: ':0'}, platform: 'linux'}
  it.each<[string, Partial<Options>, boolean]>([
    ['a terminal with a display', {}, true],
    ['piped stdout', {stdoutIsTTY: false}, false],
    ['--no-open', {noOpen: true}, false],
    ['--json', {json: true}, false],
    ['CI', {env: {DISPLAY: ':0', CI: 'true'}}, false],
    ['Linux without a display or $BROWSER', {env: {}}, false],
    ['Linux with Wayland only', {env: {WAYLAND_DISPLAY: 'wayland-0'}}, true],
    ['Linux with $BROWSER only', {env: {BROWSER: 'firefox'}}, true],
    ['macOS without a display', {env: {}, platform: 'darwin'}, true],
  ])('%s → %s', (_name, overrides, expected) => {
    expect(shouldOpenBrowser({...base, ...overrides})).toBe(expected)
  })
})

describe('deliverUrl', () => {
  it('piped: prints the bare URL on stdout, nothing on stderr, never calls the browser', async () => {
    const {browser, calls} = browserStub()
    const r = await deliver({tty: false, browser})
    expect(r).toEqual({doc: {url: URL_, service: 's', environment: 'e'}, stdout: `${URL_}\n`, stderr: ''})
    expect(calls).toEqual([])
  })

  it('--no-open on a terminal: prints the URL, never calls the browser', async () => {
    const {browser, calls} = browserStub()
    expect((await deliver({tty: true, open: false, browser})).stdout).toBe(`${URL_}\n`)
    expect(calls).toEqual([])
  })

  it('--json: prints nothing itself (the caller prints the document), never calls the browser', async () => {
    const {browser, calls} = browserStub()
    const r = await deliver({tty: true, json: true, browser})
    expect([r.stdout, r.stderr, r.doc]).toEqual(['', '', {url: URL_, service: 's', environment: 'e'}])
    expect(calls).toEqual([])
  })

  it('a terminal: opens the browser once, "Opening …" on stderr only', async () => {
    const {browser, calls} = browserStub([{url: URL_, ok: true}])
    const r = await deliver({tty: true, browser})
    expect(calls).toEqual([URL_])
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`Opening ${URL_}\n`)
  })

  it('a browser that cannot start: warns and prints the URL after all', async () => {
    const {browser} = browserStub([{url: URL_, ok: false}])
    const r = await deliver({tty: true, browser})
    expect(r.stdout).toBe(`${URL_}\n`)
    expect(r.stderr).toBe(`Opening ${URL_}\nwarning: could not start a browser; open the URL above yourself\n`)
  })

  it('the stub itself fails on a call nobody expected', async () => {
    const {browser} = browserStub()
    await expect(browser.open(URL_)).rejects.toThrow(/unexpected browser call/)
  })
})

describe('systemBrowser ($BROWSER)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'msp-system-browser-'))
  afterAll(() => rmSync(dir, {recursive: true, force: true}))
  const recorder = (name: string, exitCode = 0) => {
    const file = join(dir, name)
    writeFileSync(
      file,
      `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(`${file}.argv`)}, ` +
        `JSON.stringify(process.argv.slice(2)))\nprocess.exit(${exitCode})\n`,
    )
    chmodSync(file, 0o755)
    return file
  }
  const argvOf = async (file: string) => {
    for (let i = 0; i < 100; i++) {
      try {
        return JSON.parse(readFileSync(`${file}.argv`, 'utf8')) as string[]
      } catch {
        await new Promise((r) => setTimeout(r, 20))
      }
    }
    throw new Error(`${file} never ran`)
  }

  it('starts the $BROWSER entry without a shell, the URL one argument (%s replaced)', async () => {
    const rec = recorder('rec1')
    const hostile = `${URL_}&x=$(touch ${join(dir, 'pwned')});echo`
    expect(await systemBrowser({BROWSER: `${rec} --new-tab %s`}).open(hostile)).toBe(true)
    expect(await argvOf(rec)).toEqual(['--new-tab', hostile])
    expect(() => readFileSync(join(dir, 'pwned'))).toThrow()
  })

  it('tries the entries of a :-separated list in order, skipping one that cannot start', async () => {
    const rec = recorder('rec2')
    expect(await systemBrowser({BROWSER: `${join(dir, 'missing-browser')}:${rec}`}).open(URL_)).toBe(true)
    expect(await argvOf(rec)).toEqual([URL_])
  })

  it('refuses anything but an https URL, without starting anything', async () => {
    const rec = recorder('rec3')
    expect(await systemBrowser({BROWSER: rec}).open('file:///etc/passwd')).toBe(false)
    await new Promise((r) => setTimeout(r, 100))
    expect(() => readFileSync(`${rec}.argv`)).toThrow()
  })

  it('browserCommand appends the URL when the entry has no %s', () => {
    expect(browserCommand('  open -a  Firefox ', URL_)).toEqual(['open', '-a', 'Firefox', URL_])
    expect(browserCommand('x --u=%s', URL_)).toEqual(['x', `--u=${URL_}`])
  })
})
