/** The live console: one connection (serial port or virtual board) shared by the terminal, the AT console and runs. */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import type { PortWatcher } from '@engine/link/index'
import { PortOpenError } from '@engine/link/index'
import type { ConsoleState, InvokeRequest } from '@shared/ipc'
import type { TranscriptEntry } from '@shared/record'
import { TextTail } from '@shared/text-tail'
import { connect, reconnect, type Console } from '@engine/console'
import { createVirtualBoard } from '@board/board'
import type { EventHub, SlotEventPayloads } from './events'
import { ServiceError } from './errors'
import { thrownDetail } from '@shared/thrown'

/** An open console plus the board time scale its waits run at (1 for a real board). */
export type Connection = Console & { timeScale: number }

/** Options for virtual boards opened by the app (tests pass a small time scale). */
export interface SimOptions {
  timeScale: number
  seed?: number
  /** Pace the virtual console at the baud rate (default true; soak and benches turn it off). */
  lineRate?: boolean
}

const MAX_SCROLLBACK = 2 * 1024 * 1024
const FLUSH_MS = 8
const BREAK_MS = 250
/** Longest text held back waiting for a line end before the console log writes it anyway. */
const LOG_LINE_MAX = 4096
/** How long an unplugged port is waited for before the console gives up reconnecting. */
const RECONNECT_WAIT_MS = 60 * 60 * 1000

/** Owns the connection; trusts targets already validated by the IPC schema. */
export class ConsoleService {
  private connection: Connection | null = null
  private closedByOperator = false
  private state: ConsoleState = { open: false }
  private unsubscribe: (() => void)[] = []
  private decoder = new TextDecoder()
  private pending = ''
  private flushTimer: ReturnType<typeof setTimeout> | null = null
  private readonly scrollback = new TextTail(MAX_SCROLLBACK)
  private opening: Promise<ConsoleState> | null = null
  private logStream: WriteStream | null = null
  private logPending = ''
  private logFile: string | undefined
  private reconnecting: AbortController | null = null

  constructor(
    private readonly events: EventHub<SlotEventPayloads>,
    private readonly journalDir: string,
    private readonly sim: SimOptions,
    private readonly isRunActive: () => boolean,
    private readonly isAtBusy: () => boolean = () => false,
    /** The port watcher used to see an unplugged adapter come back; without one the console does not reconnect. */
    private readonly watcher: () => Promise<PortWatcher | null> = async () => null,
  ) {}

  /** Connects to a port or a virtual board, closing any previous connection first. */
  async open(target: InvokeRequest<'console:open'>): Promise<ConsoleState> {
    if (this.isRunActive())
      throw ServiceError.keyed('busy', 'connectBusy')
    if (this.opening) await this.opening.catch(() => undefined)
    this.opening = this.doOpen(target)
    try {
      return await this.opening
    } finally {
      this.opening = null
    }
  }

  private async doOpen(target: InvokeRequest<'console:open'>): Promise<ConsoleState> {
    this.closedByOperator = true
    await this.closeNow()
    this.stopReconnecting()
    mkdirSync(this.journalDir, { recursive: true })
    const journalPath = join(
      this.journalDir,
      `console-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`,
    )
    const name = target.kind === 'sim' ? `virtual:${target.scenario}` : target.path
    try {
      const connection: Connection =
        target.kind === 'sim'
          ? await this.openSim(target.scenario, journalPath)
          : { ...(await connect({ port: target.path, baudRate: target.baud, journalPath })), timeScale: 1 }
      this.attach(connection, name)
      this.closedByOperator = false
    } catch (error) {
      const refused = error instanceof PortOpenError ? ServiceError.catalogued('connect-failed', error.keyed.key, error.keyed.params) : ServiceError.keyed('connect-failed', 'connectFailed', { ...thrownDetail(error), name })
      this.setState({
        open: false,
        target: name,
        baud: target.kind === 'port' ? target.baud : undefined,
        error: refused.message,
        errorKey: refused.key,
        errorParams: refused.params,
      })
      throw refused
    }
    return this.state
  }

