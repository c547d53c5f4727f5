/** The dashboard and station yield read from the roll-ups give the figures a direct query over the raw run and step tables gives (re-delivery, simulated units, support runs, rework across hours, deletes), on PGlite and on a real PostgreSQL server. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { deliverRecord, openPg, openPglite, pareto, signatureVerifier, StationIndex, unitsPerHour, yieldBy, yieldSql, type DashboardRange, type Sql } from '@engine/db/index'
import { renderJson } from '@engine/report/index'
import { rmSync } from 'node:fs'
import { postgresAvailable } from './postgres-server'
import { serverForSuite } from './server-for-suite'
import { rawYieldSql } from './raw-reference'
import { resultsFolder, stationRecord, TEST_TRUSTED } from './records'
import { expectDashboardMatches, insertRandom, migratedForSuite, mulberry32 } from './rollup-check'

async function expectYieldMatches(sql: Sql, range: { from?: string; to?: string; includeSimulated?: boolean }): Promise<void> {
  expect(await yieldSql(sql, { ...range, topCauses: 50 }), JSON.stringify(range)).toEqual(await rawYieldSql(sql, { ...range, topCauses: 50 }))
}

const WINDOWS: DashboardRange[] = [
  { from: '2026-11-20T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
  { from: '2026-11-24T00:00:00.000Z', to: '2026-11-24T23:59:59.999Z' },
  { from: '2026-11-23T08:17:31.250Z', to: '2026-11-25T11:42:00.000Z' },
  { from: '2026-11-24T09:05:00.000Z', to: '2026-11-24T09:50:00.000Z' },
  { from: '2026-11-24T10:00:00.000Z', to: '2026-11-24T13:00:00.000Z' },
  { from: '2026-11-24T11:30:00.000Z', to: '2026-11-26T03:00:00.000Z' },
]

async function expectAllMatch(sql: Sql, extra: DashboardRange[] = []): Promise<void> {
  for (const w of [...WINDOWS, ...extra]) for (const includeSimulated of [false, true]) await expectDashboardMatches(sql, { ...w, includeSimulated })
  for (const includeSimulated of [false, true]) {
    await expectYieldMatches(sql, { includeSimulated })
    await expectYieldMatches(sql, { from: '2026-11-24T09:30:00.000Z', includeSimulated })
    await expectYieldMatches(sql, { to: '2026-11-24T12:15:00.000Z', includeSimulated })
    for (const w of [...WINDOWS, ...extra]) await expectYieldMatches(sql, { ...w, includeSimulated })
  }
}

function suite(name: string, open: () => Promise<Sql>, close: (sql: Sql) => Promise<void>) {
  describe(name, () => {
    const db = migratedForSuite(open, close)

    it('records delivered through the line-server path (failures, rework across hours, a simulated unit, a support run) and delivered again give the raw figures; the re-delivery changes nothing', async () => {
      const sql = db()
      await sql.exec('TRUNCATE run, unit, refusal CASCADE')
      const records = [
        ...Array.from({ length: 9 }, (_, i) => stationRecord('RL-ST01', `SN1${i}`, i * 20, i % 3 === 0)),
        ...Array.from({ length: 6 }, (_, i) => stationRecord('RL-ST02', `SN2${i}`, 300 + i * 35, i === 1)),
        stationRecord('RL-ST02', 'SN10', 520, false),
        stationRecord('RL-ST01', 'SN13', 1530, true),
        stationRecord('RL-ST01', 'SN13', 1590, false),
        stationRecord('RL-ST09', 'SIM-1', 540, true, { simulated: true }),
        stationRecord('RL-ST02', 'SN11', 600, true, { purpose: 'support' }),
      ]
      const deliver = async () => {
        const outcomes = []
        for (const r of records) outcomes.push((await deliverRecord(sql, renderJson(r), signatureVerifier(TEST_TRUSTED))).outcome)
        return outcomes
      }
      expect(await deliver()).toEqual(records.map(() => 'stored'))
      const day = { from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T23:59:59.999Z' }
      const before = [await yieldBy(sql, day, 'station'), await pareto(sql, day, 'code'), await unitsPerHour(sql, day), await yieldSql(sql, {})]
      await expectAllMatch(sql, [day, { from: '2026-11-24T08:40:00.000Z', to: '2026-11-25T09:00:00.000Z' }])
      expect(await deliver()).toEqual(records.map(() => 'already-there'))
      expect([await yieldBy(sql, day, 'station'), await pareto(sql, day, 'code'), await unitsPerHour(sql, day), await yieldSql(sql, {})]).toEqual(before)
      await expectAllMatch(sql, [day])
      const st01 = (await yieldBy(sql, day, 'station')).find((r) => r.key === 'RL-ST01')
      expect(st01).toEqual({ key: 'RL-ST01', units: 9, firstPass: 6, finalPass: 7 })
      expect((await yieldBy(sql, day, 'station')).map((r) => r.key)).not.toContain('RL-ST09')
      expect((await yieldBy(sql, { ...day, includeSimulated: true }, 'station')).map((r) => r.key)).toContain('RL-ST09')
    }, 300_000)

    it('random runs inserted in batches (some ids again), then some deleted: every panel and the yield equal the raw queries over random windows', async () => {
      const sql = db()
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
          const rand = mulberry32(seed)
          await sql.exec('TRUNCATE run, unit, refusal CASCADE')
          const { ids, times } = await insertRandom(sql, rand, 160, 0)
          const windows = Array.from({ length: 3 }, () => {
            const a = Date.parse(times[Math.floor(rand() * times.length)]) + Math.floor(rand() * 3) - 1
            const b = a + Math.floor(rand() * 40 * 3_600_000)
            return { from: new Date(a).toISOString(), to: rand() < 0.3 ? times[Math.floor(rand() * times.length)] : new Date(b).toISOString() }
          }).map((w) => (w.from <= w.to ? w : { from: w.to, to: w.from }))
          await expectAllMatch(sql, windows)
          const gone = ids.filter(() => rand() < 0.15)
          await sql.query('DELETE FROM run WHERE id = ANY($1::text[])', [gone])
          await insertRandom(sql, rand, 20, 1000)
          await expectAllMatch(sql, windows)
        }),
        { seed: 230017, numRuns: 2, endOnFailure: true },
      )
    }, 600_000)
  })
}

suite('roll-ups on the station (PGlite)', () => openPglite(), (sql) => sql.close())

describe.skipIf(!postgresAvailable())('roll-ups on the line server (real PostgreSQL)', () => {
  const server = serverForSuite()
  suite('line server', async () => openPg(server().url), (sql) => sql.close())
})

describe('station index: a record file replaced and one removed keep the yield equal to the raw query', () => {
  it('reindexing after a file changes and another vanishes', async () => {
    const records = Array.from({ length: 12 }, (_, i) => stationRecord('RX-ST', `X${i % 5}`, i * 47, i % 4 === 1))
    const dir = resultsFolder(records)
    try {
      await StationIndex.using(dir, async (index) => {
        await expectYieldMatches(index.sql, {})
        const changed = stationRecord('RX-ST', 'X1', 47, false)
        await index.add(changed, `${records[1].id}.json`)
        rmSync(`${dir}/${records[3].id}.json`)
        expect((await index.refresh()).removed).toBe(1)
        await expectYieldMatches(index.sql, {})
        await expectYieldMatches(index.sql, { from: '2026-11-24T09:10:00.000Z', to: '2026-11-24T15:00:00.000Z' })
        expect((await index.yield()).runs).toBe(11)
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)
})
