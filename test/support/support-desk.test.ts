import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yauzl from 'yauzl'
import { createServices, type Services } from '../../src-services/index'
import { compareRuns } from '../../src-shared/compare'
import type { RunSnapshot } from '@shared/ipc'

let services: Services | null = null
afterEach(async () => {
  await services?.dispose()
  services = null
})

function start(): { s: Services; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'k230-support-'))
  services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), simTimeScale: 0.02, appVersion: '9.9.9-test', host: 'browser' })
  return { s: services, dir }
}

async function runToEnd(s: Services, start: () => Promise<RunSnapshot>): Promise<RunSnapshot> {
  const ended = new Promise<RunSnapshot>((resolve) => {
    const off = s.events.on('run:update', (u) => {
      if (u.running) return
      off()
      resolve(u)
    })
  })
  expect((await start()).running).toBe(true)
  return ended
}

function zipText(path: string, name: string): Promise<string> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error)
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== name) return zip.readEntry()
        zip.openReadStream(e, (err, stream) => {
          if (err) return reject(err)
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('end', () => (zip.close(), resolve(Buffer.concat(chunks).toString('utf8'))))
        })
      })
      zip.on('end', () => reject(new Error(`${name} is not in ${path}`)))
      zip.readEntry()
    }),
  )
}

function zipNames(path: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: false }, (error, zip) => {
      if (error) return reject(error)
      const names: string[] = []
      zip.on('entry', (e: yauzl.Entry) => names.push(e.fileName))
      zip.on('end', () => resolve(names))
    }),
  )
}

describe('roles', () => {
  it('a technician is locked out of profiles and layout; the engineer password is a salted hash; every change is logged with who and when', async () => {
    const { s, dir } = start()
    await s.handlers['settings:set']({ operator: 'op-17', language: 'zh-CN' })
    await expect(s.handlers['profiles:save']({ name: 'default', text: 'name: default\napn: CMNET\n' })).rejects.toMatchObject({ code: 'locked' })
    await expect(s.handlers['settings:set']({ stationId: 'line-9' })).rejects.toMatchObject({ code: 'locked' })
    await expect(s.handlers['access:unlock']({ password: 'anything' })).rejects.toMatchObject({ code: 'no-password' })
    expect(await s.handlers['access:setPassword']({ password: 'engineer-secret' })).toEqual({ role: 'engineer', passwordSet: true })
    await s.handlers['profiles:save']({ name: 'default', text: 'name: default\napn: CMNET\n' })
    await s.handlers['settings:set']({ stationId: 'line-9' })
    await s.handlers['access:role']({ role: 'technician' })
    await expect(s.handlers['access:setPassword']({ password: 'taken-over!' })).rejects.toMatchObject({ code: 'wrong-password' })
    await expect(s.handlers['access:unlock']({ password: 'wrong-guess' })).rejects.toMatchObject({ code: 'wrong-password' })
    expect(await s.handlers['access:unlock']({ password: 'engineer-secret' })).toMatchObject({ role: 'engineer' })

    const stored = readFileSync(join(dir, 'settings.json'), 'utf8')
    expect(stored).not.toContain('engineer-secret')
    expect(JSON.parse(stored).engineerPasswordHash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]{44}$/)
    expect(JSON.stringify(await s.handlers['settings:get'](undefined))).not.toContain('scrypt')

    const audit = await s.handlers['access:audit'](undefined)
    const actions = audit.map((e) => e.action).reverse()
    expect(actions).toEqual(['settings.change', 'password.set', 'role.engineer', 'profile.save', 'settings.change', 'role.technician', 'role.unlock-refused', 'role.engineer'])
    expect(audit.find((e) => e.action === 'profile.save')).toMatchObject({ role: 'engineer', operator: 'op-17', detail: { name: 'default' } })
    expect(audit.find((e) => e.action === 'settings.change' && 'stationId' in e.detail)?.detail).toEqual({ stationId: { from: 'station-1', to: 'line-9' } })
    for (const e of audit) expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 60_000)
    expect(readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n')).toHaveLength(8)
  })

  it('the operator id is required before the first unit', async () => {
    const { s } = start()
    await s.handlers['console:open']({ kind: 'sim', scenario: 'healthy' })
    await expect(s.handlers['run:start']({ serial: 'NO-OP-1' })).rejects.toMatchObject({ code: 'operator-required' })
  })
})

