import { mkdir, readdir, readFile, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { isSimulated, type RunRecord } from '@shared/record'
import { failureCode } from './ledger'
import { withFileLock } from './lockfile'
import { writeFileAtomicAsync } from '../files/atomic'

/** One run in the results index: identity, outcome and per-step verdicts, enough for lookups and yield. */
export interface IndexEntry {
  id: string
  /** Record JSON path relative to the results folder. */
  file: string
  serial: string
  imei?: string
  iccid?: string
  startedAt: string
  endedAt?: string
  verdict: string
  status: string
  station?: string
  digest?: string
  /** Made on the virtual board: left out of yield and history unless asked. */
  simulated?: boolean
  steps: Array<{ id: string; title: string; verdict: string; cause?: string }>
}

/** The results index file: `index.json` in the results folder. */
export interface ResultsIndex {
  version: 1
  entries: IndexEntry[]
}

/** Index entry of a record stored at `file` (relative to the results folder). Pure. */
export function indexEntry(record: RunRecord, file: string): IndexEntry {
  return {
    id: record.id,
    file,
    serial: record.unit?.serial ?? '',
    imei: record.unit?.imei,
    iccid: record.unit?.iccid,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    verdict: record.verdict,
    status: record.status,
    station: record.station?.id,
    digest: record.digest,
    simulated: isSimulated(record),
    steps: (record.steps ?? []).map((s) => ({
      id: s.id,
      title: s.title,
      verdict: s.verdict,
      cause: s.verdict === 'fail' || s.verdict === 'error' || s.verdict === 'aborted' ? failureCode(s) : undefined,
    })),
  }
}

/** Sub-folders of a results folder that hold no records of their own: exported copies and the support desk's records. */
export const NOT_RECORD_FOLDERS: ReadonlySet<string> = new Set(['exports', 'support'])

/** Whether parsed JSON has the shape of a run record (id, start, steps, unit); trusts nothing else in it. */
export function looksLikeRecord(value: unknown): value is RunRecord {
  const v = value as RunRecord
  return !!v && typeof v === 'object' && typeof v.id === 'string' && typeof v.startedAt === 'string' && Array.isArray(v.steps) && typeof v.unit === 'object'
}

/** Record JSON files in a results folder, `depth` levels deep, leaving out index.json, hidden folders and NOT_RECORD_FOLDERS. */
export async function listRecordFiles(dir: string, depth: number): Promise<string[]> {
  let names: import('node:fs').Dirent[]
  try {
    names = await readdir(dir, { withFileTypes: true })
  } catch {
    return []
  }
  const out: string[] = []
  for (const d of names) {
    const path = join(dir, d.name)
    if (d.isDirectory() && depth > 0 && !NOT_RECORD_FOLDERS.has(d.name) && !d.name.startsWith('.')) out.push(...(await listRecordFiles(path, depth - 1)))
    else if (d.isFile() && d.name.endsWith('.json') && d.name !== 'index.json') out.push(path)
  }
  return out
}

/** Rebuilds the index by reading every record JSON in the folder (two levels deep); unreadable files are skipped and named. */
export async function scanResults(dir: string): Promise<{ index: ResultsIndex; skipped: string[] }> {
  const entries: IndexEntry[] = []
  const skipped: string[] = []
  for (const path of await listRecordFiles(dir, 2)) {
    try {
      const value: unknown = JSON.parse(await readFile(path, 'utf8'))
      if (looksLikeRecord(value)) entries.push(indexEntry(value, relative(dir, path)))
    } catch {
      skipped.push(relative(dir, path))
    }
  }
  return { index: { version: 1, entries: sortEntries(entries) }, skipped }
}

function sortEntries(entries: IndexEntry[]): IndexEntry[] {
  return [...entries].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id))
}

/** Whether a path is an existing folder. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

/** Reads `index.json`, rebuilding (and saving) it from the record files when missing or damaged; a missing folder gives an empty index and creates nothing. */
export async function loadIndex(dir: string): Promise<ResultsIndex> {
  try {
    const value = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as ResultsIndex
    if (value && value.version === 1 && Array.isArray(value.entries)) return value
  } catch {
    /* rebuilt below */
  }
  const { index } = await scanResults(dir)
  if (!(await isDirectory(dir))) return index
  await withFileLock(join(dir, 'index.json.lock'), () => writeFileAtomicAsync(join(dir, 'index.json'), JSON.stringify(index, null, 1) + '\n'))
  return index
}

/** Adds (or replaces, by record id) one entry in `index.json` under a lock, writing the file atomically. */
export async function addToIndex(dir: string, entry: IndexEntry): Promise<void> {
  await mkdir(dir, { recursive: true })
  await withFileLock(join(dir, 'index.json.lock'), async () => {
    let index: ResultsIndex
    try {
      index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as ResultsIndex
      if (!index || index.version !== 1 || !Array.isArray(index.entries)) throw new Error('damaged')
    } catch {
      index = (await scanResults(dir)).index
    }
    const entries = index.entries.filter((e) => e.id !== entry.id)
    entries.push(entry)
    await writeFileAtomicAsync(join(dir, 'index.json'), JSON.stringify({ version: 1, entries: sortEntries(entries) }, null, 1) + '\n')
  })
}

/** What to look a unit up by; `any` matches serial, IMEI or ICCID. */
export interface UnitQuery {
  serial?: string
  imei?: string
  iccid?: string
  any?: string
  /** Include runs made on the virtual board (left out by default). */
  includeSimulated?: boolean
}

/** Runs of the units matching the query, oldest first; exact, case-insensitive match on the ids. Pure. */
export function findRuns(index: ResultsIndex, query: UnitQuery): IndexEntry[] {
  const eq = (a: string | undefined, b: string | undefined) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase()
  return index.entries.filter(
    (e) =>
      (query.includeSimulated === true || !e.simulated) &&
      ((query.serial !== undefined && eq(e.serial, query.serial)) ||
      (query.imei !== undefined && eq(e.imei, query.imei)) ||
      (query.iccid !== undefined && eq(e.iccid, query.iccid)) ||
      (query.any !== undefined && (eq(e.serial, query.any) || eq(e.imei, query.any) || eq(e.iccid, query.any)))),
  )
}
