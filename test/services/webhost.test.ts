import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

function connect(origin?: string): Promise<WebSocket> {
  const url = host.url.replace('http', 'ws') + 'api'
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
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const res = await fetch(host.url)
    expect(await res.text()).toContain('app')
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
  })

  it('does not serve files outside the app folder', async () => {
    for (const path of ['../secret.txt', '..%2fsecret.txt', '%2e%2e/secret.txt', 'static/../../secret.txt']) {
      const res = await fetch(host.url + path)
      expect(await res.text()).not.toContain('do not serve')
    }
  })

  it('refuses WebSocket clients from another origin or with none', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow('HTTP 403')
    await expect(connect()).rejects.toThrow('HTTP 403')
  })

  it('answers calls from its own page, refusing bad channels, payloads and messages with a reason', async () => {
    const ws = await connect(host.url.slice(0, -1))
    expect(await call(ws, { id: 1, channel: 'settings:get' })).toMatchObject({ id: 1, reply: { ok: true, value: { language: 'system' } } })
    expect(await call(ws, { id: 2, channel: 'fs:read', payload: { path: '/etc/passwd' } })).toMatchObject({ id: 2, reply: { ok: false, error: { code: 'unknown-channel' } } })
    expect(await call(ws, { id: 3, channel: 'console:write', payload: { data: 42 } })).toMatchObject({ id: 3, reply: { ok: false, error: { code: 'bad-payload', message: 'console:write.data: expected a string, got number' } } })
    expect(await call(ws, '{not json')).toMatchObject({ id: -1, reply: { ok: false, error: { code: 'bad-message' } } })
    expect(await call(ws, { channel: 'settings:get' })).toMatchObject({ id: -1, reply: { ok: false } })
    ws.close()
  })

  it('broadcasts service events to its clients', async () => {
    const ws = await connect(host.url.slice(0, -1))
    const event = new Promise((resolve) => ws.on('message', (d) => (JSON.parse(String(d)).event ? resolve(JSON.parse(String(d))) : undefined)))
    await call(ws, { id: 9, channel: 'settings:set', payload: { theme: 'dark' } })
    expect(await event).toMatchObject({ event: 'settings:changed', payload: { theme: 'dark' } })
    ws.close()
  })
})
