/** The run journal: one JSON line per event, appended as it happens, so a crash loses nothing already measured. */
import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { RunRecord, StepAttempt, TranscriptEntry, UnitIdentity } from '@shared/record'

/** One journal line. */
export type JournalEvent =
  | { k: 'start'; pid: number; host: string; record: RunRecord }
  | { k: 'unit'; unit: UnitIdentity }
  | { k: 'step-start'; id: string; attempt: number; startedAt: string }
  | { k: 'step-end'; id: string; attempt: StepAttempt }
  | { k: 'transcript'; entries: TranscriptEntry[] }
  | { k: 'end'; status: RunRecord['status']; endedAt?: string }

/** Journal file name of a run. */
export function journalFileName(runId: string): string {
  return `${runId}.journal.jsonl`
}

/** An open journal; each event is written with one write(2) and step boundaries are fsynced. */
export class RunJournal {
  private fd: number | undefined

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd
  }

  /** Creates `DIR/<run id>.journal.jsonl` and writes the start event holding the record's header. */
  static create(dir: string, record: RunRecord): RunJournal {
    const path = join(dir, journalFileName(record.id))
    const journal = new RunJournal(path, openSync(path, 'wx', 0o644))
    journal.append({ k: 'start', pid: process.pid, host: hostname(), record: { ...record, transcript: [] } }, true)
    return journal
  }

  /** Appends an event; `sync` forces it to the disk. Silently ignored once closed. */
  append(event: JournalEvent, sync = false): void {
    if (this.fd === undefined) return
    const bytes = Buffer.from(JSON.stringify(event) + '\n', 'utf8')
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done)
    if (sync) fsyncSync(this.fd)
  }

  /** Deletes the journal file (after the final record is safely written). */
  remove(): void {
    this.close()
    try {
      unlinkSync(this.path)
    } catch {
      /* already gone */
    }
  }

  close(): void {
    if (this.fd === undefined) return
    fsyncSync(this.fd)
    closeSync(this.fd)
    this.fd = undefined
  }
}
