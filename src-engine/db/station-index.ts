import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { withFileLock } from '../report/lockfile'
import { join, relative } from 'node:path'
import type { RunRecord } from '@shared/record'
import { listRecordFiles, looksLikeRecord, type IndexEntry, type UnitQuery } from '../report/results-index'
import type { YieldSummary } from '../report/yield'
import { openPglite } from './pglite'
import { findRunsSql, indexedFiles, runById, searchRunsSql, storeRecord } from './records'
import { migrate } from './schema'
import { enqueue, outboxItems, type OutboxItem } from './outbox'
import type { Sql } from './sql'
import { yieldSql } from './yield-sql'

/** Folder of the station's embedded database inside the results folder. */
export const STATION_DB_DIR = '.k230-db'

/** Sub-folders of a results folder that hold no records of it: exports, and the support desk's own results folder. */

/** What a refresh did: records added, records whose files vanished, files that could not be read. */
export interface RefreshResult {
  added: number
  removed: number
  skipped: string[]
  /** The database was missing or damaged and was rebuilt from the record files. */
  rebuilt: boolean
}

/** The station's results index in PGlite: the record files stay the source of truth; the index is rebuilt from them when missing or damaged. */
/** A station index kept open under its lock file; `release` closes it and frees the lock. */
export interface HeldIndex {
  index: StationIndex
  release: () => Promise<void>
}

export class StationIndex {
  private constructor(
    readonly sql: Sql,
    readonly dir: string,
    private readonly rebuilt: boolean,
  ) {}

  /** Opens (creating, or rebuilding when damaged) the index of `resultsDir`, migrates it and brings it up to date with the record files. */
  static async open(resultsDir: string, options: { dataDir?: string | null } = {}): Promise<{ index: StationIndex; refresh: RefreshResult }> {
    const dataDir = options.dataDir === null ? undefined : (options.dataDir ?? join(resultsDir, STATION_DB_DIR))
    let rebuilt = false
    let sql: Sql | undefined
    try {
      if (dataDir && !(await exists(join(dataDir, 'PG_VERSION')))) rebuilt = true
      sql = await openPglite(dataDir)
      await migrate(sql)
      await sql.query('SELECT count(*) FROM run')
    } catch {
      await sql?.close().catch(() => undefined)
      if (!dataDir) throw new Error('embedded database could not start')
      await rename(dataDir, `${dataDir}.damaged-${Date.now()}`).catch(() => rm(dataDir, { recursive: true, force: true }))
      sql = await openPglite(dataDir)
      await migrate(sql)
      rebuilt = true
    }
    const index = new StationIndex(sql, resultsDir, rebuilt)
    return { index, refresh: await index.refresh() }
  }

  /** Opens the index of `resultsDir` under its lock file (one process at a time uses the embedded database), runs `fn`, and closes it; `rebuild` starts from the record files alone. */
  static async using<T>(resultsDir: string, fn: (index: StationIndex, refresh: RefreshResult) => Promise<T>, options: { rebuild?: boolean } = {}): Promise<T> {
    await mkdir(resultsDir, { recursive: true })
    return withFileLock(
      join(resultsDir, `${STATION_DB_DIR}.lock`),
      async () => {
        if (options.rebuild) await rm(join(resultsDir, STATION_DB_DIR), { recursive: true, force: true })
        const { index, refresh } = await StationIndex.open(resultsDir)
        try {
          return await fn(index, refresh)
        } finally {
          await index.close()
        }
      },
      { timeoutMs: 180_000 },
    )
  }

  /** Opens the index of `resultsDir` under its lock file and keeps both until `release` is called (the lock is held all that time). */
  static hold(resultsDir: string): Promise<HeldIndex> {
    return new Promise((resolveHeld, rejectHeld) => {
      let letGo = (): void => undefined
      const released = new Promise<void>((done) => (letGo = done))
      const closed: Promise<void> = StationIndex.using(resultsDir, async (index) => {
        resolveHeld({ index, release: () => (letGo(), closed) })
        await released
      }).catch((error: unknown) => rejectHeld(error))
    })
  }

  /** Indexes record files not yet in the index and drops runs whose file is gone; reads only the new files. */
  async refresh(): Promise<RefreshResult> {
    const known = await indexedFiles(this.sql)
    const files = (await listRecordFiles(this.dir, 2)).map((p) => relative(this.dir, p))
    const present = new Set(files)
    const skipped: string[] = []
    let added = 0
    for (const file of files) {
      if (known.has(file)) continue
      try {
        const value: unknown = JSON.parse(await readFile(join(this.dir, file), 'utf8'))
        if (!looksLikeRecord(value)) continue
        await storeRecord(this.sql, value, { file, replace: true })
        added++
      } catch {
        skipped.push(file)
      }
    }
    const gone = [...known.entries()].filter(([file]) => !present.has(file)).map(([, id]) => id)
    if (gone.length) await this.sql.query('DELETE FROM run WHERE id = ANY($1::text[])', [gone])
    await this.queueUnsent()
    return { added, removed: gone.length, skipped, rebuilt: this.rebuilt }
  }

  /** Adds (or replaces) one record stored at `file` (relative to the results folder) and puts its file text in the outbox. */
  async add(record: RunRecord, file: string): Promise<void> {
    await storeRecord(this.sql, record, { file, replace: true })
    await this.queueUnsent()
  }

  /** Puts every indexed run not yet in the outbox there, with its file's exact text (what the signature covers). */
  private async queueUnsent(): Promise<void> {
    const { rows } = await this.sql.query<{ id: string; file: string }>('SELECT r.id, r.file FROM run r LEFT JOIN outbox o ON o.run_id = r.id WHERE o.run_id IS NULL AND r.file IS NOT NULL ORDER BY r.started_at, r.id')
    for (const row of rows) {
      try {
        await enqueue(this.sql, row.id, await readFile(join(this.dir, row.file), 'utf8'))
      } catch {
        /* the file vanished since indexing: the next refresh drops the run */
      }
    }
  }

  /** What waits in the outbox (and, with `all`, what was delivered). */
  outbox(all = false): Promise<OutboxItem[]> {
    return outboxItems(this.sql, all)
  }

  /** Runs of one unit, as `history find` prints them. */
  find(query: UnitQuery): Promise<IndexEntry[]> {
    return findRunsSql(this.sql, query)
  }

  /** Runs matching a substring of serial, IMEI or ICCID, newest first. */
  search(text: string | undefined, includeSimulated: boolean): Promise<IndexEntry[]> {
    return searchRunsSql(this.sql, text, includeSimulated)
  }

  /** One run by id. */
  run(id: string): Promise<IndexEntry | undefined> {
    return runById(this.sql, id)
  }

  /** Yield summary over a range, computed in the database. */
  yield(range: { from?: string; to?: string; topCauses?: number; includeSimulated?: boolean } = {}): Promise<YieldSummary> {
    return yieldSql(this.sql, range)
  }

  /** Closes the database. */
  close(): Promise<void> {
    return this.sql.close()
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
