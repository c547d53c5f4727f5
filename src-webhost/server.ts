/** The browser host: serves the built renderer and exposes the real services over a loopback WebSocket. */
import { createReadStream, existsSync, statSync } from 'node:fs'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { EVENT_CHANNELS } from '@shared/ipc'
import { dispatch } from '../src-services/dispatch'
import type { Services } from '../src-services/index'
import { TOKEN_PARAM, TOKEN_PATTERN, WS_PATH, type CallMessage, type HostMessage } from './protocol'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
}

/** Same CSP as the Electron window, plus the WebSocket back to this host. */
export const WEB_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'"

/** A running browser host. */
export interface WebHost {
  /** The page address with the per-launch secret: the only way in. */
  url: string
  /** The per-launch secret the WebSocket upgrade must carry. */
  token: string
  /** The WebSocket address with the secret (for local clients such as tests and benches). */
  socketUrl: string
  /** The page's origin, which the WebSocket upgrade must name. */
  origin: string
  close(): Promise<void>
}

/** Where the browser host serves the line dashboard (with the per-launch secret) when a line database is configured. */
export const LINE_DASHBOARD_PATH = '/line-dashboard'

/** A new per-launch secret (32 random bytes, base64url). */
export function newHostToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Starts the host on 127.0.0.1:`port` (0 = any); accepts WebSocket clients only from its own origin and carrying the per-launch secret; a client that breaks the protocol loses its own connection only. */
export async function startWebHost(options: { port: number; staticDir: string; services: Services; token?: string; lineDashboard?: (url: URL) => Promise<{ status: number; type: string; body: string }> }): Promise<WebHost> {
  const token = options.token ?? newHostToken()
  if (!TOKEN_PATTERN.test(token)) throw new Error('the browser host secret must be 43 base64url characters')
  const root = resolve(options.staticDir)
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== LINE_DASHBOARD_PATH) return serveStatic(root, req, res)
    if (!options.lineDashboard) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('No line database configured (set K230_LINE_DB)')
    if (!sameSecret(url.searchParams.get(TOKEN_PARAM), token)) return void res.writeHead(401, { 'Content-Type': 'text/plain' }).end('Unauthorized')
    void options.lineDashboard(url).then((r) => res.writeHead(r.status, { 'Content-Type': r.type, 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'", 'Cache-Control': 'no-store' }).end(r.body))
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  const clients = new Set<WebSocket>()
  let origin = ''

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    const [path, query = ''] = (req.url ?? '').split('?')
    if (path !== WS_PATH || !isOwnOrigin(req.headers.origin, origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    if (!sameSecret(new URLSearchParams(query).get(TOKEN_PARAM), token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws))
  })

  wss.on('connection', (ws) => {
    clients.add(ws)
    ws.on('close', () => clients.delete(ws))
    ws.on('error', () => {
      clients.delete(ws)
      ws.terminate()
    })
    ws.on('message', async (data) => {
      let msg: CallMessage
      try {
        msg = JSON.parse(String(data)) as CallMessage
      } catch {
        return send(ws, { id: -1, reply: { ok: false, error: { code: 'bad-message', message: 'Message is not JSON' } } })
      }
      if (typeof msg !== 'object' || msg === null || typeof msg.id !== 'number') return send(ws, { id: -1, reply: { ok: false, error: { code: 'bad-message', message: 'Message has no numeric id' } } })
      send(ws, { id: msg.id, reply: await dispatch(options.services.handlers, msg.channel, msg.payload) })
    })
  })

  const unsubscribe = EVENT_CHANNELS.map((channel) =>
    options.services.events.on(channel, (payload) => {
      for (const ws of clients) send(ws, { event: channel, payload })
    }),
  )

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(options.port, '127.0.0.1', () => ok())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/?${TOKEN_PARAM}=${token}`,
    token,
    socketUrl: `ws://127.0.0.1:${port}${WS_PATH}?${TOKEN_PARAM}=${token}`,
    origin,
    close: async () => {
      for (const u of unsubscribe) u()
      for (const ws of clients) ws.terminate()
      wss.close()
      await new Promise<void>((ok) => server.close(() => ok()))
    },
  }
}

function sameSecret(given: string | null, token: string): boolean {
  if (!given || given.length !== token.length) return false
  return timingSafeEqual(Buffer.from(given), Buffer.from(token))
}

function isOwnOrigin(header: string | undefined, own: string): boolean {
  if (!header) return false
  const port = own.split(':').at(-1)
  return header === own || header === `http://localhost:${port}`
}

function send(ws: WebSocket, message: HostMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
}

function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end()
    return
  }
  let path: string
  try {
    path = decodeURIComponent((req.url ?? '/').split('?')[0])
  } catch {
    res.writeHead(400).end('Bad path')
    return
  }
  if (path === '/' || !extname(path)) path = '/index.html'
  const file = normalize(join(root, path))
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found')
    return
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': WEB_CSP, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
  if (req.method === 'HEAD') res.end()
  else createReadStream(file).pipe(res)
}
