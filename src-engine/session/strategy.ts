/** The session's strategy for reaching a shell and getting it back after a reboot, a timeout or a lost prompt (labgrid's ShellStrategy). */
import type { ShellSession } from './types'

/** Where the console stands for the work on it: no known shell (before the first attach, or after a fault), or a prepared shell prompt. */
export type ShellState = 'unknown' | 'shell-ready'

/** Options of the strategy. */
export interface ShellStrategyOptions {
  /** Real ms per board ms: reaching the shell waits 30 board s, never less than 5 real s; default 1. */
  timeScale?: number
}

/** Session error codes after which the shell is no longer known to be at its prompt. */
export const SHELL_LOSING_CODES: ReadonlySet<string> = new Set(['board-rebooted', 'timeout', 'no-prompt', 'kernel-panic'])

/**
 * States and transitions of one console: `unknown → shell-ready` through the session's attach (login, "press Enter",
 * prompt), `shell-ready → unknown` when a step ends in a shell-losing fault or the board rebooted under it. The first
 * boot banner before the shell was ever reached is the power-on, not a reboot; a reboot seen while getting the shell
 * back is the one being recovered from. Trusts the session to report reboots as they happen.
 */
export class ShellStrategy {
  private stateValue: ShellState = 'unknown'
  private everReady = false
  private bootSeen = false
  private rebootLine: string | undefined
  private readonly listeners = new Set<(line: string) => void>()
  private readonly off: () => void

  constructor(
    private readonly session: ShellSession,
    private readonly options: ShellStrategyOptions = {},
  ) {
    this.off = session.on('reboot', (line) => this.noticeReboot(line))
  }

  /** The current state. */
  get state(): ShellState {
    return this.stateValue
  }

  /** Calls `listener` with the banner of every reboot that counts (not the first power-on before the shell was reached); returns the unsubscribe function. */
  onReboot(listener: (line: string) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Moves to `to`: `shell-ready` attaches when the shell is not known to be ready; `unknown` forgets the shell (the next `shell-ready` attaches again). */
  async transition(to: ShellState): Promise<void> {
    if (to === 'unknown') {
      this.stateValue = 'unknown'
      return
    }
    if (this.stateValue === 'shell-ready') return
    const recovering = this.everReady
    await this.session.attach({ timeout: Math.max(5_000, 30_000 * Math.min(1, this.options.timeScale ?? 1)) })
    this.stateValue = 'shell-ready'
    this.everReady = true
    if (recovering) this.rebootLine = undefined
  }

  /** Starts watching one piece of work (a step) for a reboot under it. */
  beginWork(): void {
    this.rebootLine = undefined
  }

  /** The work ended with an error of `code`: a shell-losing one moves to `unknown`. */
  failed(code: string): void {
    if (SHELL_LOSING_CODES.has(code)) this.stateValue = 'unknown'
  }

  /** The banner of a reboot during the work since beginWork(), if one happened. */
  rebootedDuringWork(): string | undefined {
    return this.rebootLine
  }

  /** Stops listening to the session. */
  dispose(): void {
    this.off()
    this.listeners.clear()
  }

  private noticeReboot(line: string): void {
    if (!/Linux version/.test(line)) return
    if (!this.everReady && !this.bootSeen) {
      this.bootSeen = true
      return
    }
    this.rebootLine = line.trim()
    for (const l of [...this.listeners]) l(this.rebootLine)
  }
}
