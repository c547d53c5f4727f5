import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'

const registered = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>()
vi.mock('electron', () => ({
  ipcMain: {
    handle: vi.fn((channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) =>
      registered.set(channel, fn),
    ),
    removeHandler: vi.fn((channel: string) => registered.delete(channel)),
  },
}))

const { handle, UNTRUSTED_SENDER } = await import('../../src-main/handle')
const { createServices } = await import('../../src-services/index')
const { startWebHost } = await import('../../src-webhost/server')

const root = mkdtempSync(join(tmpdir(), 'k230-ipc-hostile-'))
const services = createServices({
  dataDir: join(root, 'data'),
  resultsDir: join(root, 'results'),
  simTimeScale: 0.01,
  simLineRate: false,
  appVersion: '0.0.0-evidence',
  host: 'electron',
})
const origin = { fileUrl: 'file:///opt/k230/resources/app/out/renderer/index.html' }
const ownFrame = { url: origin.fileUrl, parent: null }
const call = (channel: string, payload: unknown, frame: unknown = ownFrame) =>
  registered.get(channel)!({ senderFrame: frame }, payload) as Promise<{
    ok: boolean
    value?: unknown
    error?: { code: string; message: string }
  }>

/** Shapes that must be refused, each with words the refusal must contain. */
const BAD_PAYLOADS: [string, string, unknown, string][] = [
  ['a console target that is a string', 'console:open', 'sim', 'console:open'],
  [
    'a scenario that is an object',
    'console:open',
    { kind: 'sim', scenario: { toString: 'healthy' } },
    'scenario',
  ],
  [
    'a prototype-polluting payload',
    'settings:set',
    JSON.parse('{"__proto__": {"polluted": true}}'),
    'settings:set.__proto__: unexpected field',
  ],
  [
    'a field named like an Object method',
    'settings:set',
    { constructor: 'x' },
    'settings:set.constructor: unexpected field',
  ],
  ['a results folder that is a number', 'settings:set', { resultsDir: 42 }, 'resultsDir'],
  [
    'console data that is a buffer',
    'console:write',
    { data: [108, 115, 13] },
    'console:write.data',
  ],
  [
    'an AT command with a second command after CR',
    'at:send',
    { command: 'AT\rAT+CFUN=0' },
    'at:send.command',
  ],
  [
    'a serial of 10,000 characters',
    'run:start',
    { serial: 'S'.repeat(10_000) },
    'run:start.serial',
  ],
  [
    'a profile name that climbs out of the folder',
    'profiles:save',
    { name: '../../etc/passwd', text: '{}' },
    'profiles:save.name',
  ],
  ['a report id with NUL', 'reports:html', { id: 'abc\u0000', lang: 'en' }, 'reports:html.id'],
  [
    'a flash image path that is an array',
    'flash:inspect',
    { path: ['/etc/shadow'] },
    'flash:inspect.path',
  ],
]

describe('IPC through the real handle() wrapper and the real services', () => {
  beforeAll(() => {
    registered.clear()
    handle(services.handlers, origin)
  })
  afterAll(async () => {
    await services.dispose()
  })

  it.each(BAD_PAYLOADS)(
    'refuses %s with a message naming the field, and nothing changes',
    async (_what, channel, payload, words) => {
      const before = await call('settings:get', undefined)
      const reply = await call(channel, payload)
      expect(reply.ok).toBe(false)
      expect(reply.error?.code).toBe('bad-payload')
      expect(reply.error?.message).toContain(words)
      expect(await call('settings:get', undefined)).toEqual(before)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect((await call('console:state', undefined)).value).toMatchObject({ open: false })
    },
  )

  it.each([
    ['a web page', { url: 'https://evil.example/', parent: null }],
    [
      'a file page next to ours',
      { url: 'file:///opt/k230/resources/app/out/renderer/other.html', parent: null },
    ],
    ['an iframe in our page', { url: origin.fileUrl, parent: { url: origin.fileUrl } }],
    ['no frame', null],
  ])('refuses a well-formed call from %s and nothing is opened', async (_what, frame) => {
    expect(await call('console:open', { kind: 'sim', scenario: 'healthy' }, frame)).toEqual(
      UNTRUSTED_SENDER,
    )
    expect(await call('settings:set', { resultsDir: '/tmp/evil' }, frame)).toEqual(UNTRUSTED_SENDER)
    expect((await call('console:state', undefined)).value).toMatchObject({ open: false })
    expect(
      ((await call('settings:get', undefined)).value as { resultsDir: string }).resultsDir,
    ).toBe(join(root, 'results'))
  })

  it('still serves the app window after all of that', async () => {
    const reply = await call('sim:scenarios', undefined)
    expect(reply.ok).toBe(true)
    expect((reply.value as { name: string }[]).map((s) => s.name)).toContain('healthy')
  })
})