  private async openSim(scenario: string, journalPath: string): Promise<Connection> {
    const board = createVirtualBoard({ scenario, timeScale: this.sim.timeScale, seed: this.sim.seed, lineRate: this.sim.lineRate })
    try {
      const opened = await connect({ board, journalPath })
      return {
        ...opened,
        timeScale: this.sim.timeScale,
        close: async () => {
          await opened.close()
          board.close()
        },
      }
    } catch (error) {
      board.close()
      throw error
    }
  }

  private attach(connection: Connection, name: string): void {
    this.connection = connection
    this.decoder = new TextDecoder()
    this.unsubscribe.push(connection.link.onData((chunk) => this.received(chunk)))
    this.unsubscribe.push(connection.transcript.onEntry((entry) => this.logEntry(entry, connection.transcript)))
    this.unsubscribe.push(
      connection.link.onClose((error) => {
        if (this.connection !== connection) return
        this.detach()
        const canReconnect = !!error && !!connection.identity
        const lost = error ? ServiceError.keyed('link-lost', 'linkLost', { ...thrownDetail(error), name }) : undefined
        this.setState({ open: false, target: name, baud: this.baudOf(connection), error: lost?.message, errorKey: lost?.key, errorParams: lost?.params, reconnecting: canReconnect || undefined })
        if (canReconnect) void this.reconnect(connection, name)
      }),
    )
    if (connection.identity) void this.watchForVanish(connection)
    this.setState({ open: true, target: name, baud: this.baudOf(connection) })
  }

  /** A port the system stops listing is an unplug even when the driver reports nothing (a hung-up PTY read as 0 bytes forever). */
  private async watchForVanish(connection: Connection): Promise<void> {
    const watcher = await this.watcher().catch(() => null)
    const path = connection.identity?.path
    if (!watcher || !path || this.connection !== connection) return
    this.unsubscribe.push(
      watcher.onChange((change) => {
        if (this.connection !== connection) return
        if (change.removed.some((p) => p.path === path) && !change.ports.some((p) => p.path === path)) void connection.link.lose?.('the port is no longer listed by the system')
      }),
    )
  }

  private baudOf(connection: Connection): number | undefined {
    return connection.identity ? connection.link.baudRate : undefined
  }

  /** Waits for the unplugged adapter to come back and opens it again on the same transcript, as picocom/tio do. */
  private async reconnect(previous: Connection, name: string): Promise<void> {
    const watcher = await this.watcher().catch(() => null)
    if (!watcher) return this.setState({ ...this.state, reconnecting: undefined })
    const controller = new AbortController()
    this.reconnecting = controller
    try {
      const next = await reconnect(previous, { watcher, timeoutMs: RECONNECT_WAIT_MS, signal: controller.signal })
      if (controller.signal.aborted || this.connection) {
        await next.close().catch(() => undefined)
        return
      }
      this.attach({ ...next, timeScale: 1 }, name)
    } catch (error) {
      if (!controller.signal.aborted) {
        const gone = ServiceError.keyed('reconnect-failed', 'reconnectFailed', { ...thrownDetail(error), name })
        this.setState({ open: false, target: name, baud: previous.link.baudRate, error: gone.message, errorKey: gone.key, errorParams: gone.params })
      }
    } finally {
      if (this.reconnecting === controller) this.reconnecting = null
    }
  }

  private stopReconnecting(): void {
    this.reconnecting?.abort()
    this.reconnecting = null
  }

  /** Sends a break on the serial line (the virtual board has none: refused with a clear message). */
  async sendBreak(): Promise<void> {
    const c = this.requireConnection()
    if (this.isRunActive()) throw ServiceError.keyed('busy', 'consoleRunBusy')
    if (!c.link.sendBreak) throw ServiceError.keyed('not-supported', 'breakOnlySerial')
    try {
      await c.link.sendBreak(BREAK_MS)
    } catch (error) {
      throw ServiceError.keyed('break-failed', 'breakFailed', thrownDetail(error))
    }
  }

