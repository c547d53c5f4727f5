import type { RunRecord } from '@shared/record'
import { storeRecord } from './records'
import type { Sql } from './sql'
import type { RecordVerifier } from './verifier'

/** What the line server did with one delivered record. */
export type Delivery = { outcome: 'stored' | 'already-there' } | { outcome: 'refused'; reason: string }

/** Stores one delivered record on the line server if its signature verifies; idempotent by run id; a refusal is kept in `refusal` with its reason. */
export async function deliverRecord(server: Sql, recordText: string, verify: RecordVerifier): Promise<Delivery> {
  let record: RunRecord
  try {
    record = JSON.parse(recordText) as RunRecord
  } catch (error) {
    return { outcome: 'refused', reason: `not JSON: ${(error as Error).message}` }
  }
  const runId = typeof record?.id === 'string' ? record.id : '(no id)'
  const check = verify(recordText)
  if (!check.ok) {
    await server.query('INSERT INTO refusal (run_id, station, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [runId, record?.station?.id ?? null, check.reason])
    return { outcome: 'refused', reason: check.reason }
  }
  if (record.station?.id !== check.station) {
    const reason = `signed by station ${check.station} but names station ${record.station?.id}`
    await server.query('INSERT INTO refusal (run_id, station, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [runId, check.station, reason])
    return { outcome: 'refused', reason }
  }
  const stored = await storeRecord(server, record, { keepRecord: true })
  return { outcome: stored ? 'stored' : 'already-there' }
}