describe('the browser host WebSocket over the same services', () => {
  let url = ''
  let close: () => Promise<void> = async () => undefined
  beforeAll(async () => {
    const host = await startWebHost({ port: 0, staticDir: root, services })
    url = host.socketUrl
    close = host.close
  })
  afterAll(async () => close())

  function open(originHeader?: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, originHeader ? { headers: { Origin: originHeader } } : {})
      ws.once('open', () => resolve(ws))
      ws.once('error', reject)
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    })
  }

  function ask(
    ws: WebSocket,
    raw: string,
    id: number,
  ): Promise<{ id: number; reply: { ok: boolean; error?: { code: string; message: string } } }> {
    return new Promise((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        const msg = JSON.parse(String(data)) as { id?: number; reply?: { ok: boolean } }
        if (msg.id === id) {
          ws.off('message', onMessage)
          resolve(msg as never)
        }
      }
      ws.on('message', onMessage)
      ws.send(raw)
    })
  }

  it.each([
    ['no Origin header', undefined],
    ['another site', 'https://evil.example'],
    ['another local port', 'http://127.0.0.1:1'],
  ])('refuses a client from %s at the handshake', async (_what, originHeader) => {
    await expect(open(originHeader)).rejects.toThrow(/403/)
  })

  it('answers bad messages from its own origin with clear errors and keeps serving', async () => {
    const own = new URL(url.replace('ws://', 'http://')).origin
    const ws = await open(own)
    try {
      expect(await ask(ws, 'not json {', -1)).toMatchObject({
        id: -1,
        reply: { ok: false, error: { code: 'bad-message', message: 'Message is not JSON' } },
      })
      expect(await ask(ws, JSON.stringify({ channel: 'run:abort' }), -1)).toMatchObject({
        reply: { ok: false, error: { code: 'bad-message' } },
      })
      expect(
        await ask(
          ws,
          JSON.stringify({ id: 1, channel: 'fs:readFile', payload: { path: '/etc/shadow' } }),
          1,
        ),
      ).toMatchObject({ reply: { ok: false, error: { code: 'unknown-channel' } } })
      const bad = await ask(
        ws,
        JSON.stringify({
          id: 2,
          channel: 'console:open',
          payload: { kind: 'port', path: '/dev/ttyUSB0;reboot', baud: 'fast' },
        }),
        2,
      )
      expect(bad.reply).toMatchObject({ ok: false, error: { code: 'bad-payload' } })
      expect(bad.reply.error?.message).toContain('baud')
      expect(
        await ask(ws, JSON.stringify({ id: 3, channel: '__proto__', payload: {} }), 3),
      ).toMatchObject({ reply: { ok: false, error: { code: 'unknown-channel' } } })
      expect(await ask(ws, JSON.stringify({ id: 4, channel: 'sim:scenarios' }), 4)).toMatchObject({
        reply: { ok: true },
      })
    } finally {
      ws.close()
    }
  })
})
