import { isSimulated, type RunRecord } from '@shared/record'
import { failureCode } from '../report/ledger'
import type { IndexEntry, UnitQuery } from '../report/results-index'
import type { Sql } from './sql'

function stepRows(record: RunRecord) {
  return (record.steps ?? []).map((s, ordinal) => ({
    ordinal,
    step_id: s.id,
    title: s.title ?? s.id,
    verdict: s.verdict,
    cause: s.verdict === 'fail' || s.verdict === 'error' || s.verdict === 'aborted' ? failureCode(s) : null,
    duration_ms: (s.attempts ?? []).reduce((sum, a) => sum + (Number.isFinite(a.durationMs) ? a.durationMs : 0), 0),
  }))
}

function measurementRows(record: RunRecord) {
  return (record.steps ?? []).flatMap((s, step_ordinal) =>
    (s.attempts?.at(-1)?.measurements ?? []).map((m, ordinal) => ({
      step_ordinal,
      ordinal,
      name: m.name,
      value: m.value === null || m.value === undefined ? null : String(m.value),
      num: typeof m.value === 'number' && Number.isFinite(m.value) ? m.value : null,
      unit: m.unit ?? null,
      outcome: m.outcome,
    })),
  )
}

/** Where a record is kept: its file (station index) and/or its full JSON (line server). */
export interface StoreOptions {
  file?: string
  /** Keep the whole record (transcript included) in `run.record`. */
  keepRecord?: boolean
  /** Replace an existing run with the same id (station reindex); otherwise an existing id is left alone. */
  replace?: boolean
}

/** Stores one record (unit, run, steps, measurements) in one transaction; returns false when the run id was already there and not replaced. Idempotent by run id. */
export async function storeRecord(sql: Sql, record: RunRecord, options: StoreOptions = {}): Promise<boolean> {
  return (await storeRecords(sql, [record], options))[0]
}

/** Stores several records in one transaction (the roll-ups are applied once, at its commit); per record, false when its run id was already there (or earlier in the batch) and not replaced. */
export async function storeRecords(sql: Sql, records: readonly RunRecord[], options: StoreOptions = {}): Promise<boolean[]> {
  if (!records.length) return []
  return sql.transaction(async (tx) => {
    const stored: boolean[] = []
    for (const record of records) stored.push(await storeInTransaction(tx, record, options))
    return stored
  })
}

