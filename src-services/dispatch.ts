/** Validates a call from an untrusted client (channel allowlist + payload schema) and runs its handler. */
import { INVOKE_SCHEMAS, isInvokeChannel, type Reply } from '@shared/ipc'
import { parse } from '@shared/schema'
import { ServiceError, toWireError } from './errors'
import type { Handlers } from './index'

/** Runs `channel` with `payload` when both are valid; every failure becomes an error reply, never a throw. */
export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown): Promise<Reply<unknown>> {
  if (!isInvokeChannel(channel)) return { ok: false, error: toWireError(ServiceError.keyed('unknown-channel', 'unknownChannel', { channel: JSON.stringify(channel) ?? String(channel) })) }
  try {
    const valid = parse(INVOKE_SCHEMAS[channel] as never, payload, channel)
    const handler = handlers[channel] as (p: unknown) => Promise<unknown>
    return { ok: true, value: await handler(valid) }
  } catch (error) {
    return { ok: false, error: toWireError(error) }
  }
}
