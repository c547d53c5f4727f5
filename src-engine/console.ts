/** One call to open a console (serial port or virtual board) with its transcript and shell session. */
import { virtualBoardFactory, type ConsoleEndpoint, type SimOptions } from './link/endpoint'
import type { Link } from './link/link'
import { listPorts } from './link/ports'
import type { PortWatcher } from './link/port-watcher'
import { reopenSerialLink, type PortIdentity } from './link/reconnect'
import { openSerialLink } from './link/serial-link'
import { openVirtualLink } from './link/virtual-link'
import { Transcript } from './transcript/transcript'
import { recordLink } from './transcript/record-link'
import { BusyBoxSession, type ShellSessionOptions } from './session/shell-session'

/** Options of connect(); with neither `port` nor `sim` (nor `board`) a healthy virtual board is started. */
export interface ConnectOptions {
  /** Serial port path (`/dev/ttyUSB0`, `COM3`). */
  port?: string
  /** Default 115200. */
  baudRate?: number
  /** Start an in-process virtual board with these options (through the factory given to provideVirtualBoards). */
  sim?: SimOptions
  /** Use an already created virtual board (tests). */
  board?: ConsoleEndpoint
  /** JSONL journal of every byte, appended as it happens. */
  journalPath?: string
  /** Secrets masked in every transcript export (more can be added later with transcript.addSecret). */
  secrets?: string[]
  /** Continue this transcript (and its journal) instead of starting a new one (used by reconnect). */
  transcript?: Transcript
  /** Use this already open link (used by reconnect). */
  link?: Link
  session?: ShellSessionOptions
}

/** An open console: the recorded link, its transcript and the shell session on it. */
export interface Console {
  /** The link; writes and reads through it are recorded in the transcript. */
  link: Link
  transcript: Transcript
  session: BusyBoxSession
  /** The virtual board when the console is simulated. */
  board?: ConsoleEndpoint
  /** The serial adapter's identity (path, USB serial number) for reconnect; absent for a virtual board. */
  identity?: PortIdentity
  /** Closes the session, the link, the journal (unless it was passed in) and a board started by connect(). */
  close(): Promise<void>
}

/** Opens a console; the session is created but not attached (call `session.attach()`). Throws a message naming the port on failure. */
export async function connect(options: ConnectOptions = {}): Promise<Console> {
  let board = options.board
  let ownBoard = false
  let raw: Link
  let identity: PortIdentity | undefined
  if (options.link) {
    raw = options.link
    identity = options.port ? { path: options.port } : undefined
  } else if (options.port && !options.board && !options.sim) {
    raw = await openSerialLink({ path: options.port, baudRate: options.baudRate })
    const known = (await listPorts()).find((p) => p.path === raw.name)
    identity = { path: raw.name, serialNumber: known?.serialNumber, usbId: known?.usbId, location: known?.location }
  } else {
    if (!board) {
      board = virtualBoardFactory()({ ...options.sim, baud: options.sim?.baud ?? options.baudRate })
      ownBoard = true
    }
    raw = openVirtualLink(board)
  }
  let ownsTranscript = true
  const transcript = options.transcript ?? new Transcript({ journalPath: options.journalPath })
  for (const secret of options.secrets ?? []) transcript.addSecret(secret)
  transcript.note(`open ${raw.name} @ ${raw.baudRate}`)
  const link = recordLink(raw, transcript)
  const session = new BusyBoxSession(link, { ...options.session, contextTail: () => transcript.tail(2000), onSecret: (secret) => transcript.addSecret(secret), onRedact: (label) => transcript.redact(label) })
  const console: Console = {
    link,
    transcript,
    session,
    board,
    identity,
    async close() {
      session.dispose()
      await link.close().catch(() => undefined)
      if (ownsTranscript) transcript.close()
      if (ownBoard) board?.close()
    },
  }
  disowners.set(console, () => (ownsTranscript = false))
  return console
}

const disowners = new WeakMap<Console, () => void>()

/** Options of reconnect. */
export interface ReconnectOptions {
  watcher: PortWatcher
  /** Overall wait for the adapter to come back (ms); default 30000. */
  timeoutMs?: number
  baudRate?: number
  signal?: AbortSignal
}

/** After a link loss, waits for the same adapter (by USB serial number, else path) and opens a new console that takes over the transcript; attach its session before use. */
export async function reconnect(previous: Console, options: ReconnectOptions): Promise<Console> {
  if (!previous.identity) throw new Error('Only a serial console can be reconnected; open a new virtual board instead')
  const baudRate = options.baudRate ?? previous.link.baudRate
  previous.session.dispose()
  await previous.link.close().catch(() => undefined)
  previous.transcript.note(`waiting for ${previous.identity.path} to come back`)
  const link = await reopenSerialLink(previous.identity, { watcher: options.watcher, timeoutMs: options.timeoutMs, baudRate, signal: options.signal })
  previous.transcript.note(`reconnected on ${link.name}`)
  disowners.get(previous)?.()
  const next = await connect({ link, port: link.name, transcript: previous.transcript })
  next.identity = { ...previous.identity, path: link.name }
  return next
}
