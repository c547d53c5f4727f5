import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServices, type Services } from '../../src-services/index'
import type { FlashProgress } from '@shared/ipc'

let services: Services | null = null
let dir = ''
afterEach(async () => {
  await services?.dispose()
  services = null
  rmSync(dir, { recursive: true, force: true })
})

describe('the flash demo with no hardware and no environment variables', () => {
  it('shows virtual boards in burning mode once the virtual board is chosen, offers the sample image, and flashes it', async () => {
    expect(process.env.K230_FLASH_SIM).toBeUndefined()
    dir = mkdtempSync(join(tmpdir(), 'k230-flash-demo-'))
    const s = (services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), simTimeScale: 0.01, appVersion: 'test', host: 'browser' }))
    await s.handlers['console:open']({ kind: 'sim', scenario: 'healthy' })
    const boards = await s.handlers['flash:devices'](undefined)
    expect(boards.map((b) => [b.id, b.virtual])).toEqual([
      ['1-1', true],
      ['1-2', true],
    ])
    const sample = await s.handlers['flash:sample'](undefined)
    expect(sample.startsWith(join(dir, 'flash'))).toBe(true)
    const image = await s.handlers['flash:inspect']({ path: sample })
    expect(image.parts.map((p) => p.name)).toEqual(['uboot_spl', 'uboot', 'rtt'])
    const ends: FlashProgress[] = []
    const done = new Promise<void>((resolve) =>
      s.events.on('flash:progress', (p) => {
        if (p.phase === 'done' || p.phase === 'failed') ends.push(p)
        if (ends.length === 2) resolve()
      }),
    )
    await s.handlers['flash:start']({ image: sample, medium: 'emmc', devices: ['1-1', '1-2'] })
    await done
    expect(ends.map((p) => [p.deviceId, p.phase, p.outcome]).sort()).toEqual([
      ['1-1', 'done', 'verified'],
      ['1-2', 'done', 'verified'],
    ])
  }, 120_000)

  it('takes an image uploaded from the browser host in ordered chunks, and refuses a chunk out of order or a path as its name', async () => {
    dir = mkdtempSync(join(tmpdir(), 'k230-flash-demo-'))
    const s = (services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), simTimeScale: 0.01, appVersion: 'test', host: 'browser' }))
    const { readFileSync } = await import('node:fs')
    const bytes = readFileSync(await s.handlers['flash:sample'](undefined))
    expect(await s.handlers['flash:upload']({ name: 'mine.kdimg', offset: 0, data: bytes.subarray(0, 600_000).toString('base64'), last: false })).toBeNull()
    await expect(s.handlers['flash:upload']({ name: 'mine.kdimg', offset: 1_000_000, data: 'AA==', last: false })).rejects.toThrow(/expected the chunk at 600000, got 1000000/)
    const path = await s.handlers['flash:upload']({ name: 'mine.kdimg', offset: 600_000, data: bytes.subarray(600_000).toString('base64'), last: true })
    expect(readFileSync(path!).equals(bytes)).toBe(true)
    expect((await s.handlers['flash:inspect']({ path: path! })).parts).toHaveLength(3)
    await expect(s.handlers['flash:upload']({ name: '..', offset: 0, data: '', last: true })).rejects.toThrow(/Not a file name/)
  })
})
