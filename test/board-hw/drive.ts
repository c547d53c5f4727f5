import { execFileSync } from 'node:child_process'
import { SerialPort } from 'serialport'
import { createVirtualBoard } from '@board/board'
import { createPty } from '@board/pty'

/** True when socat (needed for the PTY transport) is installed. */
export function hasSocat(): boolean {
  try {
    execFileSync('which', ['socat'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Drives a virtual board in-process: types a command line and returns the console text up to the next prompt. */
export interface Console {
  /** Types `line` + CR and resolves with the console output until the next prompt (or `until`). */
  type(line: string, options?: { until?: string | RegExp; timeoutMs?: number }): Promise<string>
  /** Sends raw bytes (keystrokes) to the console. */
  write(data: string): void
  /** Resolves once the console output since offset `from` matches `until`. */
  waitFor(until: string | RegExp, from?: number, timeoutMs?: number): Promise<string>
  /** Everything printed so far. */
  readonly all: string
  close(): Promise<void>
  board: ReturnType<typeof createVirtualBoard>
}

const PROMPT = '[root@canaan ~ ]#'

/** How the test reaches the console: in-process stream, or real `serialport` on the board's pseudo-terminal. */
export type Transport = 'in-process' | 'pty'

/** Boots a board (fast time-scale, no line-rate pacing by default) and waits for the shell prompt. */
export async function bootConsole(
  scenario: string,
  options: {
    timeScale?: number
    lineRate?: boolean
    seed?: number
    transport?: Transport
    garbledConsole?: boolean
  } = {},
): Promise<Console> {
  const board = createVirtualBoard({
    scenario,
    timeScale: options.timeScale ?? 0.005,
    lineRate: options.lineRate ?? false,
    seed: options.seed ?? 1,
  })
  let all = ''
  const waiters = new Set<() => void>()
  const received = (chunk: Uint8Array): void => {
    all += Buffer.from(chunk).toString('latin1')
    for (const w of [...waiters]) w()
  }
  let send: (data: string) => void = (data) => board.write(data)
  let shutdown: () => Promise<void> = async () => board.close()
  if (options.transport === 'pty') {
    const pty = await createPty(board)
    const port = new SerialPort({ path: pty.path, baudRate: board.options.baud })
    await new Promise<void>((resolve, reject) =>
      port.once('open', () => resolve()).once('error', reject),
    )
    port.on('data', (chunk: Buffer) => received(chunk))
    send = (data) => void port.write(Buffer.from(data, 'latin1'))
    shutdown = async () => {
      await new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()))
      await pty.close()
      board.close()
    }
  } else board.onData(received)
  await board.whenReady()
  if (!options.garbledConsole) await waitForText(() => all, PROMPT, 60_000, waiters)
  const waitFor = (from: number, until: string | RegExp, timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const text = all.slice(from)
        const hit = typeof until === 'string' ? text.includes(until) : until.test(text)
        if (hit) {
          waiters.delete(check)
          clearTimeout(timer)
          resolve(text)
        }
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(
          new Error(`timed out waiting for ${String(until)}; console shows:\n${all.slice(from)}`),
        )
      }, timeoutMs)
      waiters.add(check)
      check()
    })
  return {
    board,
    get all() {
      return all
    },
    async type(line, opts = {}) {
      const from = all.length
      send(line + '\r')
      const text = await waitFor(
        from,
        opts.until ??
          new RegExp(`\\r\\n[^\\n]*${PROMPT.replace(/[[\]~]/g, '\\$&')} ?(\\x1b\\[6n)?$`),
        opts.timeoutMs ?? 20_000,
      )
      return text.replace(/\x1b\[6n/g, '').replace(/\r+\n/g, '\n')
    },
    waitFor: (until, from = 0, timeoutMs = 20_000) => waitFor(from, until, timeoutMs),
    write: (data) => send(data),
    close: () => shutdown(),
  }
}

function waitForText(
  text: () => string,
  needle: string,
  timeoutMs: number,
  waiters: Set<() => void>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!text().includes(needle)) return
      waiters.delete(check)
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(() => {
      waiters.delete(check)
      reject(
        new Error(`the console never showed the first prompt; it shows:\n${text().slice(-500)}`),
      )
    }, timeoutMs)
    waiters.add(check)
    check()
  })
}
