/** Reads the checklist's AT replies with the typed readers of src-engine/at (one AT stack for steps, the AT console and the CLI). */
import { parseAtOutput, type AtResponse } from '../at/index'
import type { AtReply } from './types'

/** The reply as the AT stack's response: the channel's own when it kept it, else the reply's text parsed again. */
export function responseOf(reply: AtReply): AtResponse {
  return reply.response ?? parseAtOutput(reply.command, reply.raw).response
}

/**
 * Applies a typed reader to a reply; undefined when the answer does not fit. With `answered: true` the information
 * lines are read even when a later part of a combined command (`AT+GSN;+CPIN?`) failed: a module stops at the first
 * failing part, so the lines before the error are the answers of the parts that succeeded.
 */
export function readReply<T>(reply: AtReply, reader: (response: AtResponse) => T, options: { answered?: boolean } = {}): T | undefined {
  const response = responseOf(reply)
  const view: AtResponse = options.answered && response.final && response.lines.length ? { ...response, final: { kind: 'ok' } } : response
  try {
    return reader(view)
  } catch {
    return undefined
  }
}
