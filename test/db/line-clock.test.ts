/** The line's clock: shifts and hour labels read in the line's time zone, on PGlite and on a real PostgreSQL server; changing the clock recomputes the shift and hour figures, and runs delivered after it land in the new shifts. */
import { describe, expect, it } from 'vitest'
import { ClockError, clockProblems, dashboardHandler, DEFAULT_CLOCK, openPg, openPglite, rangeOf, readClock, setClock, shiftSpans, yieldBy, zonedMidnight, type LineClock, type Sql } from '@engine/db/index'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src-cli/main'
import { captureIo } from '../reports/helpers/io'
import { PG_TEST_PASSWORD, postgresAvailable } from './postgres-server'
import { serverForSuite } from './server-for-suite'
import { expectDashboardMatches, insertRandom, migratedForSuite, mulberry32 } from './rollup-check'

const SHANGHAI: LineClock = { timeZone: 'Asia/Shanghai', shifts: [{ name: '早班', start: '08:00' }, { name: '中班', start: '16:00' }, { name: '夜班', start: '00:00' }] }
const KOLKATA: LineClock = { timeZone: 'Asia/Kolkata', shifts: [{ name: 'Day', start: '07:30' }, { name: 'Night', start: '19:30' }] }
const NEW_YORK: LineClock = { timeZone: 'America/New_York', shifts: [{ name: 'A', start: '06:00' }, { name: 'B', start: '14:30' }, { name: 'C', start: '23:00' }] }

const WINDOWS = [
  { from: '2026-11-23T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z' },
  { from: '2026-11-24T03:10:00.000Z', to: '2026-11-24T20:45:00.000Z' },
  { from: '2026-11-23T16:00:00.000Z', to: '2026-11-24T15:59:59.999Z' },
]

async function expectAllMatch(sql: Sql, clock: LineClock): Promise<void> {
  for (const w of WINDOWS) for (const includeSimulated of [false, true]) await expectDashboardMatches(sql, { ...w, includeSimulated }, clock)
}

async function spans(sql: Sql): Promise<unknown[]> {
  const { rows } = await sql.query(`SELECT dim, scope, key, unit, first_at, first_v, last_at, last_v, first_hour, last_hour FROM unit_span ORDER BY dim, scope, key, unit`)
  return rows
}

async function counts(sql: Sql): Promise<unknown[]> {
  const { rows } = await sql.query(
    `SELECT dim, scope, key, first_hour, last_hour, sum(units)::int AS units, sum(first_pass)::int AS fp, sum(final_pass)::int AS lp FROM span_count GROUP BY 1, 2, 3, 4, 5 HAVING sum(units) <> 0 OR sum(first_pass) <> 0 OR sum(final_pass) <> 0 ORDER BY 1, 2, 3, 4, 5`,
  )
  return rows
}

