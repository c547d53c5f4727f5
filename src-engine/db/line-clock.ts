/** The line's clock: the time zone its shifts and hour labels are read in, and where each shift starts; kept in the results database (schema 5). */
import type { Sql } from './sql'

/** One shift: its name and the local time of day it starts ("HH:MM"); it ends where the next shift starts. */
export interface Shift {
  name: string
  start: string
}

/** The line's time zone (IANA name, e.g. Asia/Shanghai) and its shifts. */
export interface LineClock {
  timeZone: string
  shifts: Shift[]
}

/** The clock a database has before anyone sets one: UTC, A 06:00, B 14:00, C 22:00 (what schema 3 and 4 used). */
export const DEFAULT_CLOCK: LineClock = { timeZone: 'UTC', shifts: [{ name: 'A', start: '06:00' }, { name: 'B', start: '14:00' }, { name: 'C', start: '22:00' }] }

/** A reason a clock is refused, as a catalogue code with its parameters. */
export interface ClockProblem {
  code: 'noShifts' | 'tooManyShifts' | 'badName' | 'duplicateName' | 'badStart' | 'duplicateStart' | 'badZone'
  params: Record<string, string | number>
}

/** Most shifts a line may have. */
export const MAX_SHIFTS = 12

/** Minutes after local midnight of an "HH:MM" text, or undefined when it is not a time of day. Pure. */
export function minuteOfDay(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text)
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined
}

/** What is wrong with a clock's shifts (the zone is checked by the database, `zoneKnown`). Pure. */
export function clockProblems(clock: LineClock): ClockProblem[] {
  const problems: ClockProblem[] = []
  if (!clock.shifts.length) problems.push({ code: 'noShifts', params: {} })
  if (clock.shifts.length > MAX_SHIFTS) problems.push({ code: 'tooManyShifts', params: { count: clock.shifts.length, max: MAX_SHIFTS } })
  const names = new Set<string>()
  const starts = new Map<number, string>()
  for (const s of clock.shifts) {
    if (!/^[\p{L}\p{N}][\p{L}\p{N} _-]{0,15}$/u.test(s.name)) problems.push({ code: 'badName', params: { name: s.name } })
    else if (names.has(s.name)) problems.push({ code: 'duplicateName', params: { name: s.name } })
    names.add(s.name)
    const minute = minuteOfDay(s.start)
    if (minute === undefined) problems.push({ code: 'badStart', params: { name: s.name, start: s.start } })
    else if (starts.has(minute)) problems.push({ code: 'duplicateStart', params: { name: s.name, other: starts.get(minute) ?? '', start: s.start } })
    else starts.set(minute, s.name)
  }
  return problems
}

/** The clock's shifts in order of their start, each with the time it ends (the next one's start, wrapping past midnight). Pure; trusts a clock without problems. */
export function shiftSpans(clock: LineClock): Array<Shift & { end: string }> {
  const sorted = [...clock.shifts].sort((a, b) => (minuteOfDay(a.start) ?? 0) - (minuteOfDay(b.start) ?? 0))
  return sorted.map((s, i) => ({ ...s, end: sorted[(i + 1) % sorted.length].start }))
}

/** Refused clock: the problems found, for the caller to say in the reader's language. */
export class ClockError extends Error {
  constructor(readonly problems: ClockProblem[]) {
    super(`line clock refused: ${problems.map((p) => `${p.code} ${JSON.stringify(p.params)}`).join('; ')}`)
    this.name = 'ClockError'
  }
}

/** Whether the database knows the time zone name (its own zone list, the one its queries use). */
export async function zoneKnown(sql: Sql, zone: string): Promise<boolean> {
  const { rows } = await sql.query<{ ok: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS ok', [zone])
  return rows[0]?.ok === true
}

/** The clock the database reads its shifts and hour labels in (schema 5 or later). */
export async function readClock(sql: Sql): Promise<LineClock> {
  const { rows } = await sql.query<{ time_zone: string; starts: number[]; names: string[] }>('SELECT time_zone, starts, names FROM line_clock')
  const row = rows[0]
  if (!row) return DEFAULT_CLOCK
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
  return { timeZone: row.time_zone, shifts: row.names.map((name, i) => ({ name, start: hhmm(Number(row.starts[i])) })) }
}

/** Sets the line's clock and recomputes the shift and hour roll-ups in one statement (deliveries wait for its unit locks); throws ClockError naming what is wrong. */
export async function setClock(sql: Sql, clock: LineClock): Promise<void> {
  const problems = clockProblems(clock)
  if (!(await zoneKnown(sql, clock.timeZone))) problems.push({ code: 'badZone', params: { zone: clock.timeZone } })
  if (problems.length) throw new ClockError(problems)
  const sorted = shiftSpans(clock)
  await sql.query('SELECT k230_set_clock($1, $2::int[], $3::text[])', [clock.timeZone, sorted.map((s) => minuteOfDay(s.start)), sorted.map((s) => s.name)])
}

/** The instant local midnight of `day` (YYYY-MM-DD) falls at in `zone`, as ISO text; undefined for a zone or date Intl does not know. Pure. */
export function zonedMidnight(day: string, zone: string): string | undefined {
  const utc = Date.parse(`${day}T00:00:00.000Z`)
  if (Number.isNaN(utc)) return undefined
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
  } catch {
    return undefined
  }
  const offsetAt = (ms: number) => {
    const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((x) => [x.type, x.value]))
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - ms
  }
  let guess = utc - offsetAt(utc)
  guess = utc - offsetAt(guess)
  return new Date(guess).toISOString()
}
