/** Contract of the shell session that drives a BusyBox shell over a Link. */
import type { Link } from '../link/link'

export interface RunOptions {
  /** ms; on expiry the session sends Ctrl-C, recovers the prompt and rejects with SessionError 'timeout'. */
  timeout?: number
  /** Text fed to the command's stdin is not supported; use here-documents or file push. */
}

export interface RunResult {
  /** Output of the command with CRLF normalised to LF, ANSI escapes and kernel lines removed. */
  output: string
  /** Exit status reported by the shell. */
  status: number
  durationMs: number
  /** Kernel messages that arrived while the command ran. */
  kernel: string[]
}

export type SessionErrorCode =
  | 'timeout'
  | 'link-lost'
  | 'board-rebooted'
  | 'kernel-panic'
  | 'no-prompt'
  | 'login-failed'
  | 'line-too-long'
  | 'prepare-failed'

/** A session failure with a code the checklist maps to a verdict (station `error` vs unit `fail`). */
export class SessionError extends Error {
  constructor(
    readonly code: SessionErrorCode,
    message: string,
    readonly transcriptTail?: string,
  ) {
    super(message)
    this.name = 'SessionError'
  }
}

export interface ShellSessionEvents {
  kernel: (line: string) => void
  reboot: (bannerLine: string) => void
  oops: (line: string) => void
}

export interface ShellSession {
  /** Reaches a known prompt from any console state and prepares the shell; idempotent. */
  attach(options?: { timeout?: number; username?: string; password?: string }): Promise<void>
  run(command: string, options?: RunOptions): Promise<RunResult>
  /** Restores every console setting changed by attach. */
  detach(): Promise<void>
  on<E extends keyof ShellSessionEvents>(event: E, listener: ShellSessionEvents[E]): () => void
  /** Runs `work` so that the transcript keeps none of the console bytes it causes (a secret file's payload); absent when the session records no transcript. */
  redacted?<T>(label: string, work: () => Promise<T>): Promise<T>
  /** Starts `command` holding the console (BusyBox microcom) and hands its bytes to the caller until it exits; any other call on the session first leaves it by typing `exitKey`. Absent when the session cannot. */
  passthrough?(command: string, options: PassthroughOptions): Promise<Passthrough>
  /** Longest command line (bytes) the session will send. */
  readonly maxLine: number
}

/** How a console-holding command is started and left. */
export interface PassthroughOptions {
  /** Bytes that make the command exit (microcom: Ctrl-X, `\x18`). */
  exitKey: string
  /** Name the returned link reports, e.g. `board:/dev/ttyUSB2`. */
  name: string
  /** ms to wait for the command to start, and later to end after the exit key; default 10000. */
  timeout?: number
}

/** A command holding the console: writes go to it, its output (cleaned console text) comes back; close() types the exit key and waits for the shell prompt. */
export interface Passthrough extends Link {
  /** Resolves with the command's exit status once it ended, by itself or after close(); rejects when the board rebooted or the link was lost. */
  readonly ended: Promise<number>
  /** The last 4096 characters the command printed (its own complaints, when it exited by itself). */
  readonly output: string
}
