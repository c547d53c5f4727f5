import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { connect as netConnect } from 'node:net'
import WebSocket from 'ws'
import { createServices, type Services } from '../../src-services/index'
import { startWebHost, type WebHost } from '../../src-webhost/server'

let host: WebHost
let services: Services
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k230-webhost-'))
  const staticDir = join(dir, 'static')
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><p>app</p>')
  writeFileSync(join(dir, 'secret.txt'), 'do not serve')
  services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), appVersion: 'test', host: 'browser' })
  host = await startWebHost({ port: 0, staticDir, services })
})
afterAll(async () => {
  await host.close()
  await services.dispose()
})

function connect(origin?: string, url = host.socketUrl): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { headers: { Origin: origin } } : {})
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function call(ws: WebSocket, message: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))))
    ws.send(typeof message === 'string' ? message : JSON.stringify(message))
  })
}

describe('the browser host', () => {
  it('listens on loopback only and serves the app with its CSP', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?k=[A-Za-z0-9_-]{43}$/)
    const res = await fetch(host.url)
    expect(await res.text()).toContain('app')
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
  })

  it('does not serve files outside the app folder', async () => {
    for (const path of ['../secret.txt', '..%2fsecret.txt', '%2e%2e/secret.txt', 'static/../../secret.txt']) {
      const res = await fetch(host.origin + '/' + path)
      expect(await res.text()).not.toContain('do not serve')
    }
  })

  it('refuses WebSocket clients from another origin or with none', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow('HTTP 403')
    await expect(connect()).rejects.toThrow('HTTP 403')
  })

  it('refuses a local client that names the right origin but lacks the per-launch secret', async () => {
    const bare = host.socketUrl.split('?')[0]
    await expect(connect(host.origin, bare)).rejects.toThrow('HTTP 401')
    await expect(connect(host.origin, `${bare}?k=${'A'.repeat(43)}`)).rejects.toThrow('HTTP 401')
    await expect(connect(host.origin, `${bare}?k=short`)).rejects.toThrow('HTTP 401')
    const ws = await connect(host.origin)
    expect(await call(ws, { id: 1, channel: 'settings:get' })).toMatchObject({ id: 1, reply: { ok: true } })
    ws.close()
  })

  it('a client that breaks the WebSocket protocol loses its own connection (1002, 1009) and the host keeps serving the others', async () => {
    const bystander = await connect(host.origin)
    const url = new URL(host.socketUrl)
    const closeCodeOf = (frame: Buffer) =>
      new Promise<number>((resolve, reject) => {
        const socket = netConnect(Number(url.port), '127.0.0.1')
        let buffer = Buffer.alloc(0)
        let upgraded = false
        socket.on('error', reject)
        socket.on('data', (chunk) => {
          buffer = Buffer.concat([buffer, chunk])
          if (!upgraded) {
            const end = buffer.indexOf('\r\n\r\n')
            if (end < 0) return
            if (!buffer.subarray(0, end).toString('latin1').startsWith('HTTP/1.1 101')) return reject(new Error(buffer.toString('latin1')))
            upgraded = true
            buffer = buffer.subarray(end + 4)
            socket.write(frame)
          }
          if (upgraded && buffer.length >= 4 && (buffer[0] & 0x0f) === 0x8) resolve(buffer.readUInt16BE(2))
        })
        socket.on('close', () => reject(new Error('closed without a close frame')))
        socket.write(
          `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${host.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        )
      })
    expect(await closeCodeOf(Buffer.from([0x81, 0x01, 0xff])), 'an unmasked 1-byte text frame').toBe(1002)
    const header = Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0xa0, 0, 0, 1, 2, 3, 4])
    expect(await closeCodeOf(header), 'a masked frame that declares 10 MB').toBe(1009)
    const big = await connect(host.origin)
    const closed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)))
    big.send(Buffer.alloc(10 * 2 ** 20, 0x61))
    expect(await closed, 'a 10 MB message').toBe(1009)
    expect(await call(bystander, { id: 7, channel: 'settings:get' })).toMatchObject({ id: 7, reply: { ok: true } })
    bystander.close()
  })

  it('answers calls from its own page, refusing bad channels, payloads and messages with a reason', async () => {
    const ws = await connect(host.origin)
    expect(await call(ws, { id: 1, channel: 'settings:get' })).toMatchObject({ id: 1, reply: { ok: true, value: { language: 'system' } } })
    expect(await call(ws, { id: 2, channel: 'fs:read', payload: { path: '/etc/passwd' } })).toMatchObject({ id: 2, reply: { ok: false, error: { code: 'unknown-channel' } } })
    expect(await call(ws, { id: 3, channel: 'console:write', payload: { data: 42 } })).toMatchObject({ id: 3, reply: { ok: false, error: { code: 'bad-payload', message: 'The station refused a request from the screen: console:write.data: expected a string, got number', key: 'serviceError.badPayload' } } })
    expect(await call(ws, '{not json')).toMatchObject({ id: -1, reply: { ok: false, error: { code: 'bad-message' } } })
    expect(await call(ws, { channel: 'settings:get' })).toMatchObject({ id: -1, reply: { ok: false } })
    ws.close()
  })

  it('broadcasts service events to its clients', async () => {
    const ws = await connect(host.origin)
    const event = new Promise((resolve) => ws.on('message', (d) => (JSON.parse(String(d)).event ? resolve(JSON.parse(String(d))) : undefined)))
    await call(ws, { id: 9, channel: 'settings:set', payload: { theme: 'dark' } })
    expect(await event).toMatchObject({ event: 'settings:changed', payload: { theme: 'dark' } })
    ws.close()
  })
})