  /** Starts logging everything received to a new file in `dir` (null stops); the state names the file. */
  async log(dir: string | null): Promise<ConsoleState> {
    await this.stopLog()
    if (dir) {
      mkdirSync(dir, { recursive: true })
      const target = (this.state.target ?? 'console').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+/, '')
      this.logFile = join(dir, `console-${target}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`)
      this.logStream = createWriteStream(this.logFile, { flags: 'a' })
      this.logStream.on('error', () => void this.stopLog())
    }
    this.setState({ ...this.state })
    return this.current()
  }

  /** Logs what the board printed as the transcript keeps it, a whole line at a time so a secret split across chunks is still masked by the one masker; redacted spans (a pushed secret file) are left out. */
  private logEntry(entry: TranscriptEntry, transcript: Console['transcript']): void {
    if (!this.logStream) return
    if (entry.dir === 'rx') this.logPending += entry.text
    else if (entry.dir === 'kmsg') this.logPending += `${entry.text}\n`
    else return
    const end = this.logPending.lastIndexOf('\n') + 1
    if (end === 0 && this.logPending.length < LOG_LINE_MAX) return
    const complete = end === 0 ? this.logPending : this.logPending.slice(0, end)
    this.logPending = this.logPending.slice(complete.length)
    this.logStream.write(transcript.maskText(complete))
  }

  private async stopLog(): Promise<void> {
    const transcript = this.connection?.transcript
    transcript?.flush()
    if (this.logStream && this.logPending) this.logStream.write(transcript ? transcript.maskText(this.logPending) : this.logPending)
    this.logPending = ''
    const stream = this.logStream
    this.logStream = null
    this.logFile = undefined
    if (stream) await new Promise<void>((resolve) => stream.end(() => resolve()))
  }

  private received(chunk: Uint8Array): void {
    const text = this.decoder.decode(chunk, { stream: true })
    if (!text) return
    this.remember(text)
    this.pending += text
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), FLUSH_MS)
  }

  private flush(): void {
    this.flushTimer = null
    if (!this.pending) return
    const text = this.pending
    this.pending = ''
    this.events.emit('console:data', text)
  }

  private remember(text: string): void {
    this.scrollback.append(text)
  }

  /** Types into the console; refused while a run drives the shell. */
  async write(data: string): Promise<void> {
    const c = this.requireConnection()
    if (this.isRunActive())
      throw ServiceError.keyed('busy', 'consoleRunBusy')
    if (this.isAtBusy())
      throw ServiceError.keyed('busy', 'consoleAtBusy')
    await c.link.write(data)
  }

  /** The console text received since the app started, bounded to the last 2 Mi characters (more than the terminal's 20,000 lines of scrollback show). */
  text(): string {
    return this.scrollback.text()
  }

  /** Current connection state. */
  current(): ConsoleState {
    return { ...this.state }
  }

  /** The open connection, or a clear error saying none is open. */
  requireConnection(): Connection {
    if (!this.connection)
      throw ServiceError.keyed('not-connected', 'notConnected')
    return this.connection
  }

  /** The open connection or null. */
  peek(): Connection | null {
    return this.connection
  }

  /** True after the operator closed the console, until a console is opened again: Run must not pick a board on its own then. */
  wasClosedByOperator(): boolean {
    return this.closedByOperator
  }

  /** The operator's Disconnect: waits for a Connect still on its way, then closes, so the last action wins. */
  async close(): Promise<ConsoleState> {
    this.closedByOperator = true
    while (this.opening) await this.opening.catch(() => undefined)
    this.closedByOperator = true
    const state = await this.closeNow()
    if (!state.open && !state.closedByOperator) this.setState({ ...state })
    return this.state
  }

  /** Closes because the station changed (a new layout), not because the operator disconnected: the next run opens the slot from its layout again. */
  async release(): Promise<ConsoleState> {
    while (this.opening) await this.opening.catch(() => undefined)
    this.closedByOperator = false
    return this.closeNow()
  }

  private async closeNow(): Promise<ConsoleState> {
    const c = this.connection
    if (this.reconnecting) {
      this.stopReconnecting()
      this.setState({ open: false, target: this.state.target })
    }
    if (!c) return this.state
    this.detach()
    await c.close().catch(() => undefined)
    this.setState({ open: false, target: this.state.target })
    return this.state
  }

  private detach(): void {
    this.flush()
    for (const u of this.unsubscribe.splice(0)) u()
    this.connection = null
  }

  private setState(state: ConsoleState): void {
    const closedByOperator = (!state.open && this.closedByOperator) || undefined
    this.state = { ...state, logFile: this.logFile, closedByOperator }
    this.events.emit('console:state', { ...state, closedByOperator })
  }
}
