import type { Delivery } from './line-server'
import type { Sql } from './sql'

/** How an outbox row's `last_error` of a refusal begins. */
export const REFUSED_PREFIX = 'refused by the line server: '

/** One record waiting in (or delivered from) the station's outbox. */
export interface OutboxItem {
  runId: string
  state: 'waiting' | 'delivered' | 'refused'
  attempts: number
  queuedAt: string
  nextTryAt: string
  /** Why the last attempt did not deliver (line server unreachable, refused and why). */
  lastError?: string
}

/** Puts a finished record in the outbox (durable, in the station database) unless its run id is already there. */
export async function enqueue(local: Sql, runId: string, recordText: string): Promise<void> {
  await local.query('INSERT INTO outbox (run_id, record_text) VALUES ($1, $2) ON CONFLICT (run_id) DO NOTHING', [runId, recordText])
}

/** Outbox rows, oldest first; `all` includes delivered ones. */
export async function outboxItems(local: Sql, all = false): Promise<OutboxItem[]> {
  const { rows } = await local.query<{ run_id: string; state: OutboxItem['state']; attempts: number; queued_at: Date; next_try_at: Date; last_error: string | null }>(
    `SELECT run_id, state, attempts, queued_at, next_try_at, last_error FROM outbox ${all ? '' : "WHERE state <> 'delivered'"} ORDER BY queued_at, run_id`,
  )
  return rows.map((r) => ({ runId: r.run_id, state: r.state, attempts: Number(r.attempts), queuedAt: new Date(r.queued_at).toISOString(), nextTryAt: new Date(r.next_try_at).toISOString(), lastError: r.last_error ?? undefined }))
}

/** Retry delay after `attempts` failed tries: doubling from `baseMs`, capped at `maxMs`. Pure. */
export function backoffMs(attempts: number, baseMs = 1000, maxMs = 300_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1))
}

/** What one pass over the outbox did. */
export interface SendResult {
  delivered: number
  alreadyThere: number
  refused: number
  failed: number
  /** The last connection error (password masked), when the server could not be reached. */
  error?: string
  /** What was thrown then, to be said in the reader's language (its message is `error`). */
  failure?: unknown
}

/** How many waiting records go to the line server in one transaction when the sender can deliver several at once. */
export const OUTBOX_BATCH = 20

/** Delivers one record to the line server. */
export type Deliver = (recordText: string) => Promise<Delivery>
/** Delivers several records in one transaction, one outcome each in the order given; a throw means none was stored. */
export type DeliverMany = (recordTexts: string[]) => Promise<Delivery[]>

/**
 * Sends every waiting record whose retry time has come (all of them with `ignoreSchedule`), one by one or `batch` at a time through
 * `deliverMany`; a connection failure stops the pass, and that record (or batch) and all after it are scheduled for a retry with backoff.
 */
export async function sendOutbox(
  local: Sql,
  deliver: Deliver,
  options: { ignoreSchedule?: boolean; baseMs?: number; maxMs?: number; now?: () => Date; deliverMany?: DeliverMany; batch?: number } = {},
): Promise<SendResult> {
  const now = options.now ?? (() => new Date())
  const { rows } = await local.query<{ run_id: string; record_text: string; attempts: number }>(
    `SELECT run_id, record_text, attempts FROM outbox WHERE state = 'waiting' ${options.ignoreSchedule ? '' : 'AND next_try_at <= $1'} ORDER BY queued_at, run_id`,
    options.ignoreSchedule ? [] : [now()],
  )
  const size = options.deliverMany ? Math.max(1, Math.floor(options.batch ?? OUTBOX_BATCH)) : 1
  const send: DeliverMany = options.deliverMany ?? (async ([text]) => [await deliver(text)])
  const result: SendResult = { delivered: 0, alreadyThere: 0, refused: 0, failed: 0 }
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size)
    let deliveries: Delivery[]
    try {
      deliveries = await send(chunk.map((row) => row.record_text))
      if (deliveries.length !== chunk.length) throw new Error(`the line server answered ${deliveries.length} outcomes for ${chunk.length} records`)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      result.error = message
      result.failure = error
      for (const left of rows.slice(i)) {
        const attempts = Number(left.attempts) + 1
        await local.query('UPDATE outbox SET attempts = $2, last_error = $3, next_try_at = $4 WHERE run_id = $1', [left.run_id, attempts, message, new Date(now().getTime() + backoffMs(attempts, options.baseMs, options.maxMs))])
        result.failed++
      }
      break
    }
    for (const [k, delivery] of deliveries.entries()) {
      const row = chunk[k]
      if (delivery.outcome === 'refused') {
        await local.query("UPDATE outbox SET state = 'refused', attempts = attempts + 1, last_error = $2 WHERE run_id = $1", [row.run_id, `${REFUSED_PREFIX}${delivery.reason}`])
        result.refused++
      } else {
        await local.query("UPDATE outbox SET state = 'delivered', attempts = attempts + 1, last_error = NULL, delivered_at = $2 WHERE run_id = $1", [row.run_id, now()])
        if (delivery.outcome === 'stored') result.delivered++
        else result.alreadyThere++
      }
    }
  }
  return result
}


/** The code of a connection failure from its message: the socket error (ECONNREFUSED...), `auth-failed` or `timeout`. Pure. */
export function connectionFailure(message: string): string | undefined {
  return /\b(E[A-Z]{4,})\b/.exec(message)?.[1] ?? (/password authentication failed|no pg_hba\.conf entry/i.test(message) ? 'auth-failed' : /timeout|timed out/i.test(message) ? 'timeout' : undefined)
}

/** The refusal code of a refused row's `last_error` (`bad-signature`, `unknown-key`, `station-mismatch`...), `other` when it names none. Pure. */
export function refusalCode(lastError: string | undefined): string {
  const text = lastError?.startsWith(REFUSED_PREFIX) ? lastError.slice(REFUSED_PREFIX.length) : (lastError ?? '')
  return /^([a-z][a-z-]*):/.exec(text)?.[1] ?? (/^signed by station .* but names station/.test(text) ? 'station-mismatch' : 'other')
}