describe('line clock (pure)', () => {
  it('refuses shifts a person could not mean, naming each', () => {
    expect(clockProblems(DEFAULT_CLOCK)).toEqual([])
    expect(clockProblems(SHANGHAI)).toEqual([])
    expect(clockProblems({ timeZone: 'UTC', shifts: [] }).map((p) => p.code)).toEqual(['noShifts'])
    expect(clockProblems({ timeZone: 'UTC', shifts: [{ name: 'A', start: '6:00' }, { name: 'A', start: '24:00' }, { name: '', start: '07:00' }, { name: 'D', start: '07:00' }] })).toEqual([
      { code: 'badStart', params: { name: 'A', start: '6:00' } },
      { code: 'duplicateName', params: { name: 'A' } },
      { code: 'badStart', params: { name: 'A', start: '24:00' } },
      { code: 'badName', params: { name: '' } },
      { code: 'duplicateStart', params: { name: 'D', other: '', start: '07:00' } },
    ])
  })

  it('orders shifts by their start and ends each where the next begins, past midnight for the last', () => {
    expect(shiftSpans(SHANGHAI).map((s) => `${s.name} ${s.start}-${s.end}`)).toEqual(['夜班 00:00-08:00', '早班 08:00-16:00', '中班 16:00-00:00'])
    expect(shiftSpans(KOLKATA).map((s) => `${s.name} ${s.start}-${s.end}`)).toEqual(['Day 07:30-19:30', 'Night 19:30-07:30'])
  })

  it('finds local midnight in a zone, across a daylight-saving change', () => {
    expect(zonedMidnight('2026-12-04', 'Asia/Shanghai')).toBe('2026-12-03T16:00:00.000Z')
    expect(zonedMidnight('2026-12-04', 'Asia/Kolkata')).toBe('2026-12-03T18:30:00.000Z')
    expect(zonedMidnight('2026-07-01', 'America/New_York')).toBe('2026-07-01T04:00:00.000Z')
    expect(zonedMidnight('2026-11-02', 'America/New_York')).toBe('2026-11-02T05:00:00.000Z')
    expect(zonedMidnight('2026-12-04', 'UTC')).toBe('2026-12-04T00:00:00.000Z')
    expect(zonedMidnight('2026-12-04', 'Mars/Olympus')).toBeUndefined()
  })

  it("reads a dashboard day (YYYY-MM-DD) as the line's local day", () => {
    const now = new Date('2026-12-04T12:00:00.000Z')
    expect(rangeOf(new URLSearchParams('from=2026-12-04&to=2026-12-04'), now, 'Asia/Shanghai')).toEqual({ from: '2026-12-03T16:00:00.000Z', to: '2026-12-04T15:59:59.999Z', includeSimulated: false })
    expect(rangeOf(new URLSearchParams('from=2026-12-04&to=2026-12-04'), now)).toEqual({ from: '2026-12-04T00:00:00.000Z', to: '2026-12-04T23:59:59.999Z', includeSimulated: false })
  })
})

function suite(name: string, open: () => Promise<Sql>, close: (sql: Sql) => Promise<void>) {
  describe(name, () => {
    const db = migratedForSuite(open, close)

    it('a new database reads shifts in UTC, A 06:00, B 14:00, C 22:00', async () => {
      const sql = db()
      expect(await readClock(sql)).toEqual(DEFAULT_CLOCK)
      await insertRandom(sql, mulberry32(17), 300, 0)
      await expectAllMatch(sql, DEFAULT_CLOCK)
    }, 120_000)

    it('another zone and shifts: the figures follow the clock, equal a rebuild from the raw rows, and later runs land in the new shifts', async () => {
      const sql = db()
      for (const clock of [SHANGHAI, KOLKATA, NEW_YORK]) {
        await setClock(sql, clock)
        expect(await readClock(sql)).toEqual({ timeZone: clock.timeZone, shifts: shiftSpans(clock).map(({ name, start }) => ({ name, start })) })
        await expectAllMatch(sql, clock)
        const [s, c] = [await spans(sql), await counts(sql)]
        await sql.query('SELECT k230_rebuild_all()')
        expect(await spans(sql), `${clock.timeZone} unit spans equal a rebuild`).toEqual(s)
        expect(await counts(sql), `${clock.timeZone} span counts equal a rebuild`).toEqual(c)
      }
      await insertRandom(sql, mulberry32(18), 120, 1000)
      await expectAllMatch(sql, NEW_YORK)
      const names = (await yieldBy(sql, { ...WINDOWS[0], includeSimulated: true }, 'shift')).map((r) => r.key)
      expect(names).toEqual(['A', 'B', 'C'])
    }, 300_000)

    it('refuses an unknown zone and bad shifts, and keeps the clock it had', async () => {
      const sql = db()
      const before = await readClock(sql)
      await expect(setClock(sql, { timeZone: 'Mars/Olympus', shifts: [{ name: 'A', start: '25:00' }] })).rejects.toSatisfy(
        (e: unknown) => e instanceof ClockError && e.problems.map((p) => p.code).join() === 'badStart,badZone',
      )
      expect(await readClock(sql)).toEqual(before)
    })
  })
}

