import { afterAll, describe, expect, it } from 'vitest'
import { flashStepRecord, type FlashResult } from '@shared/flash'
import { flash } from '@engine/flash/flasher'
import { createVirtualBurnBus } from '@board/burn/bus'
import { virtualLoaders } from '@board/burn/loaders'
import { VIRTUAL_FLASH_SCENARIOS } from '@board/burn/scenarios'
import { flashExitCode } from '../../src-cli/commands/flash'
import { firmwareImage, flashVirtual, put, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())
const image = put(tmp.dir, 'fw.kdimg', firmwareImage('emmc'))

const expectations: Record<string, { outcome: FlashResult['outcome']; code?: string; message?: RegExp; verdict: string; exit: number }> = {
  healthy: { outcome: 'verified', verdict: 'pass', exit: 0 },
  'vanish-mid-write': { outcome: 'device-lost', code: 'device-lost', message: /board on USB port 1-1 disconnected/, verdict: 'error', exit: 3 },
  'write-error': { outcome: 'write-failed', code: 'write-error', message: /Writing the medium failed after \d+ of \d+ bytes at 0x100000: device says "WRITE ERROR, 0xfffffffb"/, verdict: 'fail', exit: 1 },
  'verify-mismatch': { outcome: 'verify-failed', code: 'verify-mismatch', message: /Read-back of uboot_spl at 0x100000 does not match what was written/, verdict: 'fail', exit: 1 },
  'wrong-loader': { outcome: 'error', code: 'loader-rejected', message: /loader could not open the eMMC \(device says "PROBE FAILED"\)/, verdict: 'error', exit: 1 },
  'medium-too-small': { outcome: 'write-failed', code: 'medium-too-small', message: /eMMC is too small: the image needs \d+ bytes \(part small ends at 0x[0-9a-f]+\) but the medium holds 4194304 bytes/, verdict: 'fail', exit: 1 },
  'slow-device': { outcome: 'verified', verdict: 'pass', exit: 0 },
}

describe('every fault scenario ends with a clear message and a record', () => {
  it('covers every named scenario', () => {
    expect(VIRTUAL_FLASH_SCENARIOS.map((s) => s.name).sort()).toEqual(Object.keys(expectations).sort())
  })

  for (const [scenario, want] of Object.entries(expectations)) {
    it(scenario, async () => {
      const { result } = await flashVirtual(image, 'emmc', scenario)
      expect(result.outcome).toBe(want.outcome)
      if (want.code) expect(result.error).toMatchObject({ code: want.code, message: expect.stringMatching(want.message!) })
      else expect(result.error).toBeUndefined()
      const step = flashStepRecord(result)
      expect(step.verdict).toBe(want.verdict)
      expect(step.attempts[0].error?.message).toBe(result.error?.message)
      expect(step.attempts[0].evidence.excerpt).toContain('fw.kdimg')
      expect(JSON.parse(JSON.stringify(result))).toEqual(result)
      expect(flashExitCode(result)).toBe(want.exit)
    })
  }

  it('a write error stops before writing anything after the failing chunk', async () => {
    const { result, bus } = await flashVirtual(image, 'emmc', 'write-error')
    expect(result.parts).toHaveLength(1)
    expect(result.bytesWritten).toBeLessThan(result.parts[0].writtenBytes)
    expect(bus.device('1-1')!.medium('emmc').read(0x180000, 16).every((b) => b === 0)).toBe(true)
  })

  it('a slow device reports a lower speed and an ETA while writing', async () => {
    const write = async (scenario: 'healthy' | 'slow-device') => {
      const etas: (number | null)[] = []
      const speeds: number[] = []
      const bus = createVirtualBurnBus({ scenario, timeScale: 1 })
      const result = await flash({ bus, imagePath: image, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20, onProgress: (p) => p.phase === 'write' && (etas.push(p.etaSec), speeds.push(p.bytesPerSec)) })
      expect(result.outcome).toBe('verified')
      const sorted = speeds.filter((v) => v > 0).sort((x, y) => x - y)
      return { etas, median: sorted[Math.floor(sorted.length / 2)] ?? 0, throughput: result.throughputBytesPerSec }
    }
    const slowMediumBytesPerSec = 2_000_000
    const slow = await write('slow-device')
    expect(slow.etas.some((e) => e !== null && e > 0)).toBe(true)
    expect(slow.throughput).toBeLessThanOrEqual(slowMediumBytesPerSec * 1.05)
    expect(slow.median).toBeGreaterThan(0)
    expect(slow.median).toBeLessThan(slowMediumBytesPerSec * 1.3)
  }, 60_000)

  it('a loader that never enumerates ends in a handoff timeout, not a hang', async () => {
    const bus = createVirtualBurnBus({ timeScale: 0.002 })
    const junk = { description: 'junk', load: async () => ({ name: 'junk.bin', bytes: new Uint8Array(5000).fill(7) }) }
    const result = await flash({ bus, imagePath: image, medium: 'emmc', loaders: junk, handoffTimeoutMs: 300, pollMs: 20 })
    expect(result.error).toMatchObject({ code: 'handoff-timeout', message: expect.stringMatching(/did not come back as the loader within 0\.3 s/) })
    expect(flashExitCode(result)).toBe(3)
  })

  it('an operator abort ends the flash as aborted', async () => {
    const controller = new AbortController()
    const bus = createVirtualBurnBus({ timeScale: 0.05 })
    const result = await flash({ bus, imagePath: image, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20, signal: controller.signal, onProgress: (p) => p.phase === 'write' && controller.abort() })
    expect(result.outcome).toBe('aborted')
    expect(flashStepRecord(result).verdict).toBe('aborted')
  })

  it('a missing board is named, and several boards need an address', async () => {
    const bus = createVirtualBurnBus({ timeScale: 0.002, boards: 2 })
    const missing = await flash({ bus, address: '2-9', imagePath: image, medium: 'emmc', loaders: virtualLoaders() })
    expect(missing.error?.message).toMatch(/No board in burning mode on USB port 2-9 \(boards found on: 1-1, 1-2\)/)
    const several = await flash({ bus, imagePath: image, medium: 'emmc', loaders: virtualLoaders() })
    expect(several.error?.message).toMatch(/Several boards are in burning mode \(1-1, 1-2\)/)
  })
})