describe('support desk on a returned unit', () => {
  it('finds the factory run first, runs one step as a diagnostic kept apart from yield, compares it and bundles it for a colleague', async () => {
    const { s, dir } = start()
    await s.handlers['settings:set']({ operator: 'factory-op' })
    await s.handlers['console:open']({ kind: 'sim', scenario: 'healthy' })
    const factory = await runToEnd(s, () => s.handlers['run:start']({ serial: 'RMA-0001', modes: ['ecm'] }))
    expect(factory.record?.verdict).toBe('pass')
    expect(factory.record?.purpose).toBeUndefined()

    await s.handlers['access:role']({ role: 'support' })
    await s.handlers['settings:set']({ operator: 'support-op' })
    await s.handlers['console:open']({ kind: 'sim', scenario: 'no-sim' })
    const diag = await runToEnd(s, () => s.handlers['run:start']({ serial: 'RMA-0001', steps: ['modem'] }))
    expect(diag.record?.purpose).toBe('support')
    expect(diag.record?.steps.map((x) => x.id)).toEqual(['console', 'usb', 'modem'])
    expect(diag.record?.steps.find((x) => x.id === 'modem')?.verdict).toBe('fail')
    await expect(s.handlers['run:start']({ serial: 'RMA-0001', steps: ['no-such-step'] })).rejects.toMatchObject({ code: 'unknown-step' })
    expect(await s.handlers['run:snapshot'](undefined)).toMatchObject({ running: false })

    expect(await s.handlers['reports:list']({ includeSimulated: true })).toHaveLength(1)
    expect(await s.handlers['reports:yield']({ includeSimulated: true })).toMatchObject({ total: 1, passed: 1 })
    expect(readFileSync(join(dir, 'results', 'ledger.csv'), 'utf8')).not.toContain(diag.record?.id)

    const imei = factory.record?.unit.imei as string
    expect(imei).toMatch(/^\d{15}$/)
    const byImei = await s.handlers['support:lookup']({ key: imei })
    const bySerial = await s.handlers['support:lookup']({ key: 'rma-0001' })
    expect(await s.handlers['support:lookup']({ key: 'RMA-000' })).toEqual([])
    for (const runs of [byImei, bySerial])
      expect(runs.map((r) => [r.id, r.purpose])).toEqual([
        [factory.record?.id, 'production'],
        [diag.record?.id, 'support'],
      ])

    const c = compareRuns(await s.handlers['support:record']({ id: bySerial[0].id }), await s.handlers['support:record']({ id: bySerial[1].id }))
    expect(c.steps.find((x) => x.id === 'modem')).toMatchObject({ factory: 'pass', now: 'fail', verdictDiffers: true })
    expect(c.steps.find((x) => x.id === 'ecm.net')).toMatchObject({ factory: 'pass', now: 'absent' })
    expect(c.steps.find((x) => x.id === 'usb')).toMatchObject({ verdictDiffers: false })

    expect(await s.handlers['support:notes']({ key: 'RMA-0001', text: 'Customer: no network.' })).toBe('Customer: no network.')
    const written = await s.handlers['support:bundle']({ key: 'RMA-0001', notes: 'Customer: no network. SIM missing on return.', ids: [] })
    expect(written.fileName).toMatch(/^support-RMA-0001-\d{8}T\d{6}\.zip$/)
    const names = await zipNames(written.path)
    expect(names).toEqual(expect.arrayContaining(['manifest.json', 'dmesg.txt', 'usb-devices.txt', 'profile.yaml', 'notes.txt', 'app-version.txt']))
    expect(names.filter((n) => n.startsWith('records/'))).toHaveLength(2)
    expect(names.filter((n) => n.startsWith('transcripts/'))).toHaveLength(2)
    expect(await s.handlers['support:notes']({ key: 'RMA-0001' })).toBe('Customer: no network. SIM missing on return.')

    const colleague = start().s
    const opened = await colleague.handlers['reports:openBundle']({ path: written.path })
    expect(opened).toMatchObject({ unit: 'RMA-0001', appVersion: '9.9.9-test', notes: 'Customer: no network. SIM missing on return.' })
    expect(opened.entries.map((e) => e.purpose).sort()).toEqual(['production', 'support'])
    const html = await colleague.handlers['reports:html']({ id: diag.record?.id as string, lang: 'en' })
    expect(html).toContain('RMA-0001')

    const bytes = readFileSync(written.path)
    const cut = join(dir, 'cut.zip')
    writeFileSync(cut, bytes.subarray(0, bytes.length - 40))
    await expect(colleague.handlers['reports:openBundle']({ path: cut })).rejects.toMatchObject({ code: 'bad-bundle' })
    const notZip = join(dir, 'notes.zip')
    writeFileSync(notZip, 'just text')
    await expect(colleague.handlers['reports:openBundle']({ path: notZip })).rejects.toMatchObject({ code: 'bad-bundle' })
    expect(existsSync(written.path)).toBe(true)
  }, 240_000)
})

