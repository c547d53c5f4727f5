/** AT channel through the board: BusyBox `microcom` on the module's tty, driven over the ShellSession. */

import { randomBytes } from 'node:crypto'
import { SessionError, type ShellSession } from '../session/types'
import {
  AtError,
  defaultAtTimeout,
  validateAtCommand,
  type AtChannel,
  type AtSendOptions,
} from './channel'
import { AtResponseParser, type AtResponse } from './response-parser'
import type { Urc } from './urc'

/** Options of the board transport: which tty, which speed, how long microcom waits for silence. */
export interface BoardAtOptions {
  /** Module AT port on the board; default `/dev/ttyUSB2` (reference 3.2). */
  device?: string
  /** Baud rate handed to microcom; default 115200. */
  baud?: number
  /** Board ms of silence after which microcom exits; default 1000 (SILENT_WHILE_WORKING commands get their whole timeout). */
  idleMs?: number
}

/** Per-send options of the board transport: the idle window can be widened for one command. */
export interface BoardAtSendOptions extends AtSendOptions {
  idleMs?: number
}

/** The board channel: an AtChannel whose sends also take the microcom idle window. */
export interface BoardAtChannel extends AtChannel {
  send(command: string, options?: BoardAtSendOptions): Promise<AtResponse>
  sendAll(commands: string[], options?: BoardAtSendOptions): Promise<AtResponse[]>
}

/** Quotes a value for the board's shell with single quotes; nothing inside can expand or run. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** The shell text that sends one command through microcom and prints what the module answers. */
export function microcomLine(
  command: string,
  device: string,
  baud: number,
  idleMs: number,
): string {
  return `printf '%s\\r' ${shellQuote(command)} | microcom -t ${Math.max(1, Math.round(idleMs))} -s ${baud} ${shellQuote(device)}`
}

/** Commands that stay silent until the network answers (operator scan, attach, dial): microcom must wait their whole timeout. */
export const SILENT_WHILE_WORKING = /^AT\+COPS=|^AT\+CGATT=|^AT\+CGACT=|^ATD/i

