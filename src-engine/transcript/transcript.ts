/** The console transcript: every byte both ways, time-stamped, journaled to disk, kernel lines as their own channel. */
import type { TranscriptEntry } from '@shared/record'
import { ConsoleTextCleaner, type CleanedText } from './console-text'
import { JournalWriter } from './journal'
import { secretMasker } from '../secrets/mask'

/** Options of a transcript. */
export interface TranscriptOptions {
  /** Journal file (JSONL) appended as traffic happens; none when omitted. */
  journalPath?: string
  /** Longest delay before the journal is fdatasync'ed (ms). */
  syncIntervalMs?: number
  /** In-memory entries kept for exports (oldest dropped first; the journal keeps everything). */
  maxEntries?: number
  /** In-memory text kept for exports, in characters (oldest entries dropped first; the journal keeps everything). */
  maxChars?: number
}

const MERGE_LIMIT = 4096

/** A flat copy of `text` that holds no reference to the larger strings it was sliced or concatenated from; taken once per entry, when the next one starts. */
function ownCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8')
}

/** Records console traffic; exports are always masked with the registered secrets. */
export class Transcript {
  private readonly list: TranscriptEntry[] = []
  private readonly secrets = new Set<string>()
  private mask = secretMasker([])
  private maskLatin1Text = secretMasker([])
  private readonly journal: JournalWriter | null
  private readonly started = performance.now()
  private readonly rxDecoder = new TextDecoder('utf-8')
  private readonly txDecoder = new TextDecoder('utf-8')
  private readonly rxCleaner = new ConsoleTextCleaner()
  private readonly listeners = new Set<(entry: TranscriptEntry) => void>()
  private readonly maxEntries: number
  private readonly maxChars: number
  private chars = 0
  private dropped = 0
  private redaction: { label: string; depth: number; sent: number; received: number } | null = null

  constructor(options: TranscriptOptions = {}) {
    this.journal = options.journalPath ? new JournalWriter(options.journalPath, { syncIntervalMs: options.syncIntervalMs }) : null
    this.maxEntries = options.maxEntries ?? 200_000
    this.maxChars = options.maxChars ?? 16 * 1024 * 1024
  }

  /** Path of the journal file, if any. */
  get journalPath(): string | undefined {
    return this.journal?.path
  }

