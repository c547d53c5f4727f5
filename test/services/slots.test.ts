import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServices, type Services } from '../../src-services/index'
import type { FlashProgress, RunSnapshot, SlotView } from '@shared/ipc'
import type { StationLayout } from '@shared/station-layout'
import { busyboxMissing, startBusyBox, until } from '../engine-session/helpers/busybox-pty'

let services: Services | null = null
const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  await services?.dispose()
  services = null
  for (const c of cleanup.splice(0).reverse()) await c()
})

function start(layout?: StationLayout): { s: Services; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'k230-slots-'))
  if (layout) writeFileSync(join(dir, 'station-layout.json'), JSON.stringify(layout))
  services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), simTimeScale: 0.02, appVersion: 'test', host: 'browser' })
  void services.handlers['settings:set']({ operator: 'slot-op' })
  return { s: services, dir }
}

const MIXED: StationLayout = {
  version: 1,
  locked: false,
  slots: [
    { name: 'A1', scenario: 'healthy' },
    { name: 'A2', scenario: 'no-sim' },
    { name: 'A3', scenario: 'weak-signal' },
    { name: 'A4', scenario: 'healthy' },
  ],
}

function slotEnds(s: Services, slot: number, timeoutMs = 240_000): Promise<RunSnapshot & { slot: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`slot ${slot + 1}'s run did not end`)), timeoutMs)
    const off = s.events.on('run:update', (u) => {
      if (u.slot !== slot || u.running || !u.record || u.record.verdict === 'running') return
      clearTimeout(timer)
      off()
      resolve(u)
    })
  })
}

describe('a station of four slots on the virtual board', () => {
  it('runs four mixed units at once to four correct verdicts, each with its own console, record and journal', async () => {
    const { s, dir } = start(MIXED)
    const text = ['', '', '', '']
    s.events.on('console:data', ({ slot, data }) => (text[slot] += data))
    const overview: SlotView[][] = []
    s.events.on('station:slots', (v) => overview.push(v))
    expect((await s.handlers['station:slots'](undefined)).map((v) => [v.name, v.scenario, v.present])).toEqual([
      ['A1', 'healthy', true],
      ['A2', 'no-sim', true],
      ['A3', 'weak-signal', true],
      ['A4', 'healthy', true],
    ])
    const ends = [0, 1, 2, 3].map((i) => slotEnds(s, i))
    const serials = ['SLOT-U1', 'SLOT-U2', 'SLOT-U3', 'SLOT-U4']
    for (const [i, serial] of serials.entries()) expect((await s.handlers['run:start']({ serial, slot: i })).running).toBe(true)
    await until(() => overview.some((v) => v.filter((x) => x.run.running).length === 4), 60_000, 'all four slots running at once')
    const done = await Promise.all(ends)
    expect(done.map((d) => [d.slot, d.record?.unit.serial, d.record?.verdict])).toEqual([
      [0, 'SLOT-U1', 'pass'],
      [1, 'SLOT-U2', 'fail'],
      [2, 'SLOT-U3', 'fail'],
      [3, 'SLOT-U4', 'pass'],
    ])
    const failed = (d: RunSnapshot) => d.record?.steps.filter((x) => x.verdict === 'fail').map((x) => x.id)
    expect(failed(done[1])).toEqual(['modem'])
    expect(failed(done[2])).toEqual(['modem'])
    expect(new Set(done.map((d) => d.record?.id)).size).toBe(4)
    const tiles = await s.handlers['station:slots'](undefined)
    expect(tiles.map((t) => [t.unit, t.run.record?.verdict, t.console.target])).toEqual([
      ['SLOT-U1', 'pass', 'virtual:healthy'],
      ['SLOT-U2', 'fail', 'virtual:no-sim'],
      ['SLOT-U3', 'fail', 'virtual:weak-signal'],
      ['SLOT-U4', 'pass', 'virtual:healthy'],
    ])
    for (const t of text) expect(t).toContain('[root@canaan ~ ]#')
    const records = readdirSync(join(dir, 'results')).filter((f) => /^SLOT-U\d.*\.json$/.test(f))
    expect(records.map((f) => f.slice(0, 7)).sort()).toEqual(serials)
    const journals = [join(dir, 'journal'), ...[2, 3, 4].map((n) => join(dir, 'slots', String(n), 'journal'))]
    for (const j of journals) expect(readdirSync(j).filter((f) => f.endsWith('.jsonl'))).toHaveLength(1)
    const list = await s.handlers['reports:list']({ includeSimulated: true })
    expect(list.map((e) => e.serial).sort()).toEqual(serials)
  }, 300_000)

  it('refuses a slot the station does not have, and the same unit in two slots at once', async () => {
    const { s } = start({ version: 1, locked: false, slots: [{ name: '1', scenario: 'healthy' }, { name: '2', scenario: 'healthy' }] })
    await expect(s.handlers['run:start']({ serial: 'X-1', slot: 2 })).rejects.toMatchObject({ code: 'no-slot' })
    const first = slotEnds(s, 0)
    await s.handlers['run:start']({ serial: 'SAME-UNIT', slot: 0 })
    await expect(s.handlers['run:start']({ serial: 'SAME-UNIT', slot: 1 })).rejects.toMatchObject({ code: 'unit-in-other-slot' })
    await s.handlers['run:abort']({ slot: 0 })
    expect((await first).record?.verdict).toBe('aborted')
  }, 120_000)
})

