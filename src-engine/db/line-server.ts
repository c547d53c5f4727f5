import type { RunRecord } from '@shared/record'
import { storeRecords } from './records'
import type { Sql } from './sql'
import type { RecordVerifier } from './verifier'
import { GUARD_REFUSAL, guardInstalled } from './guard'

/** What the line server did with one delivered record. */
export type Delivery = { outcome: 'stored' | 'already-there' } | { outcome: 'refused'; reason: string }

/** Stores one delivered record on the line server if its signature verifies; idempotent by run id; a refusal is kept in `refusal` with its reason. */
export async function deliverRecord(server: Sql, recordText: string, verify: RecordVerifier): Promise<Delivery> {
  return (await deliverRecords(server, [recordText], verify))[0]
}

/** What the station makes of one delivered text before storing: the record to store, or why it is refused (and under which run id and station; `kept` when the refusal is recorded; `deferred` when this side lacks the key and a guarded server decides). */
function judge(recordText: string, verify: RecordVerifier): { record: RunRecord } | { runId: string; station: string | null; reason: string; kept: boolean; deferred?: boolean } {
  let record: RunRecord
  try {
    record = JSON.parse(recordText) as RunRecord
  } catch (error) {
    return { runId: '(no id)', station: null, reason: `not JSON: ${(error as Error).message}`, kept: false }
  }
  const runId = typeof record?.id === 'string' ? record.id : '(no id)'
  const check = verify(recordText)
  if (!check.ok) return { runId, station: record?.station?.id ?? null, reason: check.reason, kept: true, deferred: check.reason.startsWith('unknown-key:') }
  if (record.station?.id !== check.station) return { runId, station: check.station, reason: `signed by station ${check.station} but names station ${record.station?.id}`, kept: true }
  return { record }
}

/** The reason a station keeps for a record the server's guard refused, from the guard's code. Pure. */
export function guardReason(code: string): string {
  return `${code}: ${GUARD_REFUSAL}`
}

async function deliverGuarded(tx: Sql, judged: ReturnType<typeof judge>[], texts: readonly string[]): Promise<Delivery[]> {
  for (const j of judged) if ('reason' in j && j.kept && !j.deferred) await tx.query('SELECT k230_refuse($1, $2, $3)', [j.runId, j.station, j.reason])
  const send = judged.flatMap((j, i) => ('record' in j || ('reason' in j && j.deferred) ? [texts[i]] : []))
  const { rows } = send.length
    ? await tx.query<{ outcomes: string[] }>('SELECT array(SELECT k230_ingest(t) FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i) AS outcomes', [send])
    : { rows: [{ outcomes: [] as string[] }] }
  const answers = rows[0].outcomes
  if (answers.length !== send.length) throw new Error(`the line server's guard answered ${answers.length} outcomes for ${send.length} records`)
  let next = 0
  return judged.map((j): Delivery => {
    if ('reason' in j && !j.deferred) return { outcome: 'refused', reason: j.reason }
    const answer = answers[next++]
    if (answer === 'stored' || answer === 'already-there') return { outcome: answer }
    return { outcome: 'refused', reason: guardReason(answer.replace(/^refused:/, '')) }
  })
}

/**
 * Delivers several records in one transaction (a station's backlog): each verified on its own, refusals kept with their reasons, the
 * others stored idempotently by run id with the roll-ups applied once at commit; the outcomes in the order given. A failure stores none.
 * When the server has the guard (`k230_ingest`), it decides: every record this side accepts, or cannot judge for want of the key, goes
 * through the guard, whose answer is final; this side's refusals are kept through `k230_refuse`.
 */
export async function deliverRecords(server: Sql, recordTexts: readonly string[], verify: RecordVerifier): Promise<Delivery[]> {
  const judged = recordTexts.map((text) => judge(text, verify))
  if (!judged.some((j) => 'record' in j || j.kept)) return judged.map((j): Delivery => ({ outcome: 'refused', reason: 'reason' in j ? j.reason : '' }))
  return server.transaction(async (tx) => {
    if (await guardInstalled(tx)) return deliverGuarded(tx, judged, recordTexts)
    const refused = judged.flatMap((j) => ('reason' in j && j.kept ? [j] : []))
    const records = judged.flatMap((j) => ('record' in j ? [j.record] : []))
    for (const r of refused) await tx.query('INSERT INTO refusal (run_id, station, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [r.runId, r.station, r.reason])
    const stored = await storeRecords(tx, records, { keepRecord: true })
    let next = 0
    return judged.map((j): Delivery => ('record' in j ? { outcome: stored[next++] ? 'stored' : 'already-there' } : { outcome: 'refused', reason: j.reason }))
  })
}
