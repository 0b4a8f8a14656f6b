/**
 * The largest gap between consecutive firings of a 5-field cron schedule, which sizes the
 * "job execution absence" alert window.
 *
 * The original evaluates the next 672 firings from *now*; that makes generated Terraform depend on
 * the day it runs. We evaluate from a fixed instant instead so regeneration is byte-stable.
 */
import {UserError} from '../../io/errors.js'

/** Where the firing enumeration starts (a Monday, so weekly schedules line up predictably). */
const EPOCH_MS = Date.UTC(2024, 0, 1, 0, 0, 0)
const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * MINUTE_MS
/** Same sample size as the original: four weeks of hourly firings. */
const FIRINGS = 672
export const MIN_INTERVAL_MINUTES = 15
export const MAX_INTERVAL_MINUTES = 8 * 24 * 60

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
}
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

interface Field {
  values: boolean[]
  /** True when the field was `*` or `?` (matters for the day-of-month/day-of-week union rule). */
  any: boolean
}

function parseValue(token: string, names: readonly string[] | undefined, offset: number): number {
  const named = names?.indexOf(token.toUpperCase()) ?? -1
  if (named >= 0) return named + offset
  if (!/^\d+$/.test(token)) throw new Error(`invalid value "${token}"`)
  return Number(token)
}

function parseField(text: string, min: number, max: number, names?: readonly string[], nameOffset = 0): Field {
  const values = new Array<boolean>(max + 1).fill(false)
  const any = text === '*' || text === '?'
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined]
    const step = stepText === undefined ? 1 : Number(stepText)
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid step in "${part}"`)
    let lo: number
    let hi: number
    if (range === '*' || range === '?') {
      lo = min
      hi = max
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string]
      lo = parseValue(a, names, nameOffset)
      hi = parseValue(b, names, nameOffset)
    } else {
      lo = parseValue(range, names, nameOffset)
      hi = stepText === undefined ? lo : max
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`value out of range in "${part}" (${min}-${max})`)
    for (let v = lo; v <= hi; v += step) values[v] = true
  }
  return {values, any}
}

interface Schedule {
  minutes: number[]
  hours: number[]
  dom: Field
  month: Field
  dow: Field
}

function parseCron(expression: string): Schedule {
  const text = DESCRIPTORS[expression.trim().toLowerCase()] ?? expression.trim()
  const fields = text.split(/\s+/)
  if (fields.length !== 5) throw new Error(`expected 5 fields, got ${fields.length}`)
  const [mi, ho, dm, mo, dw] = fields as [string, string, string, string, string]
  const dow = parseField(dw, 0, 7, DAYS)
  if (dow.values[7]) dow.values[0] = true // 7 is Sunday too
  const indices = (f: Field) => f.values.flatMap((on, i) => (on ? [i] : []))
  return {
    minutes: indices(parseField(mi, 0, 59)),
    hours: indices(parseField(ho, 0, 23)),
    dom: parseField(dm, 1, 31),
    month: parseField(mo, 1, 12, MONTHS, 1),
    dow,
  }
}

function dayMatches(s: Schedule, day: Date): boolean {
  if (!s.month.values[day.getUTCMonth() + 1]) return false
  const domOk = s.dom.values[day.getUTCDate()] === true
  const dowOk = s.dow.values[day.getUTCDay()] === true
  // Vixie cron: when both day fields are restricted, either may match.
  if (!s.dom.any && !s.dow.any) return domOk || dowOk
  return domOk && dowOk
}

/**
 * Returns the longest interval, in whole minutes, between consecutive firings of a cron schedule
 * over its first 672 firings from a fixed instant; fails when it is outside MSP's 15 min – 8 days bounds.
 * @param expression - a 5-field cron expression or a descriptor such as `@hourly`
 */
export function maxCronIntervalMinutes(expression: string): number {
  let schedule: Schedule
  try {
    schedule = parseCron(expression)
  } catch (error) {
    throw new UserError(`invalid cron schedule "${expression}": ${(error as Error).message}`, {
      hint: 'schedule.cron takes 5 fields: minute hour day-of-month month day-of-week (UTC)',
    })
  }
  let previous: number | undefined
  let longest = 0
  let count = 0
  // Scan day by day; stop as soon as a gap exceeds the upper bound, which is an error anyway.
  for (let dayStart = EPOCH_MS; count <= FIRINGS; dayStart += DAY_MS) {
    if (previous !== undefined && dayStart - previous > (MAX_INTERVAL_MINUTES + 1) * MINUTE_MS) {
      longest = Math.max(longest, (dayStart - previous) / MINUTE_MS)
      break
    }
    if (previous === undefined && dayStart - EPOCH_MS > 5 * 366 * DAY_MS) {
      throw new UserError(`invalid cron schedule "${expression}": it never fires`)
    }
    if (!dayMatches(schedule, new Date(dayStart))) continue
    for (const h of schedule.hours) {
      for (const m of schedule.minutes) {
        const at = dayStart + (h * 60 + m) * MINUTE_MS
        if (previous !== undefined) longest = Math.max(longest, (at - previous) / MINUTE_MS)
        previous = at
        if (++count > FIRINGS) break
      }
      if (count > FIRINGS) break
    }
  }
  if (longest < MIN_INTERVAL_MINUTES) {
    throw new UserError(`invalid cron schedule "${expression}": the longest interval must be >15m, got ${formatMinutes(longest)}`)
  }
  if (longest > MAX_INTERVAL_MINUTES) {
    throw new UserError(`invalid cron schedule "${expression}": the longest interval must be <8 days, got ${formatMinutes(longest)}`)
  }
  return longest
}

function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return h > 0 ? `${h}h${m}m0s` : `${m}m0s`
}