describe('the station layout', () => {
  it('is the engineer\u2019s to change, logged with who and what, kept locked when locked, and checked field by field', async () => {
    const { s, dir } = start()
    expect(await s.handlers['station:layout'](undefined)).toEqual({ version: 1, locked: false, slots: [{ name: '1', scenario: 'healthy' }] })
    await expect(s.handlers['station:setLayout'](MIXED)).rejects.toMatchObject({ code: 'locked' })
    await s.handlers['access:setPassword']({ password: 'engineer-pw' })
    const locked = { ...MIXED, locked: true }
    expect(await s.handlers['station:setLayout'](locked)).toEqual(locked)
    expect(JSON.parse(readFileSync(join(dir, 'station-layout.json'), 'utf8'))).toEqual(locked)
    expect((await s.handlers['station:slots'](undefined)).map((v) => v.name)).toEqual(['A1', 'A2', 'A3', 'A4'])
    const renamed = { ...locked, slots: [...locked.slots.slice(0, 3), { name: 'B4', scenario: 'healthy' }] }
    await expect(s.handlers['station:setLayout'](renamed)).rejects.toMatchObject({ code: 'layout-locked' })
    await s.handlers['station:setLayout']({ ...locked, locked: false })
    expect((await s.handlers['station:setLayout']({ ...renamed, locked: false })).slots[3].name).toBe('B4')
    await expect(s.handlers['station:setLayout']({ version: 1, locked: false, slots: [{ name: 'A', scenario: 'healthy' }, { name: 'A', scenario: 'no-sim' }] })).rejects.toMatchObject({
      code: 'bad-layout',
      message: expect.stringContaining('layout.slots[1].name'),
    })
    const audit = await s.handlers['access:audit'](undefined)
    expect(audit.filter((a) => a.action === 'station.layout')).toHaveLength(3)
    expect(audit.find((a) => a.action === 'station.layout')).toMatchObject({ role: 'engineer', operator: 'slot-op' })
  })

  it('a slot whose layout changed runs its next unit on the new console (a layout change is not a Disconnect)', async () => {
    const { s } = start({ version: 1, locked: false, slots: [{ name: 'L1', scenario: 'healthy' }, { name: 'L2', scenario: 'healthy' }] })
    await s.handlers['console:open']({ kind: 'sim', scenario: 'healthy', slot: 1 })
    await s.handlers['access:setPassword']({ password: 'engineer-pw' })
    await s.handlers['station:setLayout']({ version: 1, locked: false, slots: [{ name: 'L1', scenario: 'healthy' }, { name: 'L2', scenario: 'no-sim' }] })
    expect(await s.handlers['console:state']({ slot: 1 })).toMatchObject({ open: false })
    expect((await s.handlers['console:state']({ slot: 1 })).closedByOperator).toBeUndefined()
    const ended = slotEnds(s, 1)
    await s.handlers['run:start']({ serial: 'AFTER-LAYOUT', slot: 1 })
    const done = await ended
    expect([done.record?.verdict, (await s.handlers['console:state']({ slot: 1 })).target]).toEqual(['fail', 'virtual:no-sim'])
  }, 120_000)

  it('a slot the operator disconnected says so in its state until a Connect succeeds, so the overview does not reopen it', async () => {
    const { s } = start({ version: 1, locked: false, slots: [{ name: 'D1', scenario: 'healthy' }, { name: 'D2', scenario: 'healthy' }] })
    expect((await s.handlers['console:state']({ slot: 1 })).closedByOperator).toBeUndefined()
    await s.handlers['console:open']({ kind: 'sim', scenario: 'healthy', slot: 1 })
    const states: { slot?: number; closedByOperator?: boolean; open: boolean }[] = []
    s.events.on('console:state', (state) => states.push(state))
    await s.handlers['console:close']({ slot: 1 })
    expect(await s.handlers['console:state']({ slot: 1 })).toMatchObject({ open: false, closedByOperator: true })
    expect(states.filter((e) => e.slot === 1).at(-1)).toMatchObject({ open: false, closedByOperator: true })
    await expect(s.handlers['run:start']({ serial: 'AFTER-DISCONNECT', slot: 1 })).rejects.toMatchObject({ code: 'disconnected' })
    await s.handlers['console:open']({ kind: 'sim', scenario: 'healthy', slot: 1 })
    expect((await s.handlers['console:state']({ slot: 1 })).closedByOperator).toBeUndefined()
  }, 60_000)

  it('a damaged layout file is kept aside and the station starts with its default slot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-slots-damaged-'))
    writeFileSync(join(dir, 'station-layout.json'), '{"version": 1, "slots": [')
    services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), simTimeScale: 0.02, appVersion: 'test', host: 'browser' })
    expect((await services.handlers['station:layout'](undefined)).slots).toHaveLength(1)
    expect(readdirSync(dir).filter((f) => f.startsWith('station-layout.json.damaged-'))).toHaveLength(1)
    expect(existsSync(join(dir, 'station-layout.json'))).toBe(false)
  })
})

