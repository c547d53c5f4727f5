/** AT channel through one BusyBox microcom held open on the module's AT port: commands go straight to the module, each answered on its final result code. */

import { SessionError, type Passthrough, type ShellSession } from '../session/types'
import { AtError, type AtChannel, type AtSendOptions } from './channel'
import { microcomFailure, shellQuote } from './board-transport'
import { createDirectAtChannel } from './direct-transport'
import type { AtResponse } from './response-parser'
import type { Urc } from './urc'

/** microcom's exit key (miscutils/microcom.c: `if (24 == c) break;` unless -X). */
export const MICROCOM_EXIT_KEY = '\x18'

/** Options of the held microcom channel. */
export interface MicrocomAtOptions {
  /** Module AT port on the board; default `/dev/ttyUSB2`. */
  device?: string
  /** Baud rate handed to microcom `-s`; default 115200. */
  baud?: number
  /** First wait (ms) for the readiness probe's answer; doubles on each of up to 5 tries; default 150. */
  probeMs?: number
}

/** An AtChannel that keeps microcom running between commands; `leave()` exits it (Ctrl-X) and gives the shell back. */
export interface MicrocomAtChannel extends AtChannel {
  /** True while microcom holds the console for this channel. */
  readonly open: boolean
  /** Exits microcom if it runs; the next send starts it again. */
  leave(): Promise<void>
}

interface Held {
  link: Passthrough
  channel: AtChannel
}

/**
 * Builds the channel on `session`; trusts the session to hand the console to microcom and to leave it before any other
 * use of the shell. microcom puts the console in raw mode with TCSAFLUSH (microcom.c xset1), which drops bytes that
 * arrive before it runs, so `AT` is sent until the module answers before the first real command.
 */
export function createMicrocomAtChannel(session: ShellSession, options: MicrocomAtOptions = {}): MicrocomAtChannel {
  const device = options.device ?? '/dev/ttyUSB2'
  const baud = options.baud ?? 115200
  const probeMs = options.probeMs ?? 150
  const name = `board:${device}`
  const listeners = new Set<(urc: Urc) => void>()
  let held: Held | null = null
  let closed = false
  let queue: Promise<unknown> = Promise.resolve()

  function enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = queue.then(work)
    queue = result.catch(() => undefined)
    return result
  }

  async function start(): Promise<Held> {
    if (closed) throw new AtError('closed', `AT channel on ${name} closed`)
    if (held?.link.isOpen) return held
    held = null
    if (!session.passthrough) throw new AtError('session', `${name}: this console session cannot hand the console to microcom`)
    let link: Passthrough
    try {
      link = await session.passthrough(`microcom -s ${baud} ${shellQuote(device)}`, { exitKey: MICROCOM_EXIT_KEY, name })
    } catch (error) {
      throw fromSession(error, `${name}: microcom did not start`)
    }
    const channel = createDirectAtChannel(link)
    let ready = false
    channel.onUrc((urc) => {
      if (ready) for (const l of listeners) l(urc)
    })
    try {
      for (let attempt = 0, wait = probeMs; ; attempt++, wait *= 2) {
        try {
          await channel.send('AT', { timeout: wait })
          break
        } catch (error) {
          if (!link.isOpen) {
            const status = await link.ended.catch((e: unknown) => {
              throw new AtError('link-lost', `${name}: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e })
            })
            throw microcomFailure(link.output, device) ?? new AtError('session', `${name}: microcom exited with status ${status} before the module answered: ${link.output.trim().slice(-200)}`)
          }
          if (!(error instanceof AtError) || error.code !== 'timeout') throw error
          if (attempt >= 4) throw new AtError('timeout', `${name}: the module did not answer AT through microcom within ${probeMs * 31} ms`)
        }
      }
    } catch (error) {
      await channel.close()
      await link.close().catch(() => undefined)
      throw error
    }
    ready = true
    held = { link, channel }
    return held
  }

  async function leaveNow(): Promise<void> {
    const h = held
    held = null
    if (!h) return
    await h.channel.close()
    await h.link.close()
  }

  const channel: MicrocomAtChannel = {
    transport: 'board',
    name,
    get open() {
      return held?.link.isOpen ?? false
    },
    send(command: string, send: AtSendOptions = {}): Promise<AtResponse> {
      return enqueue(async () => (await start()).channel.send(command, send))
    },
    sendAll(commands: string[], send: AtSendOptions = {}): Promise<AtResponse[]> {
      return enqueue(async () => {
        const responses: AtResponse[] = []
        for (const command of commands) responses.push(await (await start()).channel.send(command, send))
        return responses
      })
    },
    onUrc(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    leave: () => enqueue(leaveNow),
    close: () =>
      enqueue(async () => {
        closed = true
        listeners.clear()
        await leaveNow()
      }),
  }
  return channel
}

function fromSession(error: unknown, context: string): unknown {
  if (!(error instanceof SessionError)) return error
  const code = error.code === 'timeout' ? 'timeout' : error.code === 'link-lost' ? 'link-lost' : 'session'
  return new AtError(code, `${context}: ${error.message}`, undefined, { cause: error })
}