suite(
  'line clock on the station index (PGlite)',
  () => openPglite(),
  (sql) => sql.close(),
)

describe.skipIf(!postgresAvailable())('line clock on the line server (real PostgreSQL)', () => {
  const server = serverForSuite()
  suite('server', async () => openPg(server().url), (sql) => sql.close())
})

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = captureIo(mkdtempSync(join(tmpdir(), 'k230-shifts-')), { K230_LINE_DB: '', ...env })
  const code = await main(args, io)
  return { code, out: io.out(), err: io.err() }
}

describe.skipIf(!postgresAvailable())('k230-bringup shifts (real PostgreSQL)', () => {
  const server = serverForSuite()

  it("prints the clock, sets a zone and shifts (the dashboard then reads them), refuses bad ones in the reader's language, and says when the server is gone", async () => {
    const pg = server()
    const shown = await cli(['shifts', '--db', pg.url])
    expect([shown.code, shown.out]).toEqual([0, 'time zone: UTC\n  A  06:00–14:00\n  B  14:00–22:00\n  C  22:00–06:00\n'])
    const set = await cli(['shifts', '--db', pg.url, '--zone', 'Asia/Shanghai', '--shift', '早班=08:00', '--shift', '中班=16:00', '--shift', '夜班=00:00'], { LANG: 'zh_CN.UTF-8' })
    expect(set.code, set.err).toBe(0)
    expect(set.out).toBe('产线时钟已设置；按班次和按小时的数据已重新计算\n时区：Asia/Shanghai\n  夜班  00:00–08:00\n  早班  08:00–16:00\n  中班  16:00–00:00\n')
    const zoneOnly = await cli(['shifts', '--db', pg.url, '--zone', 'Asia/Kolkata'])
    expect(zoneOnly.out).toContain('time zone: Asia/Kolkata\n  夜班  00:00–08:00\n')
    const sql = openPg(pg.url)
    try {
      const page = await dashboardHandler(sql, () => new Date('2026-12-04T12:00:00Z'))(new URL('http://x/?lang=en&from=2026-12-04&to=2026-12-04'))
      expect(page.body).toContain('Shifts in Asia/Kolkata: 夜班 00:00–08:00 · 早班 08:00–16:00 · 中班 16:00–00:00')
      expect(page.body).toContain('Hours in Asia/Kolkata')
      expect(page.body).toContain('value="2026-12-03T18:30:00.000Z"')
    } finally {
      await sql.close()
    }
    const bad = await cli(['shifts', '--db', pg.url, '--zone', 'Mars/Olympus', '--shift', 'A=6:00', '--shift', 'B'], { LANG: 'zh_CN.UTF-8' })
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('--shift B：请写成 名称=HH:MM')
    const refused = await cli(['shifts', '--db', pg.url, '--zone', 'Mars/Olympus', '--shift', 'A=6:00'], { LANG: 'zh_CN.UTF-8' })
    expect([refused.code, refused.err]).toEqual([2, 'k230-bringup shifts：班次 A：“6:00”不是一天中的时间（HH:MM，00:00 到 23:59）\nk230-bringup shifts：产线数据库不认识时区“Mars/Olympus”（请使用 IANA 名称，例如 Asia/Shanghai）\n'.replace(/shifts：/g, 'shifts: ')])
    expect((await cli(['shifts', '--db', pg.url])).out).toContain('time zone: Asia/Kolkata')
    await pg.stop()
    try {
      const gone = await cli(['shifts', '--db', pg.url])
      expect(gone.code).toBe(3)
      expect(gone.err).toContain('127.0.0.1')
      expect(gone.err).not.toContain(PG_TEST_PASSWORD)
    } finally {
      await pg.start()
    }
  }, 120_000)
})
