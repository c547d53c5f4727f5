/** One call to open a console (serial port or virtual board) with its transcript and shell session. */
import type { VirtualBoard, VirtualBoardOptions } from '@board/types'
import type { Link } from './link/link'
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
  /** Start an in-process virtual board with these options. */
  sim?: VirtualBoardOptions
  /** Use an already created virtual board (tests). */
  board?: VirtualBoard
  /** JSONL journal of every byte, appended as it happens. */
  journalPath?: string
  /** Secrets masked in every transcript export (more can be added later with transcript.addSecret). */
  secrets?: string[]
  session?: ShellSessionOptions
}

/** An open console: the recorded link, its transcript and the shell session on it. */
export interface Console {
  /** The link; writes and reads through it are recorded in the transcript. */
  link: Link
  transcript: Transcript
  session: BusyBoxSession
  /** The virtual board when the console is simulated. */
  board?: VirtualBoard
  /** Closes the session, the link, the journal and a board started by connect(). */
  close(): Promise<void>
}

type BoardFactory = (options?: VirtualBoardOptions) => VirtualBoard

async function loadBoardFactory(): Promise<BoardFactory> {
  const specifier = '@board/board'
  const mod = (await import(/* @vite-ignore */ specifier)) as { createVirtualBoard?: BoardFactory }
  if (typeof mod.createVirtualBoard !== 'function') throw new Error('The virtual board (src-board/board.ts createVirtualBoard) is not available')
  return mod.createVirtualBoard
}

/** Opens a console; the session is created but not attached (call `session.attach()`). Throws a message naming the port on failure. */
export async function connect(options: ConnectOptions = {}): Promise<Console> {
  let board = options.board
  let ownBoard = false
  let raw: Link
  if (options.port && !options.board && !options.sim) {
    raw = await openSerialLink({ path: options.port, baudRate: options.baudRate })
  } else {
    if (!board) {
      board = (await loadBoardFactory())({ ...options.sim, baud: options.sim?.baud ?? options.baudRate })
      ownBoard = true
    }
    raw = openVirtualLink(board)
  }
  const transcript = new Transcript({ journalPath: options.journalPath })
  for (const secret of options.secrets ?? []) transcript.addSecret(secret)
  transcript.note(`open ${raw.name} @ ${raw.baudRate}`)
  const link = recordLink(raw, transcript)
  const session = new BusyBoxSession(link, { ...options.session, contextTail: () => transcript.tail(2000) })
  return {
    link,
    transcript,
    session,
    board,
    async close() {
      session.dispose()
      await link.close().catch(() => undefined)
      transcript.close()
      if (ownBoard) board?.close()
    },
  }
}
