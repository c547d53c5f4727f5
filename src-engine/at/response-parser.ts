/** Incremental parser of a modem's byte stream: echo, information lines, final results and URCs kept apart. */

import { parseFinalResult, type AtFinal } from './result-codes'
import { parseUrc, unknownUrc, type Urc } from './urc'

/** The response to one command; `final` is undefined while (or when it stayed) incomplete. */
export interface AtResponse {
  command: string
  final?: AtFinal
  /** Information lines in order; echo, URCs, kernel lines and blank lines removed. */
  lines: string[]
  /** The modem echoed the command (ATE1). */
  echoed: boolean
  /** Unsolicited codes that arrived while the command was pending. */
  urcs: Urc[]
  /** Kernel log lines that landed in the modem output (console transport). */
  noise: string[]
}

/** Longest line kept whole; longer runs without CR/LF are cut into pieces of this size. */
export const MAX_AT_LINE = 4096
const MAX_LINE = MAX_AT_LINE
/** How many idle URCs the parser remembers. */
export const MAX_IDLE_URCS = 256

const ANSI = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g
const KERNEL = /^\s*(?:<\d>)?\[\s*\d+\.\d+\]/

/** Names of the extended commands in a command line: `AT+CPIN?;+CSQ` gives `+CPIN`, `+CSQ`. */
export function commandNames(command: string): string[] {
  const body = command.trim().replace(/^AT/i, '')
  const names: string[] = []
  for (const m of body.matchAll(/([+^&][A-Za-z][A-Za-z0-9]*)/g)) names.push(m[1].toUpperCase())
  return names
}

/** Streaming AT response parser: `expect` a command, `feed` chunks, get completed responses; never throws. */
export class AtResponseParser {
  private buffer = ''
  private readonly decoder = new TextDecoder('utf-8')
  private current?: AtResponse
  private names: string[] = []
  private requireEcho = false
  private readonly urcListeners = new Set<(urc: Urc) => void>()
  /** Unsolicited lines seen while no command was pending (the last MAX_IDLE_URCS). */
  readonly idleUrcs: Urc[] = []

  /** Calls the listener for every URC, pending command or not; returns the unsubscribe function. */
  onUrc(listener: (urc: Urc) => void): () => void {
    this.urcListeners.add(listener)
    return () => this.urcListeners.delete(listener)
  }

  /** The command whose response is being collected. */
  get pending(): AtResponse | undefined {
    return this.current
  }

  /**
   * Starts collecting the response of a command just sent; an unfinished previous one is returned abandoned.
   * With `requireEcho`, lines before the command's echo are stale (a late answer to an abandoned command) and go to `noise`.
   */
  expect(command: string, options: { requireEcho?: boolean } = {}): AtResponse | undefined {
    const previous = this.current
    this.current = { command: command.trim(), lines: [], echoed: false, urcs: [], noise: [] }
    this.names = commandNames(command)
    this.requireEcho = options.requireEcho ?? false
    return previous
  }

  /** Stops waiting for the pending command (timeout) and returns what it had. */
  abandon(): AtResponse | undefined {
    const previous = this.current
    this.current = undefined
    return previous
  }

  /** Feeds bytes or text; returns the responses completed by this chunk, in order. */
  feed(chunk: Uint8Array | string): AtResponse[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true })
    const done: AtResponse[] = []
    const take = (text: string) => {
      for (let at = 0; at === 0 || at < text.length; at += MAX_LINE) {
        const finished = this.line(text.slice(at, at + MAX_LINE))
        if (finished) done.push(finished)
      }
    }
    let index: number
    while ((index = this.buffer.search(/[\r\n]/)) >= 0) {
      const line = this.buffer.slice(0, index)
      this.buffer = this.buffer.slice(index + 1)
      take(line)
    }
    if (this.buffer.length > MAX_LINE) {
      const whole = this.buffer.length - (this.buffer.length % MAX_LINE)
      take(this.buffer.slice(0, whole))
      this.buffer = this.buffer.slice(whole)
    }
    return done
  }

  /** Ends the stream (e.g. microcom exited): handles an unterminated last line, returns a response it completed. */
  end(): AtResponse | undefined {
    const rest = this.buffer + this.decoder.decode()
    this.buffer = ''
    let finished: AtResponse | undefined
    for (let at = 0; at < rest.length; at += MAX_LINE)
      finished = this.line(rest.slice(at, at + MAX_LINE)) ?? finished
    return finished
  }

  private line(raw: string): AtResponse | undefined {
    const text = raw
      .replace(ANSI, '')
      .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
      .trim()
    if (text === '') return undefined
    const current = this.current
    if (KERNEL.test(text)) {
      if (current) current.noise.push(text)
      return undefined
    }
    if (!current) {
      this.emit(parseUrc(text) ?? unknownUrc(text))
      return undefined
    }
    if (
      !current.echoed &&
      current.lines.length === 0 &&
      text.toUpperCase().startsWith(current.command.toUpperCase()) &&
      current.command !== ''
    ) {
      current.echoed = true
      const rest = text.slice(current.command.length).trim()
      return rest ? this.line(rest) : undefined
    }
    if (this.requireEcho && !current.echoed) {
      if (!parseUrc(text)) {
        current.noise.push(text)
        return undefined
      }
    }
    const final = parseFinalResult(text)
    if (final) {
      current.final = final
      this.current = undefined
      return current
    }
    const prefix = /^([+^][A-Za-z][A-Za-z0-9]*):/.exec(text)?.[1].toUpperCase()
    const own = prefix !== undefined && this.names.includes(prefix)
    const urc = own ? undefined : parseUrc(text)
    if (urc) {
      current.urcs.push(urc)
      this.emit(urc)
    } else current.lines.push(text)
    return undefined
  }

  private emit(urc: Urc): void {
    if (!this.current) {
      this.idleUrcs.push(urc)
      if (this.idleUrcs.length > MAX_IDLE_URCS)
        this.idleUrcs.splice(0, this.idleUrcs.length - MAX_IDLE_URCS)
    }
    for (const listener of this.urcListeners) listener(urc)
  }
}

/** Parses one complete captured output (e.g. microcom's) for one command; the response may lack a final result. */
export function parseAtOutput(
  command: string,
  output: string | Uint8Array,
): { response: AtResponse; trailing: Urc[] } {
  const parser = new AtResponseParser()
  parser.expect(command)
  const done = parser.feed(output)
  const fromEnd = parser.end()
  const response = done[0] ??
    fromEnd ??
    parser.abandon() ?? { command, lines: [], echoed: false, urcs: [], noise: [] }
  return { response, trailing: parser.idleUrcs }
}