  /** Records bytes received from (`rx`) or sent to (`tx`) the board. */
  record(dir: 'rx' | 'tx', bytes: Uint8Array): void {
    const t = this.now()
    if (this.redaction) {
      this.keepKernelOnly(t, dir, bytes)
      return
    }
    this.journal?.append({ t, d: dir, x: this.maskLatin1(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')) })
    if (dir === 'tx') {
      this.add({ t, dir, text: this.txDecoder.decode(bytes, { stream: true }) })
      return
    }
    this.addCleaned(t, this.rxCleaner.push(this.rxDecoder.decode(bytes, { stream: true })))
  }

  /** Releases text the kernel-line splitter held back (call when the console has been quiet). */
  flush(): void {
    this.addCleaned(this.now(), this.rxCleaner.flush())
  }

  /** Adds an annotation (step start, reconnect...) to the transcript. */
  note(text: string): void {
    const t = this.now()
    this.journal?.append({ t, d: 'note', x: this.mask(text) })
    this.add({ t, dir: 'note', text })
  }

  /** Starts a span (`label`, e.g. `secret file /etc/ppp/peers/quectel-pppd`) whose console bytes are counted but never kept, journaled or shown; `null` ends it with a note of what was hidden. Kernel lines are still kept. */
  redact(label: string | null): void {
    if (label !== null) {
      if (this.redaction) {
        this.redaction.depth++
        return
      }
      this.flush()
      this.redaction = { label, depth: 1, sent: 0, received: 0 }
      this.note(`${label}: payload not recorded`)
      return
    }
    const open = this.redaction
    if (!open || --open.depth > 0) return
    this.keepKernelOnly(this.now(), 'rx', new Uint8Array(0), true)
    this.redaction = null
    this.note(`${open.label}: ${open.sent} bytes sent and ${open.received} received, not recorded`)
  }

  /** Registers a value that must never appear in an export (the PPP password): masked where pppd and the PPP scripts print it, and everywhere when it is distinctive (see mask.ts). */
  addSecret(secret: string): void {
    if (secret.length === 0 || this.secrets.has(secret)) return
    this.secrets.add(secret)
    this.mask = secretMasker(this.secrets)
    this.maskLatin1Text = secretMasker([...this.secrets].map((s) => Buffer.from(s, 'utf8').toString('latin1')))
  }

  /** Masks `text` with this transcript's secrets (the one masker), for text assembled from several entries. */
  maskText(text: string): string {
    return this.mask(text)
  }

  /** Subscribes to new entries as they are recorded (masked); returns the unsubscribe function. */
  onEntry(listener: (entry: TranscriptEntry) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** All entries kept in memory, masked, adjacent same-direction chunks merged. */
  entries(): TranscriptEntry[] {
    return this.list.map((e) => ({ ...e, text: this.mask(e.text) }))
  }

  /** The last `chars` characters of received text (kernel lines included in order), masked; for error context. */
  tail(chars = 2000): string {
    const parts: string[] = []
    let size = 0
    for (let i = this.list.length - 1; i >= 0 && size < chars; i--) {
      const e = this.list[i]
      if (e.dir === 'tx') continue
      const text = e.dir === 'kmsg' ? e.text + '\n' : e.text
      parts.unshift(text)
      size += text.length
    }
    return this.mask(parts.join('')).slice(-chars)
  }

  /** Count of entries dropped from memory because of `maxEntries` or `maxChars` (the journal still has them). */
  get droppedEntries(): number {
    return this.dropped
  }

  /** Forces the journal to disk now. */
  sync(): void {
    this.journal?.sync()
  }

  close(): void {
    this.flush()
    this.journal?.close()
  }

  private keepKernelOnly(t: number, dir: 'rx' | 'tx', bytes: Uint8Array, end = false): void {
    const open = this.redaction as NonNullable<Transcript['redaction']>
    if (dir === 'tx') {
      open.sent += bytes.length
      this.txDecoder.decode(bytes, { stream: true })
      return
    }
    open.received += bytes.length
    const pushed = this.rxCleaner.push(this.rxDecoder.decode(bytes, { stream: !end }))
    const segments = end ? [...pushed.segments, ...this.rxCleaner.flush().segments] : pushed.segments
    this.addCleaned(t, { ...pushed, segments: segments.filter((segment) => segment.kind !== 'text') })
  }

  private addCleaned(t: number, cleaned: CleanedText): void {
    for (const segment of cleaned.segments) {
      if (segment.kind === 'text') {
        this.add({ t, dir: 'rx', text: segment.text })
        continue
      }
      this.journal?.append({ t, d: 'kmsg', x: this.mask(segment.text) })
      this.add({ t, dir: 'kmsg', text: segment.text })
    }
  }

  private add(entry: TranscriptEntry): void {
    if (!entry.text) return
    const last = this.list[this.list.length - 1]
    if (last && last.dir === entry.dir && entry.dir !== 'kmsg' && entry.dir !== 'note' && last.text.length < MERGE_LIMIT) last.text += entry.text
    else {
      if (last) last.text = ownCopy(last.text)
      this.list.push({ ...entry })
    }
    this.chars += entry.text.length
    while (this.list.length > 1 && (this.list.length > this.maxEntries || this.chars > this.maxChars)) {
      this.chars -= (this.list.shift() as TranscriptEntry).text.length
      this.dropped++
    }
    if (this.listeners.size) {
      const masked = { ...entry, text: this.mask(entry.text) }
      for (const listener of this.listeners) listener(masked)
    }
  }

  private maskLatin1(latin1: string): string {
    return this.secrets.size ? this.maskLatin1Text(latin1) : latin1
  }

  private now(): number {
    return Math.round((performance.now() - this.started) * 10) / 10
  }
}
