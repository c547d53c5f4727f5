import type { ProcessHandle, ProcessTable } from '../types'

/** A running process with its completion promise and command line. */
export interface BoardProcess extends ProcessHandle {
  readonly done: Promise<number>
  readonly commandLine: string
  readonly signal: AbortSignal
}

/** Signal numbers the board understands, by name. */
export const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15 }

/** Error carried by a process's abort signal: which signal killed it. */
export class KilledBySignal extends Error {
  constructor(readonly signalNumber: number) {
    super(`killed by signal ${signalNumber}`)
  }
}

/** The board's process table: background jobs and daemons, killable by name or pid; trusts run() to honour its abort signal. */
export class BoardProcessTable implements ProcessTable {
  private readonly procs = new Map<number, BoardProcess>()
  private nextPid: number

  constructor(firstPid = 200) {
    this.nextPid = firstPid
  }

  /** Allocates a pid without registering a process (foreground commands). */
  allocatePid(): number {
    return this.nextPid++
  }

  spawn(name: string, run: (signal: AbortSignal) => Promise<number>, commandLine?: string): BoardProcess {
    const pid = this.nextPid++
    const controller = new AbortController()
    let alive = true
    const done = (async () => {
      try {
        return await run(controller.signal)
      } catch (error) {
        return error instanceof KilledBySignal ? 128 + error.signalNumber : 1
      } finally {
        alive = false
        this.procs.delete(pid)
      }
    })()
    const proc: BoardProcess = {
      pid,
      name,
      done,
      commandLine: commandLine ?? name,
      signal: controller.signal,
      kill: (signal: number) => {
        if (!alive) return false
        if (signal !== 0) controller.abort(new KilledBySignal(signal))
        return true
      },
    }
    if (alive) this.procs.set(pid, proc)
    return proc
  }

  byName(name: string): BoardProcess[] {
    return this.list().filter((p) => p.name === name)
  }

  byPid(pid: number): BoardProcess | undefined {
    return this.procs.get(pid)
  }

  list(): BoardProcess[] {
    return [...this.procs.values()].sort((a, b) => a.pid - b.pid)
  }

  /** Kills every process (power off). */
  killAll(): void {
    for (const p of this.procs.values()) p.kill(9)
    this.procs.clear()
  }
}
