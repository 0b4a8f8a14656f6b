/**
 * Kubernetes-style binary memory sizes as the original parses them (alecthomas/units `ParseUnit`
 * with the units B, Ki, Mi, Gi, Ti, Pi, Ei), including its error texts.
 */

const UNITS: Record<string, number> = {
  B: 1,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
}

export const MiB = 1024 ** 2
export const GiB = 1024 ** 3

/** Parse result: bytes, or the Go error text (`units: unknown unit GiB in 8GiB`). */
export type MemoryParse = {ok: true; bytes: number} | {ok: false; error: string}

/**
 * Parses a memory size such as `512Mi`, `1.5Gi` or `1Gi512Mi`; a bare number other than `0` and
 * decimal units (`G`, `GiB`) are rejected, exactly like the original.
 * @param input - the `resources.memory` string
 */
export function parseMemory(input: string): MemoryParse {
  const invalid: MemoryParse = {ok: false, error: `units: invalid ${input}`}
  let s = input
  let negative = false
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    negative = s[0] === '-'
    s = s.slice(1)
  }
  if (s === '0') return {ok: true, bytes: 0}
  if (s === '') return invalid
  let total = 0
  while (s !== '') {
    if (!/^[0-9.]/.test(s)) return invalid
    const digits = /^[0-9]*/.exec(s)![0]
    // Go's leadingInt fails on int64 overflow.
    if (digits.length > 0 && BigInt(digits) > 9223372036854775807n) return invalid
    let value = digits === '' ? 0 : Number(digits)
    s = s.slice(digits.length)
    let fraction = ''
    if (s[0] === '.') {
      s = s.slice(1)
      fraction = /^[0-9]*/.exec(s)![0]
      if (fraction.length > 0 && BigInt(fraction) > 9223372036854775807n) return invalid
      s = s.slice(fraction.length)
      if (fraction !== '') value += Number(fraction) / 10 ** fraction.length
    }
    if (digits === '' && fraction === '') return invalid
    const unit = /^[^0-9.]*/.exec(s)![0]
    s = s.slice(unit.length)
    const multiplier = Object.hasOwn(UNITS, unit) ? UNITS[unit] : undefined
    if (multiplier === undefined) return {ok: false, error: `units: unknown unit ${unit} in ${input}`}
    total += value * multiplier
  }
  return {ok: true, bytes: Math.trunc(negative ? -total : total)}
}

const GO_DURATION_UNITS: Record<string, number> = {ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600}

/**
 * Seconds of a Go duration string as `time.ParseDuration` reads it (`"120s"`, `"5m"`, `"1h30m"`,
 * `"0.5h"`); undefined when Go would reject it. The May-2024 `responseCodeRatios[].duration`.
 */
export function goDurationSeconds(text: string): number | undefined {
  const body = text.replace(/^[+-]/, '')
  if (body === '0') return 0
  if (!/^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.test(body)) return undefined
  let seconds = 0
  for (const m of body.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) seconds += Number(m[1]) * GO_DURATION_UNITS[m[2]!]!
  return text.startsWith('-') ? -seconds : seconds
}
