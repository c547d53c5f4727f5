/** The AT channel contract shared by both transports, its typed error and command validation. */

import { describeFinal } from './result-codes'
import type { AtResponse } from './response-parser'
import type { Urc } from './urc'

/** Per-command options common to both transports. */
export interface AtSendOptions {
  /** ms to wait for the final result; default from `defaultAtTimeout(command)`. */
  timeout?: number
}

/** One way to reach the module's AT port: through the board's shell, or a PC serial port. */
export interface AtChannel {
  readonly transport: 'board' | 'direct'
  /** Human name, e.g. `board:/dev/ttyUSB2` or the PC port path. */
  readonly name: string
  /** Sends one command line; resolves with its response whatever the final result (OK, ERROR, +CME ERROR...). */
  send(command: string, options?: AtSendOptions): Promise<AtResponse>
  /** Sends commands one after the other (one shell round trip per batch on the board); same order out. */
  sendAll(commands: string[], options?: AtSendOptions): Promise<AtResponse[]>
  /** Subscribes to unsolicited codes; returns the unsubscribe function. */
  onUrc(listener: (urc: Urc) => void): () => void
  close(): Promise<void>
}

/** Why an AT exchange failed: the command, the transport, the port, or the answer. */
export type AtErrorCode =
  | 'invalid-command'
  | 'timeout'
  | 'port-missing'
  | 'port-busy'
  | 'no-microcom'
  | 'link-lost'
  | 'session'
  | 'closed'
  | 'command-failed'
  | 'unexpected-response'

/** An AT failure with a code the checklist maps to a verdict; `response` holds what the modem said, if anything. */
export class AtError extends Error {
  constructor(
    readonly code: AtErrorCode,
    message: string,
    readonly response?: AtResponse,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'AtError'
  }
}

/** Longest AT command line accepted (the EC200A takes 560 characters including `AT`). */
export const MAX_AT_COMMAND = 556

/** Checks a command line: printable ASCII, starts with AT, no CR/LF/Ctrl-X; throws AtError 'invalid-command' naming the fault. */
export function validateAtCommand(command: unknown): string {
  if (typeof command !== 'string')
    throw new AtError('invalid-command', `AT command must be text, got ${typeof command}`)
  const trimmed = command.trim()
  if (!/^AT/i.test(trimmed))
    throw new AtError(
      'invalid-command',
      `AT command must start with "AT": ${JSON.stringify(command.slice(0, 40))}`,
    )
  const bad = /[^\x20-\x7e]/.exec(trimmed)
  if (bad)
    throw new AtError(
      'invalid-command',
      `AT command contains a control or non-ASCII character (code ${bad[0].charCodeAt(0)}) at position ${bad.index}`,
    )
  if (trimmed.length > MAX_AT_COMMAND)
    throw new AtError(
      'invalid-command',
      `AT command is ${trimmed.length} characters; the module takes at most ${MAX_AT_COMMAND}`,
    )
  return trimmed
}

const SLOW: [RegExp, number][] = [
  [/^AT\+COPS=\?/i, 180_000],
  [/^AT\+COPS=/i, 180_000],
  [/^AT\+CGATT=/i, 140_000],
  [/^AT\+CGACT=/i, 150_000],
  [/^AT\+QNETDEVCTL=/i, 150_000],
  [/^ATD/i, 60_000],
  [/^AT\+CFUN=/i, 15_000],
  [/^AT\+QCCID|^AT\+CIMI|^AT\+CPIN/i, 5_000],
]

/** Maximum response time of a command per the Quectel manual's figures (300 ms for most; minutes for network ones). */
export function defaultAtTimeout(command: string): number {
  for (const [pattern, ms] of SLOW) if (pattern.test(command.trim())) return ms
  return 3_000
}

/** Throws AtError 'command-failed' unless the response ended in OK; returns it otherwise. */
export function requireOk(response: AtResponse): AtResponse {
  if (response.final?.kind !== 'ok')
    throw new AtError(
      'command-failed',
      `${response.command}: ${describeFinal(response.final)}`,
      response,
    )
  return response
}
