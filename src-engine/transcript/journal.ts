/** Append-only on-disk journal of console traffic: one JSON object per line, bytes kept exactly. */
import { closeSync, fdatasyncSync, openSync, readFileSync, writeSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

/** One journal line: `t` ms since the journal opened, `at` wall-clock ISO on the first line only. */
export interface JournalLine {
  t: number
  d: 'rx' | 'tx' | 'kmsg' | 'note' | 'open'
  /** Payload; rx/tx as latin1 so every byte value round-trips through JSON. */
  x: string
  at?: string
}

/** Options of the journal writer. */
export interface JournalOptions {
  /** Longest gap (ms) between a write and its fdatasync; 0 syncs every write. */
  syncIntervalMs?: number
}

/** Writes journal lines as they happen; trusts the caller to call close() (an unclosed journal is still readable). */
export class JournalWriter {
  private fd: number | null
  private syncTimer: NodeJS.Timeout | null = null
  private readonly started = performance.now()
  private readonly syncIntervalMs: number

  constructor(
    readonly path: string,
    options: JournalOptions = {},
  ) {
    this.syncIntervalMs = options.syncIntervalMs ?? 1000
    mkdirSync(dirname(path), { recursive: true })
    this.fd = openSync(path, 'a')
    this.append({ t: 0, d: 'open', x: '', at: new Date().toISOString() })
  }

  /** Appends one record now; bytes are written with a synchronous write so a crash after return loses nothing the OS holds. */
  append(line: JournalLine): void {
    if (this.fd === null) return
    writeSync(this.fd, JSON.stringify(line) + '\n')
    if (this.syncIntervalMs === 0) fdatasyncSync(this.fd)
    else if (!this.syncTimer) {
      this.syncTimer = setTimeout(() => this.sync(), this.syncIntervalMs)
      this.syncTimer.unref()
    }
  }

  /** Milliseconds since the journal opened. */
  elapsed(): number {
    return Math.round((performance.now() - this.started) * 10) / 10
  }

  /** Flushes to the disk now (called on link loss and close). */
  sync(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer)
    this.syncTimer = null
    if (this.fd !== null) fdatasyncSync(this.fd)
  }

  close(): void {
    if (this.fd === null) return
    this.sync()
    closeSync(this.fd)
    this.fd = null
  }
}

/** Reads a journal back, skipping a torn last line or any line that is not a journal record. */
export function readJournal(path: string): JournalLine[] {
  const lines: JournalLine[] = []
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    if (!raw.trim()) continue
    try {
      const v = JSON.parse(raw) as JournalLine
      if (typeof v.t === 'number' && typeof v.d === 'string' && typeof v.x === 'string') lines.push(v)
    } catch {
      continue
    }
  }
  return lines
}
