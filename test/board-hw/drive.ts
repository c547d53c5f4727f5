import { createVirtualBoard } from '@board/board'

/** Drives a virtual board in-process: types a command line and returns the console text up to the next prompt. */
export interface Console {
  /** Types `line` + CR and resolves with the console output until the next prompt (or `until`). */
  type(line: string, options?: { until?: string | RegExp; timeoutMs?: number }): Promise<string>
  /** Resolves once the console output since offset `from` matches `until`. */
  waitFor(until: string | RegExp, from?: number, timeoutMs?: number): Promise<string>
  /** Everything printed so far. */
  readonly all: string
  close(): void
  board: ReturnType<typeof createVirtualBoard>
}

const PROMPT = '[root@canaan ~ ]#'

/** Boots a board (fast time-scale, no line-rate pacing by default) and waits for the shell prompt. */
export async function bootConsole(scenario: string, options: { timeScale?: number; lineRate?: boolean; seed?: number } = {}): Promise<Console> {
  const board = createVirtualBoard({ scenario, timeScale: options.timeScale ?? 0.005, lineRate: options.lineRate ?? false, seed: options.seed ?? 1 })
  let all = ''
  const waiters = new Set<() => void>()
  board.onData((chunk) => {
    all += Buffer.from(chunk).toString('latin1')
    for (const w of [...waiters]) w()
  })
  await board.whenReady()
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
        reject(new Error(`timed out waiting for ${String(until)}; console shows:\n${all.slice(from)}`))
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
      board.write(line + '\r')
      const text = await waitFor(from, opts.until ?? new RegExp(`\\r\\n[^\\n]*${PROMPT.replace(/[[\]~]/g, '\\$&')} ?(\\x1b\\[6n)?$`), opts.timeoutMs ?? 20_000)
      return text.replace(/\x1b\[6n/g, '').replace(/\r+\n/g, '\n')
    },
    waitFor: (until, from = 0, timeoutMs = 20_000) => waitFor(from, until, timeoutMs),
    close: () => board.close(),
  }
}
