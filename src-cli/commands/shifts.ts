import type { CliCommand, CliIo } from '../command'
import { EXIT, UsageError, thrownText } from '../command'
import { ClockError, maskUrl, migrate, openPg, readClock, setClock, shiftSpans, type LineClock, type Shift, type Sql } from '@engine/db/index'
import type { Translate } from '@shared/i18n/translate'
import { parseCommandArgs } from '../args'

function shiftOf(text: string): Shift {
  const at = text.lastIndexOf('=')
  if (at <= 0) throw new UsageError('cli.shifts.badShift', { value: text })
  return { name: text.slice(0, at).trim(), start: text.slice(at + 1).trim() }
}

function printClock(clock: LineClock, io: CliIo, t: Translate): void {
  io.stdout.write(`${t('cli.shifts.zone', { zone: clock.timeZone })}\n`)
  for (const s of shiftSpans(clock)) io.stdout.write(`${t('cli.shifts.shift', { name: s.name, start: s.start, end: s.end })}\n`)
}

async function change(sql: Sql, wanted: { zone?: string; shifts: Shift[] }, io: CliIo, t: Translate): Promise<number> {
  const now = await readClock(sql)
  const clock: LineClock = { timeZone: wanted.zone ?? now.timeZone, shifts: wanted.shifts.length ? wanted.shifts : now.shifts }
  try {
    await setClock(sql, clock)
  } catch (error) {
    if (!(error instanceof ClockError)) throw error
    for (const p of error.problems) io.stderr.write(`k230-bringup shifts: ${t(`cli.shifts.problem.${p.code}`, p.params)}\n`)
    return EXIT.usage
  }
  io.stdout.write(`${t('cli.shifts.changed')}\n`)
  printClock(await readClock(sql), io, t)
  return EXIT.ok
}

/** `k230-bringup shifts --db URL [--zone ZONE] [--shift NAME=HH:MM ...]`: prints the line's clock, or sets it and recomputes the shift and hour figures. */
export const shiftsCommand: CliCommand = {
  name: 'shifts',
  summary: "show or set the line's time zone and shifts",
  usage: 'k230-bringup shifts --db URL [--zone ZONE] [--shift NAME=HH:MM ...]     (no --zone or --shift: print the clock; a change recomputes the shift and hour figures; URL may also come from K230_LINE_DB)',
  async run(argv, io) {
    const { values, t } = parseCommandArgs(argv, io.env, { db: { type: 'string' }, zone: { type: 'string' }, shift: { type: 'string', multiple: true } })
    const url = values.db ?? io.env.K230_LINE_DB
    if (!url) throw new UsageError('cli.common.needsDb')
    const shifts = (values.shift ?? []).map(shiftOf)
    const sql = openPg(url)
    try {
      await migrate(sql)
      if (values.zone === undefined && !shifts.length) {
        printClock(await readClock(sql), io, t)
        return EXIT.ok
      }
      return await change(sql, { zone: values.zone, shifts }, io, t)
    } catch (error) {
      io.stderr.write(`k230-bringup shifts: ${thrownText(error, t, maskUrl(url))}\n`)
      return EXIT.lost
    } finally {
      await sql.close()
    }
  },
}
