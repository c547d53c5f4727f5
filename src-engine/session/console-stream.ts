/** The session's view of received bytes: cleaned text in a buffer, condition waits, kernel lines and faults. */
import { ConsoleTextCleaner } from '../transcript/console-text'
import { kernelLineFault, textLineFault, type ConsoleFault } from './faults'

const IDLE_FLUSH_MS = 40
const RESCAN_OVERLAP = 512

/** Hooks the stream calls as text arrives. */
export interface ConsoleStreamHooks {
  kernel?: (line: string) => void
  fault?: (fault: ConsoleFault) => void
  /** Called after cleaned text was added to the buffer. */
  text?: () => void
}

interface Waiter {
  pattern: RegExp
  from: number
  scanned: number
  resolve: (m: RegExpExecArray) => void
  reject: (e: Error) => void
  timer: NodeJS.Timeout
}

/** Text nobody waits for is only recent context: past UNWATCHED_MAX characters, the newest UNWATCHED_KEEP are kept. */
const UNWATCHED_MAX = 1024 * 1024
const UNWATCHED_KEEP = 256 * 1024

/** Accumulates cleaned console text and resolves waits on patterns; trusts no chunk boundary. */
export class ConsoleStream {
  /** Cleaned text since the last consume(). */
  buffer = ''
  /** performance.now() of the last received byte. */
  lastRxAt = performance.now()
  private readonly decoder = new TextDecoder('utf-8')
  private readonly cleaner = new ConsoleTextCleaner()
  private readonly waiters = new Set<Waiter>()
  private readonly quietWaiters = new Set<() => void>()
  private partialLine = ''
  private idleTimer: NodeJS.Timeout | null = null
  private failure: Error | null = null

  constructor(private readonly hooks: ConsoleStreamHooks = {}) {}

  /** Kernel-stamped lines at a line start stay in the text (for commands such as `dmesg`). */
  set keepLineStartKernel(value: boolean) {
    this.cleaner.keepLineStartKernel = value
  }

  /** CR stays in the text (while a modem's bytes pass through). */
  set keepCarriageReturn(value: boolean) {
    this.cleaner.keepCarriageReturn = value
  }

  /** Feeds received bytes. */
  push(chunk: Uint8Array): void {
    this.lastRxAt = performance.now()
    this.accept(this.cleaner.push(this.decoder.decode(chunk, { stream: true })))
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
    if (this.cleaner.pending) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null
        this.accept(this.cleaner.flush())
      }, IDLE_FLUSH_MS)
      this.idleTimer.unref()
    }
    for (const wake of [...this.quietWaiters]) wake()
  }

  /** Drops the first `count` characters of the buffer (already handled). */
  consume(count: number): void {
    this.buffer = this.buffer.slice(count)
    for (const w of this.waiters) {
      w.from = Math.max(0, w.from - count)
      w.scanned = Math.max(0, w.scanned - count)
    }
  }

  /** Makes every pending and future wait reject with `error` until clearFailure(). */
  fail(error: Error): void {
    this.failure = error
    for (const w of [...this.waiters]) this.finish(w, undefined, error)
  }

  clearFailure(): void {
    this.failure = null
  }

  /** Resolves with the first match of `pattern` in the buffer at or after `from`; rejects on timeout or failure. */
  waitFor(pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpExecArray> {
    if (this.failure) return Promise.reject(this.failure)
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g')
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        pattern: global,
        from,
        scanned: from,
        resolve,
        reject,
        timer: setTimeout(() => this.finish(waiter, undefined, new WaitTimeout(pattern, timeoutMs)), Math.max(0, timeoutMs)),
      }
      this.waiters.add(waiter)
      this.check(waiter)
    })
  }

  /** Resolves true once nothing has arrived for `quietMs` (counted from the call at the earliest), or false if data keeps flowing for `maxMs`. */
  waitQuiet(quietMs: number, maxMs: number): Promise<boolean> {
    if (this.failure) return Promise.reject(this.failure)
    const started = performance.now()
    const since = () => Math.max(this.lastRxAt, started)
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout
      const done = (value: boolean | Error) => {
        clearTimeout(timer)
        this.quietWaiters.delete(arm)
        if (value instanceof Error) reject(value)
        else resolve(value)
      }
      const arm = () => {
        clearTimeout(timer)
        if (this.failure) return done(this.failure)
        const now = performance.now()
        if (now - started >= maxMs) return done(false)
        const wait = Math.min(quietMs - (now - since()), maxMs - (now - started))
        if (wait <= 0) return done(now - since() >= quietMs)
        timer = setTimeout(arm, wait)
      }
      this.quietWaiters.add(arm)
      arm()
    })
  }

  private accept(cleaned: { text: string; kernel: string[] }): void {
    for (const line of cleaned.kernel) {
      this.hooks.kernel?.(line)
      const fault = kernelLineFault(line)
      if (fault) this.hooks.fault?.(fault)
    }
    if (!cleaned.text) return
    this.buffer += cleaned.text
    if (this.waiters.size === 0 && this.buffer.length > UNWATCHED_MAX) this.buffer = this.buffer.slice(-UNWATCHED_KEEP)
    const lines = (this.partialLine + cleaned.text).split('\n')
    this.partialLine = lines.pop() ?? ''
    if (this.partialLine.length > 4096) this.partialLine = this.partialLine.slice(-4096)
    for (const line of lines) {
      const fault = textLineFault(line)
      if (fault) this.hooks.fault?.(fault)
    }
    for (const w of [...this.waiters]) this.check(w)
    this.hooks.text?.()
  }

  private check(w: Waiter): void {
    w.pattern.lastIndex = Math.max(w.from, w.scanned - RESCAN_OVERLAP)
    const m = w.pattern.exec(this.buffer)
    w.scanned = this.buffer.length
    if (m) this.finish(w, m)
  }

  private finish(w: Waiter, match?: RegExpExecArray, error?: Error): void {
    if (!this.waiters.delete(w)) return
    clearTimeout(w.timer)
    if (match) w.resolve(match)
    else w.reject(error ?? new Error('wait ended'))
  }
}

/** A wait ran out of time. */
export class WaitTimeout extends Error {
  override name = 'WaitTimeout'
  constructor(
    readonly pattern: RegExp,
    readonly timeoutMs: number,
  ) {
    super(`Nothing matched ${pattern} within ${timeoutMs} ms`)
  }
}
