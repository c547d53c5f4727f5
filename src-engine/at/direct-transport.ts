/** AT channel straight over a serial Link to the module's AT port (EC200A plugged into the PC). */

import type { Link } from '../link/link'
import {
  AtError,
  defaultAtTimeout,
  validateAtCommand,
  type AtChannel,
  type AtSendOptions,
} from './channel'
import { AtResponseParser, type AtResponse } from './response-parser'
import type { Urc } from './urc'

/** Builds an AtChannel on an open Link; trusts the Link to deliver the modem's bytes in order. */
export function createDirectAtChannel(link: Link): AtChannel {
  const parser = new AtResponseParser()
  let queue: Promise<unknown> = Promise.resolve()
  let waiter: { resolve: (r: AtResponse) => void; reject: (e: AtError) => void } | undefined
  let closedBy: AtError | undefined
  let echo: 'unknown' | 'on' | 'off' = 'unknown'

  const offData = link.onData((chunk) => {
    for (const response of parser.feed(chunk)) {
      echo =
        /^ATE0/i.test(response.command) && response.final?.kind === 'ok'
          ? 'off'
          : response.echoed
            ? 'on'
            : echo === 'on'
              ? 'on'
              : 'off'
      const w = waiter
      waiter = undefined
      w?.resolve(response)
    }
  })
  const offClose = link.onClose((error) => {
    closedBy = error
      ? new AtError('link-lost', error.message, parser.pending, { cause: error })
      : new AtError('closed', `AT port ${link.name} closed`)
    const w = waiter
    waiter = undefined
    w?.reject(closedBy)
  })

  async function exchange(command: string, options: AtSendOptions): Promise<AtResponse> {
    if (closedBy) throw closedBy
    const timeout = options.timeout ?? defaultAtTimeout(command)
    return new Promise<AtResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiter = undefined
        const partial = parser.abandon()
        reject(new AtError('timeout', `${command}: no final result within ${timeout} ms`, partial))
      }, timeout)
      waiter = {
        resolve: (r) => {
          clearTimeout(timer)
          resolve(r)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      }
      parser.expect(command, { requireEcho: echo === 'on' })
      link.write(`${command}\r`).catch((error: unknown) => {
        const w = waiter
        waiter = undefined
        parser.abandon()
        w?.reject(
          new AtError(
            'link-lost',
            `${command}: write failed: ${error instanceof Error ? error.message : String(error)}`,
            undefined,
            { cause: error },
          ),
        )
      })
    })
  }

  const channel: AtChannel = {
    transport: 'direct',
    name: link.name,
    send(command, options = {}) {
      let checked: string
      try {
        checked = validateAtCommand(command)
      } catch (error) {
        return Promise.reject(error)
      }
      const result = queue.then(() => exchange(checked, options))
      queue = result.catch(() => undefined)
      return result
    },
    async sendAll(commands, options = {}) {
      const responses: AtResponse[] = []
      for (const command of commands) responses.push(await channel.send(command, options))
      return responses
    },
    onUrc(listener: (urc: Urc) => void) {
      return parser.onUrc(listener)
    },
    async close() {
      offData()
      offClose()
      closedBy ??= new AtError('closed', `AT channel on ${link.name} closed`)
      waiter?.reject(closedBy)
      waiter = undefined
    },
  }
  return channel
}
