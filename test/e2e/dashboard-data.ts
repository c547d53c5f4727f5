/** The dashboard spec's extra line records (retests, an errored run, a support run, spread step durations) and its raw-SQL connection. */
import { deliverRecord, openPg, signatureVerifier, type Sql } from '@engine/db/index'
import { renderJson } from '@engine/report/index'
import type { RunRecord } from '@shared/record'
import pg from 'pg'
import { stationRecord, TEST_TRUSTED } from '../db/records'
import { erroredRecord, failingRecord, passingRecord } from '../reports/fixtures/records'

/** `base`'s steps with the 'usb' step lasting `ms` (spreads that step's durations so the percentiles interpolate between runs). */
function usbLasting(base: RunRecord, ms: number): Pick<RunRecord, 'steps'> {
  return { steps: base.steps.map((s) => (s.id === 'usb' ? { ...s, attempts: s.attempts.map((a) => ({ ...a, durationMs: ms })) } : s)) }
}

/**
 * Records added on top of test/db/seed-line.ts, all on 2026-11-24 (minutes after 08:00Z), so that first-pass and final yield differ and the Pareto, durations and rates have more than one shape:
 * SN16 fails at LINE1-ST01 10:00 and passes its retest 10:10 (same hour); SN10 fails there at 08:00 and passes 11:05 (another hour);
 * SN21 fails at LINE1-ST02 13:35 and passes 14:05 (another hour and shift); SN22 passes there 14:10 and fails 14:20; SN24 passes 15:20, then errors 15:30 (link-lost, ppp-config aborted);
 * SN17 has a failing support run at LINE1-ST01 10:25 that no panel counts.
 */
export function extraRecords(): RunRecord[] {
  const errored = erroredRecord()
  return [
    stationRecord('LINE1-ST01', 'SN16', 130, false, usbLasting(passingRecord(), 700)),
    stationRecord('LINE1-ST01', 'SN10', 185, false, usbLasting(passingRecord(), 800)),
    stationRecord('LINE1-ST02', 'SN21', 365, false, usbLasting(passingRecord(), 1000)),
    stationRecord('LINE1-ST02', 'SN22', 380, true, usbLasting(failingRecord(), 1100)),
    stationRecord('LINE1-ST02', 'SN24', 450, false, { ...usbLasting(errored, 1200), verdict: errored.verdict, status: errored.status, transcript: errored.transcript }),
    stationRecord('LINE1-ST01', 'SN17', 145, true, { purpose: 'support' }),
  ]
}

/** Delivers the extra records through the line-server path, as the seed does. */
export async function deliverExtraRecords(url: string): Promise<void> {
  const sql = openPg(url)
  try {
    for (const r of extraRecords()) {
      const result = await deliverRecord(sql, renderJson(r), signatureVerifier(TEST_TRUSTED))
      if (result.outcome !== 'stored') throw new Error(`extra record ${r.id}: ${JSON.stringify(result)}`)
    }
  } finally {
    await sql.close()
  }
}

/** One plain `pg` connection in UTC (the dashboard's hours are UTC hours), shaped as the `Sql` seam that test/db/raw-reference.ts queries through. */
export async function rawSql(url: string): Promise<Sql & { client: pg.Client }> {
  const client = new pg.Client(url)
  await client.connect()
  await client.query("SET TIME ZONE 'UTC'")
  const query = async <T>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params)).rows as T[] })
  const self: Sql & { client: pg.Client } = {
    client,
    query,
    exec: async (text) => void (await client.query(text)),
    transaction: async (fn) => {
      await client.query('BEGIN')
      try {
        const out = await fn(self)
        await client.query('COMMIT')
        return out
      } catch (error) {
        await client.query('ROLLBACK')
        throw error
      }
    },
    close: () => client.end(),
  }
  return self
}
