import { appendFile, mkdir, open, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { isSimulated, type Measurement, type RunRecord, type StepRecord } from '@shared/record'
import { sha256Hex } from './canonical'
import { csvField, parseCsv } from './csv'
import { sealedRecord } from './json'
import { withFileLock, type LockOptions } from './lockfile'
import { spanMs } from './format'

/** Ledger columns, in order; the last is the row seal (SHA-256 of the row text before it). */
export const LEDGER_COLUMNS = [
  'started_at',
  'ended_at',
  'serial',
  'imei',
  'iccid',
  'verdict',
  'status',
  'simulated',
  'station',
  'technician',
  'profile',
  'duration_s',
  'failed_steps',
  'failure_codes',
  'signal_dbm',
  'ecm_loss_pct',
  'ecm_rtt_ms',
  'rndis_loss_pct',
  'rndis_rtt_ms',
  'ppp_loss_pct',
  'ppp_rtt_ms',
  'record_id',
  'record_digest',
  'row_seal',
] as const

/** The ledger's header line, with its newline. */
export const LEDGER_HEADER = LEDGER_COLUMNS.join(',') + '\n'

function measurement(steps: StepRecord[], match: (step: StepRecord, m: Measurement) => boolean): Measurement['value'] | undefined {
  for (const step of steps) {
    const last = step.attempts[step.attempts.length - 1]
    for (const m of last?.measurements ?? []) if (match(step, m)) return m.value
  }
  return undefined
}

function modeFigures(steps: StepRecord[], mode: string): [unknown, unknown] {
  const net = steps.filter((s) => s.id === `${mode}.net`)
  return [measurement(net, (_s, m) => m.unit === '%'), measurement(net, (_s, m) => m.unit === 'ms' && /rtt|round|avg/i.test(m.name))]
}

/** Failure cause code of a step: its remediation code, else its error code, else `<step>:<verdict>`. */
export function failureCode(step: StepRecord): string {
  const last = step.attempts[step.attempts.length - 1]
  return last?.remediation?.code ?? last?.error?.code ?? `${step.id}:${step.verdict}`
}

/** One sealed ledger line (with newline) for a record; secrets masked, the record digest in its own column. Pure. */
export function renderLedgerRow(record: RunRecord): string {
  const r = sealedRecord(record)
  const steps = Array.isArray(r.steps) ? r.steps : []
  const bad = steps.filter((s) => s.verdict === 'fail' || s.verdict === 'error' || s.verdict === 'aborted')
  const duration = spanMs(r.startedAt, r.endedAt)
  const fields: unknown[] = [
    r.startedAt,
    r.endedAt,
    r.unit?.serial,
    r.unit?.imei,
    r.unit?.iccid,
    r.verdict,
    r.status,
    isSimulated(r) ? 'SIMULATED' : '',
    r.station?.id,
    r.station?.operator,
    r.profile?.name,
    duration === undefined ? '' : (duration / 1000).toFixed(1),
    bad.map((s) => s.id).join(' '),
    [...new Set(bad.map(failureCode))].join(' '),
    measurement(steps, (_s, m) => m.unit === 'dBm'),
    ...modeFigures(steps, 'ecm'),
    ...modeFigures(steps, 'rndis'),
    ...modeFigures(steps, 'ppp'),
    r.id,
    r.digest,
  ]
  const body = fields.map((f) => csvField(typeof f === 'string' ? f.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD') : f)).join(',') + ','
  return `${body}${sha256Hex(body)}\n`
}

/** Checks one ledger line (without newline): whether its seal matches the text before it. */
export function ledgerRowIntact(line: string): boolean {
  const cut = line.lastIndexOf(',')
  if (cut < 0) return false
  return sha256Hex(line.slice(0, cut + 1)) === line.slice(cut + 1)
}

/** What appending found and did. */
export interface LedgerAppend {
  file: string
  /** Bytes of a torn last line that were moved to `<file>.torn` before appending. */
  repairedBytes: number
}

async function repairTornTail(file: string): Promise<number> {
  const handle = await open(file, 'a+')
  try {
    const { size } = await handle.stat()
    if (size === 0) return 0
    const last = Buffer.alloc(1)
    await handle.read(last, 0, 1, size - 1)
    if (last[0] === 0x0a) return 0
    let position = size
    let cut = -1
    const chunk = Buffer.alloc(65536)
    while (position > 0 && cut < 0) {
      const length = Math.min(chunk.length, position)
      position -= length
      await handle.read(chunk, 0, length, position)
      const index = chunk.subarray(0, length).lastIndexOf(0x0a)
      if (index >= 0) cut = position + index + 1
    }
    const keep = cut < 0 ? 0 : cut
    const torn = Buffer.alloc(size - keep)
    await handle.read(torn, 0, torn.length, keep)
    await appendFile(`${file}.torn`, Buffer.concat([Buffer.from(`# torn line removed ${new Date().toISOString()}\n`), torn, Buffer.from('\n')]))
    await handle.truncate(keep)
    return torn.length
  } finally {
    await handle.close()
  }
}

/** Appends one row per record to the station ledger, under `<file>.lock`: writes the header to a new file, moves a torn last line (crash mid-write) to `<file>.torn`, then writes the whole line in one O_APPEND write and fsyncs. */
export async function appendLedger(file: string, record: RunRecord, options: LockOptions = {}): Promise<LedgerAppend> {
  const line = renderLedgerRow(record)
  await mkdir(dirname(file), { recursive: true })
  return withFileLock(
    `${file}.lock`,
    async () => {
      const repairedBytes = await repairTornTail(file)
      const handle = await open(file, 'a+')
      try {
        const { size } = await handle.stat()
        if (size > 0) {
          const head = Buffer.alloc(Math.min(size, LEDGER_HEADER.length))
          await handle.read(head, 0, head.length, 0)
          if (head.toString('utf8') !== LEDGER_HEADER) throw new Error(`${file} is not a k230-bringup ledger with the current columns (first line differs); move it aside and run again`)
        }
        await handle.write(size === 0 ? LEDGER_HEADER + line : line)
        await handle.sync()
      } finally {
        await handle.close()
      }
      return { file, repairedBytes }
    },
    options,
  )
}

/** A ledger read back: rows as objects keyed by column, plus any damage found. */
export interface LedgerContents {
  rows: Array<Record<(typeof LEDGER_COLUMNS)[number], string>>
  /** 1-based line numbers of rows whose seal does not match. */
  alteredLines: number[]
  /** A last line without its newline (a crash mid-write), if any. */
  tornTail?: string
  headerOk: boolean
}

/** Parses a ledger file and checks every row's seal; trusts nothing in the file. */
export async function readLedger(file: string): Promise<LedgerContents> {
  return parseLedger(await readFile(file, 'utf8'))
}

/** Parses ledger text (see readLedger). Pure. */
export function parseLedger(text: string): LedgerContents {
  const headerOk = text.startsWith(LEDGER_HEADER)
  const lines = text.split('\n')
  const tornTail = text.endsWith('\n') || text === '' ? undefined : lines[lines.length - 1]
  const complete = text.endsWith('\n') ? lines.slice(0, -1) : lines.slice(0, -1)
  const alteredLines: number[] = []
  const rows: LedgerContents['rows'] = []
  complete.forEach((line, i) => {
    if (i === 0) return
    if (!ledgerRowIntact(line)) alteredLines.push(i + 1)
    const fields = parseCsv(line + '\n').rows[0] ?? []
    const row = {} as Record<(typeof LEDGER_COLUMNS)[number], string>
    LEDGER_COLUMNS.forEach((c, k) => (row[c] = fields[k] ?? ''))
    rows.push(row)
  })
  return { rows, alteredLines, tornTail, headerOk }
}