const CANT_OPEN = /microcom: can't open '([^']*)': (.*)/
const LOCKED = /microcom: can't create '([^']*LCK[^']*)': (.*)/
const NOT_FOUND = /microcom: not found|microcom: No such file or directory|applet not found/

/** The AtError microcom's own complaint in `output` stands for (port missing, locked, applet absent), or undefined. */
export function microcomFailure(output: string, device: string): AtError | undefined {
  const open = CANT_OPEN.exec(output)
  if (open)
    return new AtError(
      'port-missing',
      `cannot open the AT port ${open[1]}: ${open[2].trim()} (module not enumerated or option driver missing?)`,
    )
  const locked = LOCKED.exec(output)
  if (locked)
    return new AtError(
      'port-busy',
      `AT port ${device} is locked by another program (${locked[1]}: ${locked[2].trim()}); pppd or another microcom holds it`,
    )
  if (NOT_FOUND.test(output))
    return new AtError('no-microcom', 'microcom is not available on the board (BusyBox built without it)')
  return undefined
}

/** Turns microcom's captured output for one command into a response, or the AtError it shows; an unechoed answer (module set to ATE0) is still taken. */
export function responseFromMicrocom(
  command: string,
  output: string,
  device: string,
  idleMs: number,
  requireEcho = false,
): { response?: AtResponse; urcs: Urc[]; error?: AtError } {
  const failure = microcomFailure(output, device)
  if (failure) return { urcs: [], error: failure }
  const parser = new AtResponseParser()
  const urcs: Urc[] = []
  parser.onUrc((urc) => urcs.push(urc))
  parser.expect(command, { requireEcho })
  let response = parser.feed(output)[0] ?? parser.end() ?? parser.abandon()
  if (requireEcho && !response?.final) {
    const withoutEcho = responseFromMicrocom(command, output, device, idleMs, false)
    if (withoutEcho.response) return withoutEcho
    response = withoutEcho.error?.response ?? response
  }
  if (!response?.final)
    return {
      urcs,
      error: new AtError(
        'timeout',
        `${command}: no final result before microcom went idle (${idleMs} ms of silence on ${device})`,
        response,
      ),
    }
  return { response, urcs }
}

/** Builds an AtChannel that runs microcom through the session; trusts the session to frame output and status. */
export function createBoardAtChannel(
  session: ShellSession,
  options: BoardAtOptions = {},
): BoardAtChannel {
  const device = options.device ?? '/dev/ttyUSB2'
  const baud = options.baud ?? 115200
  const quickIdle = options.idleMs ?? 1000
  const listeners = new Set<(urc: Urc) => void>()
  let closed = false
  let echo: 'unknown' | 'on' | 'off' = 'unknown'
  let queue: Promise<unknown> = Promise.resolve()

  const idleFor = (command: string, send: BoardAtSendOptions) => {
    if (send.idleMs !== undefined) return send.idleMs
    return SILENT_WHILE_WORKING.test(command)
      ? (send.timeout ?? defaultAtTimeout(command))
      : quickIdle
  }

  async function runBatch(commands: string[], send: BoardAtSendOptions): Promise<AtResponse[]> {
    if (closed) throw new AtError('closed', `AT channel on board:${device} closed`)
    const token = randomBytes(6).toString('hex').toUpperCase()
    const idles = commands.map((c) => idleFor(c, send))
    const line = commands
      .map(
        (c, i) => `${microcomLine(c, device, baud, idles[i])}; printf '\\n%s%s\\n' ATSEP ${token}`,
      )
      .join('; ')
    const budget = commands.reduce(
      (sum, c, i) => sum + (send.timeout ?? defaultAtTimeout(c)) + idles[i] + 2_000,
      5_000,
    )
    let output: string
    try {
      output = (await session.run(line, { timeout: budget })).output
    } catch (error) {
      if (error instanceof SessionError) {
        const code =
          error.code === 'timeout'
            ? 'timeout'
            : error.code === 'link-lost'
              ? 'link-lost'
              : 'session'
        throw new AtError(code, `${commands.join(', ')}: ${error.message}`, undefined, {
          cause: error,
        })
      }
      throw error
    }
    const parts = output.split(new RegExp(`\\r?\\n?ATSEP${token}\\r?\\n?`))
    return commands.map((command, i) => {
      const { response, urcs, error } = responseFromMicrocom(
        command,
        parts[i] ?? '',
        device,
        idles[i],
        echo === 'on',
      )
      for (const urc of urcs) for (const listener of listeners) listener(urc)
      if (error) throw error
      echo =
        /^ATE0/i.test(command) && response!.final?.kind === 'ok'
          ? 'off'
          : response!.echoed
            ? 'on'
            : echo === 'on'
              ? 'on'
              : 'off'
      return response!
    })
  }

  function enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = queue.then(work)
    queue = result.catch(() => undefined)
    return result
  }

  function batches(commands: string[], send: BoardAtSendOptions): string[][] {
    const groups: string[][] = []
    let group: string[] = []
    let length = 0
    for (const command of commands) {
      const size = microcomLine(command, device, baud, idleFor(command, send)).length + 40
      if (size > session.maxLine)
        throw new AtError(
          'invalid-command',
          `${command.slice(0, 40)}: the shell line would be ${size} bytes, over the session limit of ${session.maxLine}`,
        )
      if (group.length && length + size > session.maxLine) {
        groups.push(group)
        group = []
        length = 0
      }
      group.push(command)
      length += size
    }
    if (group.length) groups.push(group)
    return groups
  }

  const channel: BoardAtChannel = {
    transport: 'board',
    name: `board:${device}`,
    async send(command, send: BoardAtSendOptions = {}) {
      const [response] = await channel.sendAll([command], send)
      return response
    },
    async sendAll(commands, send: BoardAtSendOptions = {}) {
      const checked = commands.map(validateAtCommand)
      const groups = batches(checked, send)
      return enqueue(async () => {
        const responses: AtResponse[] = []
        for (const group of groups) responses.push(...(await runBatch(group, send)))
        return responses
      })
    },
    onUrc(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      closed = true
      listeners.clear()
    },
  }
  return channel
}
