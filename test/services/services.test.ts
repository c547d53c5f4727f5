import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServices, type Services } from '../../src-services/index'
import type { RunSnapshot } from '@shared/ipc'
import { trustedKeys, verifyFile } from '@engine/report/index'

let services: Services | null = null
afterEach(async () => {
  await services?.dispose()
  services = null
})

function start(): { services: Services; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'k230-services-'))
  services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), simTimeScale: 0.02, appVersion: 'test', host: 'browser' })
  void services.handlers['settings:set']({ operator: 'svc-op' })
  return { services, dir }
}

function runEnds(s: Services, timeoutMs = 120_000): Promise<RunSnapshot> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('run did not end')), timeoutMs)
    const off = s.events.on('run:update', (u) => {
      if (u.running) return
      clearTimeout(timer)
      off()
      resolve(u)
    })
  })
}

describe('services on the virtual board through the real engine', () => {
  it('a run on a healthy board passes, streams console text, and lands in the results folder with its reports', async () => {
    const { services: s, dir } = start()
    let consoleText = ''
    s.events.on('console:data', (t) => (consoleText += t.data))
    await s.handlers['console:open']({ kind: 'sim', scenario: 'healthy' })
    const ended = runEnds(s)
    const first = await s.handlers['run:start']({ serial: 'SVC-0001', modes: ['rndis', 'ecm'] })
    expect(first.running).toBe(true)
    await expect(s.handlers['console:write']({ data: 'reboot\r' })).rejects.toThrow(/read-only while a run/)
    await expect(s.handlers['run:start']({ serial: 'SVC-0002' })).rejects.toThrow(/already in progress/)
    const done = await ended
    expect(done.record?.steps.filter((x) => x.verdict !== 'pass').map((x) => `${x.id}: ${x.attempts.at(-1)?.reason}`)).toEqual([])
    expect(done.record?.verdict).toBe('pass')
    expect(done.record?.steps.map((x) => x.id)).toContain('ecm.net')
    expect(done.record?.steps.some((x) => x.id.startsWith('ppp.'))).toBe(false)
    expect(done.done).toBe(done.total)
    expect(consoleText).toContain('[root@canaan ~ ]#')
    expect(await s.handlers['reports:list']({ query: 'svc-0001' })).toHaveLength(0)
    const list = await s.handlers['reports:list']({ query: 'svc-0001', includeSimulated: true })
    expect(list).toHaveLength(1)
    expect(list[0].simulated).toBe(true)
    expect(readdirSync(join(dir, 'results')).some((f) => f.startsWith('SVC-0001') && f.endsWith('.junit.xml'))).toBe(true)
    const stored = readdirSync(join(dir, 'results')).filter((f) => f.startsWith('SVC-0001') && (f.endsWith('.json') || f.endsWith('.html')))
    const own = await s.handlers['keys:list'](undefined as never)
    for (const f of stored) expect(await verifyFile(join(dir, 'results', f), trustedKeys(join(dir, 'keys'))), f).toMatchObject({ status: 'intact', keyId: own.own.keyId })
    const html = await s.handlers['reports:html']({ id: list[0].id, lang: 'zh-CN' })
    expect(html).toContain('SVC-0001')
    expect(await s.handlers['reports:yield']({})).toMatchObject({ total: 0, passed: 0 })
    const y = await s.handlers['reports:yield']({ includeSimulated: true })
    expect(y).toMatchObject({ total: 1, passed: 1, includesSimulated: true })
    await s.handlers['console:write']({ data: 'echo after-$((40+2))\r' })
    await expect.poll(() => consoleText, { timeout: 20_000 }).toContain('after-42')
  })

  it('a failing unit keeps earlier attempts when the failed steps are rerun; an unknown step is refused', async () => {
    const { services: s } = start()
    await s.handlers['console:open']({ kind: 'sim', scenario: 'no-sim' })
    let ended = runEnds(s)
    await s.handlers['run:start']({ serial: 'SVC-NOSIM', modes: ['ecm'] })
    const failed = await ended
    expect(failed.record?.verdict).toBe('fail')
    const modem = failed.record?.steps.find((x) => x.id === 'modem')
    expect(modem?.verdict).toBe('fail')
    expect(modem?.attempts.at(-1)?.remediation?.fix).toMatch(/Insert a SIM/)
    await expect(s.handlers['run:rerun']({ steps: ['no-such-step'] })).rejects.toThrow(/No step named no-such-step/)
    ended = runEnds(s)
    await s.handlers['run:rerun']({ steps: 'failed' })
    const again = await ended
    expect(again.record?.steps.find((x) => x.id === 'modem')?.attempts).toHaveLength(2)
    expect(again.record?.id).toBe(failed.record?.id)
  })

  it('abort stops the run and keeps what was measured', async () => {
    const { services: s } = start()
    await s.handlers['console:open']({ kind: 'sim', scenario: 'healthy' })
    const ended = runEnds(s)
    const firstStepDone = new Promise<void>((ok) => {
      const off = s.events.on('run:update', (u) => {
        if (u.record?.steps.some((x) => x.attempts.length > 0)) {
          off()
          ok()
        }
      })
    })
    await s.handlers['run:start']({ serial: 'SVC-ABORT' })
    await firstStepDone
    await s.handlers['run:abort'](undefined)
    const done = await ended
    expect(done.record?.status).toBe('aborted')
    expect(done.record?.verdict).toBe('aborted')
    expect(done.record?.steps.find((x) => x.id === 'console')?.attempts).toHaveLength(1)
    expect(done.record?.steps.filter((x) => x.verdict === 'pending' || x.verdict === 'running')).toEqual([])
    const again = runEnds(s)
    await s.handlers['run:rerun']({ steps: 'failed' })
    const resumed = await again
    expect(resumed.record?.id).toBe(done.record?.id)
    expect(resumed.record).toMatchObject({ status: 'completed', verdict: 'pass' })
    expect(resumed.record?.steps.find((x) => x.id === 'console')?.attempts).toHaveLength(1)
  })

  it('the AT console answers through the board with parsed values, and says why a command failed', async () => {
    const { services: s } = start()
    await expect(s.handlers['at:send']({ command: 'AT+CSQ' })).rejects.toThrow(/No console is open/)
    await s.handlers['console:open']({ kind: 'sim', scenario: 'no-sim' })
    const csq = await s.handlers['at:send']({ command: 'AT+CSQ' })
    expect(csq).toMatchObject({ ok: true, final: 'OK' })
    expect(csq.lines[0]).toMatch(/^\+CSQ: \d+,\d+$/)
    expect(csq.parsed).toHaveProperty('dbm')
    const cpin = await s.handlers['at:send']({ command: 'AT+CPIN?' })
    expect(cpin).toMatchObject({ ok: false, final: '+CME ERROR: 10' })
    expect(cpin.meaning).toMatch(/SIM not inserted/i)
  })

  it('settings survive a restart; a damaged settings file is kept aside and defaults used', async () => {
    const { services: s, dir } = start()
    await s.handlers['settings:set']({ language: 'zh-CN', operator: 'op7' })
    await s.dispose()
    services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), appVersion: 'test', host: 'browser' })
    expect(await services.handlers['settings:get'](undefined)).toMatchObject({ language: 'zh-CN', operator: 'op7' })
    await services.dispose()
    writeFileSync(join(dir, 'settings.json'), '{ not json')
    services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), appVersion: 'test', host: 'browser' })
    expect(await services.handlers['settings:get'](undefined)).toMatchObject({ language: 'system', operator: '' })
    expect(readdirSync(dir).some((f) => f.startsWith('settings.json.damaged-'))).toBe(true)
  })

  it('writes the SDK overlay of a profile into the results folder, with the same PPP files the checklist pushes', async () => {
    const { services: s, dir } = start()
    await s.handlers['access:setPassword']({ password: 'engineer-pw' })
    await s.handlers['profiles:save']({ name: 'line-9', text: 'name: line-9\napn: CMNET\n' })
    const view = await s.handlers['profiles:sdkOverlay']({ name: 'line-9' })
    expect(view.dir).toBe(join(dir, 'results', 'sdk-overlay', 'line-9'))
    expect(view.files).toContain('board/common/post_copy_rootfs/etc/ppp/quectel-pppd.sh')
    expect(readFileSync(join(view.dir, 'board/common/post_copy_rootfs/etc/ppp/peers/quectel-chat-connect'), 'utf8')).toContain('"CMNET"')
    expect(readFileSync(join(view.dir, 'kernel/k230-ec200a.config'), 'utf8')).toMatch(/^CONFIG_USB_SERIAL_OPTION=y$/m)
    mkdirSync(join(dir, 'profiles'), { recursive: true })
    writeFileSync(join(dir, 'profiles', 'bad.yaml'), 'apn: 7\n')
    await expect(s.handlers['profiles:sdkOverlay']({ name: 'bad' })).rejects.toThrow(/apn/)
  })

  it('profiles: an invalid one is refused naming the field and the saved file is untouched', async () => {
    const { services: s, dir } = start()
    await s.handlers['access:setPassword']({ password: 'engineer-pw' })
    expect(await s.handlers['profiles:validate']({ text: 'limits: { csqMinDbm: 5 }\n' })).toEqual([expect.objectContaining({ message: expect.stringContaining("field 'limits.csqMinDbm'"), key: 'profileError.inField' })])
    await s.handlers['profiles:save']({ name: 'line-3', text: 'name: line-3\napn: CMNET\n' })
    await expect(s.handlers['profiles:save']({ name: 'line-3', text: 'apn: [1, 2]\n' })).rejects.toThrow(/not saved.*apn/)
    expect((await s.handlers['profiles:load']({ name: 'line-3' })).text).toContain('CMNET')
    expect(await s.handlers['profiles:list'](undefined)).toEqual(['default', 'line-3'])
    mkdirSync(join(dir, 'profiles'), { recursive: true })
    writeFileSync(join(dir, 'profiles', 'broken.yaml'), 'apn: "x y"\n')
    await s.handlers['settings:set']({ profile: 'broken' })
    await s.handlers['console:open']({ kind: 'sim', scenario: 'healthy' })
    await expect(s.handlers['run:start']({ serial: 'SVC-BADPROFILE' })).rejects.toThrow(/field 'apn'/)
    expect(await s.handlers['run:snapshot'](undefined)).toMatchObject({ running: false, error: expect.stringContaining("field 'apn'") })
  })
})

describe('a run that cannot start', () => {
  it('says why and does not stay "running" when the board cannot be opened', async () => {
    const { services: s } = start()
    await s.handlers['settings:set']({ scenario: 'no-such-scenario' })
    const updates: RunSnapshot[] = []
    s.events.on('run:update', (u) => updates.push(u))
    await expect(s.handlers['run:start']({ serial: 'SVC-NOBOARD' })).rejects.toThrow(/no-such-scenario/)
    expect(updates.at(-1)).toMatchObject({ running: false, error: expect.stringContaining('no-such-scenario') })
    expect(await s.handlers['run:snapshot'](undefined)).toMatchObject({ running: false })
  })
})
