/** Messages of the browser host's WebSocket: calls with ids, replies, and broadcast events. */
import type { Reply } from '@shared/ipc'

/** Browser → host: one call. */
export interface CallMessage {
  id: number
  channel: string
  payload?: unknown
}

/** Host → browser: the reply to call `id`, or an event. */
export type HostMessage = { id: number; reply: Reply<unknown> } | { event: string; payload: unknown }

/** The WebSocket path the bridge connects to. */
export const WS_PATH = '/api'

/** Query parameter carrying the per-launch secret, in the page URL the host prints and on the WebSocket upgrade. */
export const TOKEN_PARAM = 'k'

/** Shape of a per-launch secret: 43 base64url characters (32 random bytes). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/