describe('support: the whole checklist and a bundle without secrets', () => {
  it('a whole-checklist diagnostic of a unit found by ICCID, compared with its factory run; the bundle keeps the profile but not its PPP password', async () => {
    const { s } = start()
    await s.handlers['access:setPassword']({ password: 'correct horse' })
    await s.handlers['access:unlock']({ password: 'correct horse' })
    await s.handlers['profiles:save']({ name: 'secret-line', text: 'name: secret-line\napn: CMNET\nuser: card\npassword: Hunter2-Secret\nmodes: [ecm]\n' })
    await s.handlers['settings:set']({ profile: 'secret-line', operator: 'factory-op' })
    await s.handlers['console:open']({ kind: 'sim', scenario: 'healthy' })
    const factory = await runToEnd(s, () => s.handlers['run:start']({ serial: 'RMA-0002' }))
    expect(factory.record?.verdict).toBe('pass')
    const iccid = factory.record?.unit.iccid as string
    expect(iccid).toMatch(/^\d{19,20}F?$/i)

    await s.handlers['access:role']({ role: 'support' })
    await s.handlers['settings:set']({ operator: 'support-op' })
    await s.handlers['console:open']({ kind: 'sim', scenario: 'weak-signal' })
    const whole = await runToEnd(s, () => s.handlers['run:start']({ serial: 'RMA-0002' }))
    expect(whole.record?.purpose).toBe('support')
    expect(whole.record?.steps.map((x) => x.id)).toEqual(factory.record?.steps.map((x) => x.id))

    const runs = await s.handlers['support:lookup']({ key: iccid.toLowerCase() })
    expect(runs.map((r) => [r.id, r.purpose])).toEqual([
      [factory.record?.id, 'production'],
      [whole.record?.id, 'support'],
    ])
    const c = compareRuns(await s.handlers['support:record']({ id: runs[0].id }), await s.handlers['support:record']({ id: runs[1].id }))
    expect(c.steps.every((x) => x.factory !== 'absent' && x.now !== 'absent')).toBe(true)
    expect(c.steps.find((x) => x.id === 'modem')?.measurements.find((m) => m.name === 'signal')).toMatchObject({ changed: true })

    const written = await s.handlers['support:bundle']({ key: 'RMA-0002', notes: 'weak signal on return', ids: [] })
    const profile = await zipText(written.path, 'profile.yaml')
    expect(profile).toContain('apn: CMNET')
    expect(profile).toContain('user: card')
    expect(profile).not.toMatch(/password/i)
    expect(readFileSync(written.path).includes(Buffer.from('Hunter2-Secret'))).toBe(false)
  }, 240_000)
})
