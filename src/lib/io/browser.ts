import type {Env} from './output.js'

/** The seam in front of the real browser: commands get one injected, tests pass a recorder. */
export interface Browser {
  /** Opens the URL; resolves to false when no browser could be started. */
  open(url: string): Promise<boolean>
}

/**
 * Whether a command should open a browser at all, or print the URL: only on a TTY, without --no-open
 * or --json, outside CI, and (on Linux) where a display or $BROWSER exists.
 * @param options - stdout TTY-ness, the flags and the environment
 */
export function shouldOpenBrowser(options: {stdoutIsTTY: boolean; noOpen: boolean; json: boolean; env: Env; platform: NodeJS.Platform}): boolean {
  const {stdoutIsTTY, noOpen, json, env, platform} = options
  if (noOpen || json || !stdoutIsTTY || env.CI) return false
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY && !env.BROWSER) return false
  return true
}

/** Splits one $BROWSER entry into argv (whitespace-separated, `%s` replaced by the URL, else appended). */
export function browserCommand(entry: string, url: string): string[] {
  const words = entry.trim().split(/\s+/).filter(Boolean)
  const hasPlaceholder = words.some((w) => w.includes('%s'))
  const argv = words.map((w) => w.replaceAll('%s', url))
  return hasPlaceholder ? argv : [...argv, url]
}

async function spawnDetached(argv: string[]): Promise<boolean> {
  // Loaded only to start a browser: node:child_process (with net and streams) costs every shortcut
  // start-up time, and most runs only print the URL.
  const {spawn} = await import('node:child_process')
  return new Promise((resolve) => {
    // No shell: the URL is one argv element and can never be interpreted by a shell.
    const child = spawn(argv[0]!, argv.slice(1), {stdio: 'ignore', detached: true, shell: false})
    child.once('error', () => resolve(false))
    child.once('spawn', () => {
      child.unref()
      resolve(true)
    })
  })
}

/**
 * The system browser: $BROWSER (colon-separated list, tried in order) when set, else the `open` package
 * (imported lazily: it costs start-up time and most runs only print).
 * @param env - the environment ($BROWSER)
 */
export function systemBrowser(env: Env): Browser {
  return {
    async open(url) {
      if (!/^https:\/\//.test(url)) return false
      if (env.BROWSER) {
        for (const entry of env.BROWSER.split(':')) {
          if (entry.trim() === '') continue
          if (await spawnDetached(browserCommand(entry, url))) return true
        }
        return false
      }
      try {
        const {default: open} = await import('open')
        await open(url)
        return true
      } catch {
        return false
      }
    },
  }
}
