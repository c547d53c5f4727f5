/** Browser-side bridge: installs `window.api` (the same domain API as the Electron preload) over the host's WebSocket. */
import { createDomainApi, type ApiTransport } from '@shared/api'
import { isEventChannel, isInvokeChannel, type Reply } from '@shared/ipc'
import { TOKEN_PARAM, WS_PATH, type HostMessage } from './protocol'

interface BrowserSocket {
  send(data: string): void
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void, options?: { once?: boolean }): void
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void
}
interface BrowserGlobals {
  api?: unknown
  location: { protocol: string; host: string; search: string }
  WebSocket: new (url: string) => BrowserSocket
}
const browser = globalThis as unknown as BrowserGlobals

/** Connects to the host that served this page and sets `window.api`; resolves once the socket is open. */
export async function ensureApi(): Promise<void> {
  if (browser.api) return
  const secret = new URLSearchParams(browser.location.search).get(TOKEN_PARAM) ?? ''
  const url = `${browser.location.protocol === 'https:' ? 'wss' : 'ws'}://${browser.location.host}${WS_PATH}`
  const ws = new browser.WebSocket(`${url}?${TOKEN_PARAM}=${encodeURIComponent(secret)}`)
  const pending = new Map<number, (reply: Reply<unknown>) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let next = 1
  ws.addEventListener('message', (e) => {
    const msg = JSON.parse(String(e.data)) as HostMessage
    if ('id' in msg) {
      pending.get(msg.id)?.(msg.reply)
      pending.delete(msg.id)
    } else for (const l of listeners.get(msg.event) ?? []) l(msg.payload)
  })
  ws.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'host-gone', message: 'The browser host closed the connection' } })
    pending.clear()
  })
  await new Promise<void>((ok, fail) => {
    ws.addEventListener('open', () => ok(), { once: true })
    ws.addEventListener('error', () => fail(new Error(`Cannot reach the browser host at ${url}`)), { once: true })
  })
  const transport: ApiTransport = {
    invoke(channel, payload) {
      if (!isInvokeChannel(channel)) return Promise.reject(new Error(`Unknown channel ${channel}`))
      const id = next++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        ws.send(JSON.stringify({ id, channel, payload }))
      })
    },
    subscribe(channel, listener) {
      if (!isEventChannel(channel)) throw new Error(`Unknown event channel ${channel}`)
      let set = listeners.get(channel)
      if (!set) listeners.set(channel, (set = new Set()))
      set.add(listener)
      return () => set.delete(listener)
    },
  }
  browser.api = createDomainApi(transport)
}
