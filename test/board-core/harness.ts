import { execFileSync } from 'node:child_process'
import { SerialPort } from 'serialport'
import { createVirtualBoard, type VirtualBoardHandle } from '@board/board'
import { createPty, type PtyBridge } from '@board/pty'
import type { VirtualBoardOptions } from '@board/types'

/** The default K230 prompt followed by lineedit's cursor query. */
export const PROMPT = '[root@canaan ~ ]# \x1b[6n'

/** True when a Debian tool is on PATH. */
export function hasTool(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Collects console bytes from any source and waits for text in them. */
export class ConsoleCapture {
  text = ''
  private waiters: (() => void)[] = []

  push(chunk: Uint8Array): void {
    this.text += Buffer.from(chunk).toString('latin1')
    for (const w of this.waiters.splice(0)) w()
  }

  /** Resolves with the index just past the first match of `pattern` found at or after `from`; rejects after timeoutMs with the tail of the output. */
  async waitFor(pattern: string | RegExp, from = 0, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const rest = this.text.slice(from)
      if (typeof pattern === 'string') {
        const i = rest.indexOf(pattern)
        if (i >= 0) return from + i + pattern.length
      } else {
        const m = pattern.exec(rest)
        if (m) return from + m.index + m[0].length
      }
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for ${JSON.stringify(String(pattern))}; output tail: ${JSON.stringify(this.text.slice(-600))}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }
}

/** A console endpoint the tests type into: the in-process board or a serial port on its PTY. */
export interface Terminal {
  capture: ConsoleCapture
  write(data: string): Promise<void>
}

/** Types a command line and returns what the board printed between the echoed line and the next prompt. */
export async function run(term: Terminal, line: string, prompt = PROMPT, timeoutMs = 10_000): Promise<string> {
  const start = term.capture.text.length
  await term.write(line + '\r')
  const end = await term.capture.waitFor(prompt, start, timeoutMs)
  const raw = term.capture.text.slice(start, end - prompt.length)
  const echoEnd = /(?<!\r)\r\n/.exec(raw)
  return echoEnd ? raw.slice(echoEnd.index + 2) : raw
}

/** Starts an in-process board with test defaults (fast time, bare hardware unless a scenario is given). */
export async function startBoard(options: VirtualBoardOptions = {}): Promise<{ board: VirtualBoardHandle; term: Terminal }> {
  const board = createVirtualBoard({ timeScale: 0.01, lineRate: false, ...(options.scenario ? {} : { hardware: null }), ...options })
  const capture = new ConsoleCapture()
  board.onData((c) => capture.push(c))
  const term: Terminal = {
    capture,
    write: async (data) => board.write(data),
  }
  return { board, term }
}

/** Opens a real serialport on a board's PTY. */
export async function openSerial(path: string, baudRate = 115200): Promise<{ port: SerialPort; term: Terminal }> {
  const port = new SerialPort({ path, baudRate, autoOpen: false })
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())))
  const capture = new ConsoleCapture()
  port.on('data', (c: Buffer) => capture.push(new Uint8Array(c)))
  const term: Terminal = {
    capture,
    write: (data) =>
      new Promise<void>((resolve, reject) => {
        port.write(data, (err) => (err ? reject(err) : port.drain((e) => (e ? reject(e) : resolve()))))
      }),
  }
  return { port, term }
}

/** Closes a serial port, ignoring a port that is already gone. */
export async function closeSerial(port: SerialPort): Promise<void> {
  if (!port.isOpen) return
  await new Promise<void>((resolve) => port.close(() => resolve()))
}

/** Board + PTY + serialport, all real. */
export async function startPtyBoard(options: VirtualBoardOptions = {}): Promise<{ board: VirtualBoardHandle; pty: PtyBridge; port: SerialPort; term: Terminal; stop: () => Promise<void> }> {
  const board = createVirtualBoard({ timeScale: 0.01, ...(options.scenario ? {} : { hardware: null }), autoPowerOn: false, ...options })
  const pty = await createPty(board)
  const { port, term } = await openSerial(pty.path, options.baud ?? 115200)
  board.powerOn()
  const stop = async (): Promise<void> => {
    await closeSerial(port)
    await pty.close()
    board.close()
  }
  return { board, pty, port, term, stop }
}
