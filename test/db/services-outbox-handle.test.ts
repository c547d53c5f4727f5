/** The services keep one embedded-database handle for the outbox: listings after the first reuse it (and still see new record files), the lock file is held meanwhile, and shutdown closes it and frees the lock. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createServices, type Services } from '../../src-services/index'
import { StationIndex, STATION_DB_DIR } from '../../src-engine/db/index'
import { renderJson } from '@engine/report/index'
import { stationRecord } from './records'

describe('outbox listing keeps one embedded-database handle', () => {
  let dir: string
  let results: string
  let services: Services | undefined

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'k230-outbox-handle-'))
    results = join(dir, 'results')
  })

  afterAll(async () => {
    await services?.dispose()
    vi.restoreAllMocks()
    rmSync(dir, { recursive: true, force: true })
  })

  it('opens the index once across listings, sees files added in between, and releases it on shutdown', async () => {
    const opens = vi.spyOn(StationIndex, 'open')
    services = createServices({ dataDir: dir, resultsDir: results, appVersion: 'test', host: 'browser' })
    const first = stationRecord('ST-H', 'HOLD-0001', 1)
    const second = stationRecord('ST-H', 'HOLD-0002', 2)
    mkdirSync(results, { recursive: true })
    writeFileSync(join(results, `${first.id}.json`), renderJson(first))

    const one = await services.handlers['outbox:list'](undefined as never)
    expect(one.items.map((i) => i.runId)).toEqual([first.id])
    const lock = join(results, `${STATION_DB_DIR}.lock`)
    expect(existsSync(lock)).toBe(true)

    writeFileSync(join(results, `${second.id}.json`), renderJson(second))
    const two = await services.handlers['outbox:list'](undefined as never)
    expect(two.items.map((i) => i.runId).sort()).toEqual([first.id, second.id].sort())
    const three = await services.handlers['outbox:list'](undefined as never)
    expect(three.items).toHaveLength(2)
    expect(opens).toHaveBeenCalledTimes(1)

    await services.dispose()
    services = undefined
    expect(existsSync(lock)).toBe(false)
    const reopened = await StationIndex.using(results, (index) => index.outbox())
    expect(reopened.map((i) => i.runId).sort()).toEqual([first.id, second.id].sort())
  }, 120_000)

  it('History, search, yield and the outbox share that one on-disk handle, and a restart reads the same index without rebuilding it', async () => {
    const shared = join(dir, 'shared')
    const sharedResults = join(shared, 'results')
    mkdirSync(sharedResults, { recursive: true })
    const records = [stationRecord('ST-S', 'SHARE-0001', 1), stationRecord('ST-S', 'SHARE-0002', 2, true), { ...stationRecord('ST-S', 'SHARE-0003', 3), unit: { ...stationRecord('ST-S', 'SHARE-0003', 3).unit, iccid: '89860012345678901234' } }]
    for (const r of records) writeFileSync(join(sharedResults, `${r.id}.json`), renderJson(r))
    const opens = vi.spyOn(StationIndex, 'open')
    opens.mockClear()
    services = createServices({ dataDir: shared, resultsDir: sharedResults, appVersion: 'test', host: 'browser' })
    const listed = await services.handlers['reports:list']({} as never)
    expect(listed.map((e) => e.serial).sort()).toEqual(['SHARE-0001', 'SHARE-0002', 'SHARE-0003'])
    expect((await services.handlers['reports:list']({ query: '8986001234' } as never)).map((e) => e.serial)).toEqual(['SHARE-0003'])
    const yieldView = await services.handlers['reports:yield']({} as never)
    expect([yieldView.total, yieldView.passed]).toEqual([3, 2])
    expect((await services.handlers['outbox:list'](undefined as never)).items).toHaveLength(3)
    expect(opens.mock.calls.map((c) => c[0])).toEqual([sharedResults])
    expect(existsSync(join(sharedResults, STATION_DB_DIR, 'PG_VERSION'))).toBe(true)
    await services.dispose()
    services = undefined

    opens.mockClear()
    services = createServices({ dataDir: shared, resultsDir: sharedResults, appVersion: 'test', host: 'browser' })
    expect((await services.handlers['reports:list']({} as never)).map((e) => e.serial).sort()).toEqual(['SHARE-0001', 'SHARE-0002', 'SHARE-0003'])
    const reopened = await opens.mock.results[0].value as Awaited<ReturnType<typeof StationIndex.open>>
    expect(reopened.refresh).toMatchObject({ added: 0, rebuilt: false })
    await services.dispose()
    services = undefined
  }, 120_000)

  it('lets the index and its lock go once idle, so a CLI on the same folder gets in; the next listing takes it again', async () => {
    const idle = join(dir, 'idle')
    const idleResults = join(idle, 'results')
    mkdirSync(idleResults, { recursive: true })
    const record = stationRecord('ST-I', 'IDLE-0001', 3)
    writeFileSync(join(idleResults, `${record.id}.json`), renderJson(record))
    services = createServices({ dataDir: idle, resultsDir: idleResults, appVersion: 'test', host: 'browser', lineSync: { holdIdleMs: 50 } })
    expect((await services.handlers['outbox:list'](undefined as never)).items.map((i) => i.runId)).toEqual([record.id])
    const lock = join(idleResults, `${STATION_DB_DIR}.lock`)
    const deadline = Date.now() + 30_000
    while (existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(existsSync(lock)).toBe(false)
    expect((await StationIndex.using(idleResults, (index) => index.outbox())).map((i) => i.runId)).toEqual([record.id])
    expect((await services.handlers['outbox:list'](undefined as never)).items).toHaveLength(1)
    await services.dispose()
    services = undefined
  }, 120_000)
})
