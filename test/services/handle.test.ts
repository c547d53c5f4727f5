import { beforeEach, describe, expect, it, vi } from 'vitest'

const registered = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>()
vi.mock('electron', () => ({
  ipcMain: {
    handle: vi.fn((channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => registered.set(channel, fn)),
    removeHandler: vi.fn((channel: string) => registered.delete(channel)),
  },
}))

const { handle, UNTRUSTED_SENDER } = await import('../../src-main/handle')
const { INVOKE_CHANNELS } = await import('@shared/ipc')
import type { Handlers } from '../../src-services/index'

const origin = { fileUrl: 'file:///opt/k230/resources/app/out/renderer/index.html' }
const ownFrame = { url: 'file:///opt/k230/resources/app/out/renderer/index.html', parent: null }

function fakeHandlers() {
  const calls: { channel: string; payload: unknown }[] = []
  const handlers = Object.fromEntries(
    INVOKE_CHANNELS.map((c) => [
      c,
      async (payload: unknown) => {
        calls.push({ channel: c, payload })
        return c === 'console:open' ? { open: true, target: 'x' } : null
      },
    ]),
  ) as unknown as Handlers
  return { handlers, calls }
}

describe('handle(): the one IPC entry point of the main process', () => {
  let calls: { channel: string; payload: unknown }[]
  beforeEach(() => {
    registered.clear()
    const fake = fakeHandlers()
    calls = fake.calls
    handle(fake.handlers, origin)
  })

  it('registers exactly the contract channels', () => {
    expect([...registered.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort())
  })

  it('runs a valid call from the app window', async () => {
    const reply = await registered.get('console:open')!({ senderFrame: ownFrame }, { kind: 'sim', scenario: 'healthy' })
    expect(reply).toEqual({ ok: true, value: { open: true, target: 'x' } })
    expect(calls).toEqual([{ channel: 'console:open', payload: { kind: 'sim', scenario: 'healthy' } }])
  })

  it.each([
    ['another page of the same app folder', { url: 'file:///opt/k230/resources/app/out/renderer/evil.html', parent: null }],
    ['a web page', { url: 'https://example.com/', parent: null }],
    ['an iframe inside our own page', { url: ownFrame.url, parent: { url: ownFrame.url } }],
    ['a frame with no URL', { url: '', parent: null }],
    ['no frame at all', null],
  ])('refuses a message from %s without touching any service', async (_what, frame) => {
    const reply = await registered.get('console:open')!({ senderFrame: frame }, { kind: 'sim', scenario: 'healthy' })
    expect(reply).toEqual(UNTRUSTED_SENDER)
    expect(calls).toEqual([])
  })

  it.each([
    ['a missing payload', 'console:open', undefined, 'console:open: expected an object'],
    ['an unknown target kind', 'console:open', { kind: 'tcp', host: 'x' }, 'console:open.kind'],
    ['a port path that is empty', 'console:open', { kind: 'port', path: '', baud: 115200 }, 'console:open'],
    ['a baud rate that is a string', 'console:open', { kind: 'port', path: '/dev/ttyUSB0', baud: '115200' }, 'baud'],
    ['an extra field', 'console:write', { data: 'ls\r', evil: true }, 'console:write.evil: unexpected field'],
    ['an AT command with a newline (a second command)', 'at:send', { command: 'AT\r\nAT+CFUN=0' }, 'at:send.command'],
    ['a report id with a path separator', 'reports:html', { id: '../../etc/passwd', lang: 'en' }, 'reports:html.id'],
    ['a profile name with a slash', 'profiles:save', { name: 'a/b', text: '' }, 'profiles:save.name'],
    ['an unknown export format', 'reports:export', { id: 'abc', format: 'exe', lang: 'en' }, 'reports:export.format'],
    ['a payload on a call that takes none', 'ports:list', { now: true }, 'ports:list: expected no payload'],
    ['a serial with spaces', 'run:start', { serial: 'A B' }, 'run:start.serial'],
  ])('refuses %s with a message naming the field', async (_what, channel, payload, message) => {
    const reply = (await registered.get(channel)!({ senderFrame: ownFrame }, payload)) as { ok: boolean; error: { code: string; message: string } }
    expect(reply.ok).toBe(false)
    expect(reply.error.code).toBe('bad-payload')
    expect(reply.error.message).toContain(message)
    expect(calls).toEqual([])
  })

  it('accepts the dev server origin only when one is configured', async () => {
    registered.clear()
    const fake = fakeHandlers()
    handle(fake.handlers, { ...origin, devUrl: 'http://localhost:5173/' })
    const dev = await registered.get('run:snapshot')!({ senderFrame: { url: 'http://localhost:5173/#/run', parent: null } }, undefined)
    expect(dev).toMatchObject({ ok: true })
    const otherPort = await registered.get('run:snapshot')!({ senderFrame: { url: 'http://localhost:5174/', parent: null } }, undefined)
    expect(otherPort).toEqual(UNTRUSTED_SENDER)
    expect(fake.calls).toHaveLength(1)
  })

  it('turns a service failure into an error reply instead of throwing across IPC', async () => {
    registered.clear()
    const fake = fakeHandlers()
    ;(fake.handlers as unknown as Record<string, () => Promise<never>>)['run:snapshot'] = async () => {
      throw Object.assign(new Error('board on fire'), { code: 'fire' })
    }
    handle(fake.handlers, origin)
    expect(await registered.get('run:snapshot')!({ senderFrame: ownFrame }, undefined)).toEqual({ ok: false, error: { code: 'fire', message: 'board on fire' } })
  })
})