async function storeInTransaction(tx: Sql, record: RunRecord, options: StoreOptions): Promise<boolean> {
  if (options.replace) await tx.query('DELETE FROM run WHERE id = $1', [record.id])
  const inserted = await tx.query(
    `INSERT INTO run (id, serial, imei, iccid, station, started_at, ended_at, verdict, status, file, digest, simulated, purpose, record)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      record.id,
      record.unit?.serial ?? '',
      record.unit?.imei ?? null,
      record.unit?.iccid ?? null,
      record.station?.id ?? null,
      record.startedAt,
      record.endedAt ?? null,
      record.verdict,
      record.status,
      options.file ?? null,
      record.digest ?? null,
      isSimulated(record),
      record.purpose ?? 'production',
      options.keepRecord ? JSON.stringify(record) : null,
    ],
  )
  if (!inserted.rows.length) return false
  if (record.unit?.serial)
    await tx.query(
      `INSERT INTO unit (serial, imei, iccid, first_seen) VALUES ($1,$2,$3,$4)
       ON CONFLICT (serial) DO UPDATE SET imei = coalesce(EXCLUDED.imei, unit.imei), iccid = coalesce(EXCLUDED.iccid, unit.iccid), first_seen = least(unit.first_seen, EXCLUDED.first_seen)`,
      [record.unit.serial, record.unit.imei ?? null, record.unit.iccid ?? null, record.startedAt],
    )
  const steps = stepRows(record)
  if (steps.length)
    await tx.query(
      `INSERT INTO step (run_id, ordinal, step_id, title, verdict, cause, duration_ms, started_at, simulated, purpose, station)
       SELECT $1, ordinal, step_id, title, verdict, cause, duration_ms, $3::timestamptz, $4::boolean, $5::text, $6::text FROM jsonb_to_recordset($2::jsonb)
       AS x(ordinal int, step_id text, title text, verdict text, cause text, duration_ms double precision)`,
      [record.id, JSON.stringify(steps), record.startedAt, isSimulated(record), record.purpose ?? 'production', record.station?.id ?? '?'],
    )
  const measurements = measurementRows(record)
  if (measurements.length)
    await tx.query(
      `INSERT INTO measurement (run_id, step_ordinal, ordinal, name, value, num, unit, outcome)
       SELECT $1, step_ordinal, ordinal, name, value, num, unit, outcome FROM jsonb_to_recordset($2::jsonb)
       AS x(step_ordinal int, ordinal int, name text, value text, num double precision, unit text, outcome text)`,
      [record.id, JSON.stringify(measurements)],
    )
  return true
}

interface RunRow {
  id: string
  file: string | null
  serial: string
  imei: string | null
  iccid: string | null
  started_at: Date | string
  ended_at: Date | string | null
  verdict: string
  status: string
  station: string | null
  digest: string | null
  simulated: boolean
  steps: Array<{ id: string; title: string; verdict: string; cause: string | null }> | string | null
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString()
}

function toEntry(row: RunRow): IndexEntry {
  const steps = typeof row.steps === 'string' ? (JSON.parse(row.steps) as RunRow['steps']) : row.steps
  const entry: IndexEntry = {
    id: row.id,
    file: row.file ?? '',
    serial: row.serial,
    imei: row.imei ?? undefined,
    iccid: row.iccid ?? undefined,
    startedAt: iso(row.started_at),
    endedAt: row.ended_at ? iso(row.ended_at) : undefined,
    verdict: row.verdict,
    status: row.status,
    station: row.station ?? undefined,
    digest: row.digest ?? undefined,
    simulated: row.simulated,
    steps: (Array.isArray(steps) ? steps : []).map((s) => ({ id: s.id, title: s.title, verdict: s.verdict, cause: s.cause ?? undefined })),
  }
  return entry
}

const ENTRY_SELECT = `SELECT r.id, r.file, r.serial, r.imei, r.iccid, r.started_at, r.ended_at, r.verdict, r.status, r.station, r.digest, r.simulated,
  coalesce((SELECT json_agg(json_build_object('id', s.step_id, 'title', s.title, 'verdict', s.verdict, 'cause', s.cause) ORDER BY s.ordinal) FROM step s WHERE s.run_id = r.id), '[]') AS steps
  FROM run r`

/** Runs of the units matching the query (exact, case-insensitive on serial, IMEI or ICCID), oldest first; simulated runs only when asked. Same answer as `findRuns` over the file index. */
export async function findRunsSql(sql: Sql, query: UnitQuery): Promise<IndexEntry[]> {
  const keys: string[] = []
  const where: string[] = []
  const add = (column: string, value: string | undefined) => {
    if (value === undefined || !value.trim()) return
    keys.push(value.trim().toLowerCase())
    where.push(`lower(r.${column}) = $${keys.length}`)
  }
  add('serial', query.serial)
  add('imei', query.imei)
  add('iccid', query.iccid)
  if (query.any !== undefined) for (const column of ['serial', 'imei', 'iccid']) add(column, query.any)
  if (!where.length) return []
  const simulated = query.includeSimulated === true ? '' : ' AND NOT r.simulated'
  const { rows } = await sql.query<RunRow>(`${ENTRY_SELECT} WHERE (${where.join(' OR ')})${simulated} ORDER BY r.started_at, r.id`, keys)
  return rows.map(toEntry)
}

/** Runs whose serial, IMEI or ICCID contains `text` (any case), newest first, without their steps; simulated only when asked. */
export async function searchRunsSql(sql: Sql, text: string | undefined, includeSimulated: boolean, limit = 5000): Promise<IndexEntry[]> {
  const q = text?.trim().toLowerCase()
  const params: unknown[] = [limit]
  let where = includeSimulated ? 'true' : 'NOT r.simulated'
  if (q) {
    params.push(`%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`)
    where += ` AND (lower(r.serial) LIKE $2 OR lower(r.imei) LIKE $2 OR lower(r.iccid) LIKE $2)`
  }
  const { rows } = await sql.query<RunRow>(
    `SELECT r.id, r.file, r.serial, r.imei, r.iccid, r.started_at, r.ended_at, r.verdict, r.status, r.station, r.digest, r.simulated, NULL AS steps
     FROM run r WHERE ${where} ORDER BY r.started_at DESC, r.id DESC LIMIT $1`,
    params,
  )
  return rows.map(toEntry)
}

/** The run with this id, or undefined. */
export async function runById(sql: Sql, id: string): Promise<IndexEntry | undefined> {
  const { rows } = await sql.query<RunRow>(`${ENTRY_SELECT} WHERE r.id = $1`, [id])
  return rows[0] ? toEntry(rows[0]) : undefined
}

/** Files the index knows, with their run ids. */
export async function indexedFiles(sql: Sql): Promise<Map<string, string>> {
  const { rows } = await sql.query<{ id: string; file: string }>('SELECT id, file FROM run WHERE file IS NOT NULL')
  return new Map(rows.map((r) => [r.file, r.id]))
}
