import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { INVOKE_CHANNELS, INVOKE_SCHEMAS, isEventChannel, isInvokeChannel } from '@shared/ipc'
import { createDomainApi, ApiError } from '@shared/api'
import { isAllowedExternalUrl, isAllowedNavigation } from '../../src-main/sender'
import { dispatch } from '../../src-services/dispatch'
import type { Handlers } from '../../src-services/index'
import { fcSeed } from '../setup/fast-check'

describe('the IPC contract', () => {
  it('names every channel domain:action', () => {
    for (const c of INVOKE_CHANNELS) expect(c).toMatch(/^[a-z]+:[a-zA-Z]+$/)
  })

  it('knows its own channels and nothing else (also prototype keys)', () => {
    expect(isInvokeChannel('run:start')).toBe(true)
    expect(isInvokeChannel('constructor')).toBe(false)
    expect(isInvokeChannel('__proto__')).toBe(false)
    expect(isInvokeChannel(42)).toBe(false)
    expect(isEventChannel('run:update')).toBe(true)
    expect(isEventChannel('run:start')).toBe(false)
  })

  it('never throws on any payload: every schema answers null or a message naming the channel', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INVOKE_CHANNELS), fc.anything(), (channel, payload) => {
        const result = INVOKE_SCHEMAS[channel].check(payload, channel)
        expect(result === null || result.startsWith(channel)).toBe(true)
      }),
      { seed: fcSeed() },
    )
  })

  it('dispatch refuses unknown channels and never throws', async () => {
    const handlers = {} as Handlers
    expect(await dispatch(handlers, 'fs:readFile', { path: '/etc/shadow' })).toEqual({ ok: false, error: { code: 'unknown-channel', message: 'Unknown channel "fs:readFile"', key: 'serviceError.unknownChannel', params: { channel: '"fs:readFile"' } } })
    expect(await dispatch(handlers, { toString: 1 }, null)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
  })

  it('the domain API maps calls to channels and error replies to ApiError with the code', async () => {
    const seen: [string, unknown][] = []
    const api = createDomainApi({
      invoke: async (channel, payload) => {
        seen.push([channel, payload])
        return channel === 'at:send' ? { ok: false, error: { code: 'busy', message: 'modem busy' } } : { ok: true, value: 'fine' }
      },
      subscribe: () => () => undefined,
    })
    await api.run.start('SN1', ['ecm'])
    await api.console.write('ls\r')
    expect(seen).toEqual([
      ['run:start', { serial: 'SN1', modes: ['ecm'] }],
      ['console:write', { data: 'ls\r' }],
    ])
    await expect(api.at.send('AT')).rejects.toEqual(new ApiError('busy', 'modem busy'))
  })

  it('lets only http(s) links out and keeps navigation on the app page', () => {
    expect(isAllowedExternalUrl('https://www.quectel.com/')).toBe(true)
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url', 'ms-settings:']) expect(isAllowedExternalUrl(bad)).toBe(false)
    const origin = { fileUrl: 'file:///app/out/renderer/index.html' }
    expect(isAllowedNavigation('file:///app/out/renderer/index.html#run', origin)).toBe(true)
    expect(isAllowedNavigation('file:///etc/passwd', origin)).toBe(false)
    expect(isAllowedNavigation('https://evil.example/', origin)).toBe(false)
  })
})
