import type { RunRecord } from '@shared/record'
import { storeRecords } from './records'
import type { Sql } from './sql'
import type { RecordVerifier } from './verifier'

/** What the line server did with one delivered record. */
export type Delivery = { outcome: 'stored' | 'already-there' } | { outcome: 'refused'; reason: string }

/** Stores one delivered record on the line server if its signature verifies; idempotent by run id; a refusal is kept in `refusal` with its reason. */
export async function deliverRecord(server: Sql, recordText: string, verify: RecordVerifier): Promise<Delivery> {
  return (await deliverRecords(server, [recordText], verify))[0]
}

/** What the server makes of one delivered text before storing: the record to store, or why it is refused (and under which run id and station; `kept` when the refusal is recorded). */
function judge(recordText: string, verify: RecordVerifier): { record: RunRecord } | { runId: string; station: string | null; reason: string; kept: boolean } {
  let record: RunRecord
  try {
    record = JSON.parse(recordText) as RunRecord
  } catch (error) {
    return { runId: '(no id)', station: null, reason: `not JSON: ${(error as Error).message}`, kept: false }
  }
  const runId = typeof record?.id === 'string' ? record.id : '(no id)'
  const check = verify(recordText)
  if (!check.ok) return { runId, station: record?.station?.id ?? null, reason: check.reason, kept: true }
  if (record.station?.id !== check.station) return { runId, station: check.station, reason: `signed by station ${check.station} but names station ${record.station?.id}`, kept: true }
  return { record }
}

/**
 * Delivers several records in one transaction (a station's backlog): each verified on its own, refusals kept with their reasons, the
 * others stored idempotently by run id with the roll-ups applied once at commit; the outcomes in the order given. A failure stores none.
 */
export async function deliverRecords(server: Sql, recordTexts: readonly string[], verify: RecordVerifier): Promise<Delivery[]> {
  const judged = recordTexts.map((text) => judge(text, verify))
  const refused = judged.flatMap((j) => ('reason' in j && j.kept ? [j] : []))
  const records = judged.flatMap((j) => ('record' in j ? [j.record] : []))
  const stored =
    refused.length || records.length
      ? await server.transaction(async (tx) => {
          for (const r of refused) await tx.query('INSERT INTO refusal (run_id, station, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [r.runId, r.station, r.reason])
          return storeRecords(tx, records, { keepRecord: true })
        })
      : []
  let next = 0
  return judged.map((j): Delivery => ('record' in j ? { outcome: stored[next++] ? 'stored' : 'already-there' } : { outcome: 'refused', reason: j.reason }))
}