describe('flash then run on a station of two slots', () => {
  it('hands each board of the batch to its own slot\u2019s bring-up, one record each', async () => {
    const { s } = start({ version: 1, locked: false, slots: [{ name: 'F1', scenario: 'healthy' }, { name: 'F2', scenario: 'healthy' }] })
    await s.handlers['console:open']({ kind: 'sim', scenario: 'healthy' })
    const boards = await s.handlers['flash:devices'](undefined)
    expect(boards.map((b) => b.id)).toEqual(['1-1', '1-2'])
    const sample = await s.handlers['flash:sample'](undefined)
    const ends = [slotEnds(s, 0), slotEnds(s, 1)]
    const messages: FlashProgress[] = []
    s.events.on('flash:progress', (p) => p.message && messages.push(p))
    await s.handlers['flash:start']({ image: sample, medium: 'emmc', devices: ['1-1', '1-2'], thenRun: true })
    const done = await Promise.all(ends)
    expect(messages).toEqual([])
    expect(done.map((d) => [d.slot, d.record?.unit.serial, d.record?.verdict, d.record?.steps[0].id])).toEqual([
      [0, 'flash-1-1', 'pass', 'flash'],
      [1, 'flash-1-2', 'pass', 'flash'],
    ])
  }, 300_000)
})

const missing = busyboxMissing()
describe.skipIf(missing)(`a slot bound to a port${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('shows the board as present while its port is there and refuses to run an empty slot', async () => {
    const bb = await startBusyBox()
    cleanup.push(() => bb.close())
    const { s } = start({ version: 1, locked: false, slots: [{ name: 'P1', port: bb.path }, { name: 'P2', port: join(bb.dir, 'not-plugged') }] })
    const tiles = await s.handlers['station:slots'](undefined)
    expect(tiles.map((t) => [t.name, t.port, t.present])).toEqual([
      ['P1', bb.path, true],
      ['P2', join(bb.dir, 'not-plugged'), false],
    ])
    await expect(s.handlers['run:start']({ serial: 'EMPTY-SLOT', slot: 1 })).rejects.toMatchObject({ code: 'slot-empty', message: expect.stringContaining('P2') })
    const views: SlotView[][] = []
    s.events.on('station:slots', (v) => views.push(v))
    await s.handlers['console:open']({ kind: 'port', path: bb.path, baud: 115200, slot: 0 })
    await s.handlers['console:write']({ data: 'echo in-slot-$((2+3))\r', slot: 0 })
    let transcript = ''
    await until(() => (void s.handlers['console:transcript']({ slot: 0 }).then((t) => (transcript = t)), transcript.includes('in-slot-5')), 10_000, 'the shell in slot P1 to answer')
    expect(views.some((v) => v[0].console.open && v[0].console.target === bb.path)).toBe(true)
    expect(await s.handlers['console:transcript']({ slot: 1 })).not.toContain('in-slot-5')
    bb.process.kill('SIGKILL')
    await until(() => views.some((v) => !v[0].present), 30_000, 'slot P1 to show its board gone')
  })
})
