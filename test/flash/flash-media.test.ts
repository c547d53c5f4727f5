import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { flashStepRecord, type FlashMedium } from '@shared/flash'
import { otpConfirmationPhrase } from '@engine/flash/flasher'
import { readKdimgBySheet } from './independent-kdimg-reader'
import { patternBytes } from './kdimg-builder'
import { firmwareImage, flashVirtual, put, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

describe('flashing each medium on the virtual K230 with a read-back verify where the loader can read', () => {
  for (const medium of ['emmc', 'sd'] as FlashMedium[]) {
    it(`writes and verifies a kdimg on ${medium}`, async () => {
      const path = put(tmp.dir, `${medium}.kdimg`, firmwareImage(medium))
      const progress: string[] = []
      const { result, bus } = await flashVirtual(path, medium, 'healthy', { onProgress: (p) => progress.push(p.phase) })
      expect(result.error).toBeUndefined()
      expect(result.outcome).toBe('verified')
      expect(result.verify).toBe('pass')
      expect(result.medium).toBe(medium)
      const sheet = readKdimgBySheet(readFileSync(path))
      expect(result.parts.map((p) => [p.name, p.offset, p.imageSha256, p.readBackSha256, p.verify])).toEqual(sheet.map((s) => [s.name, s.partOffset, s.sha256, s.sha256, 'pass']))
      const device = bus.device('1-1')!
      for (const s of sheet) {
        const content = readFileSync(path).subarray(s.contentOffset, s.contentOffset + s.contentSize)
        expect(sha(device.medium(medium).read(s.partOffset, s.contentSize))).toBe(sha(content))
      }
      expect(result.bytesWritten).toBe(result.parts.reduce((n, p) => n + p.writtenBytes, 0))
      expect(result.throughputBytesPerSec).toBeGreaterThan(0)
      expect([...new Set(progress)].filter((p) => p !== 'erase')).toEqual(['image', 'loader', 'handoff', 'probe', 'write', 'verify', 'done'])
      expect(device.loaderFamily).toBe(medium === 'emmc' || medium === 'sd' ? 'mmc' : medium.replace('-', '_'))
      const step = flashStepRecord(result)
      expect(step).toMatchObject({ id: 'flash', verdict: 'pass' })
      expect(step.attempts[0].measurements.find((m) => m.name === 'verify')).toMatchObject({ value: 'pass', outcome: 'pass' })
    })
  }

  for (const medium of ['spi-nand', 'spi-nor'] as FlashMedium[]) {
    it(`writes a kdimg on ${medium} and says it is not verifiable with the public loader (its read is a stub)`, async () => {
      const path = put(tmp.dir, `${medium}.kdimg`, firmwareImage(medium))
      const progress: string[] = []
      const { result, bus } = await flashVirtual(path, medium, 'healthy', { onProgress: (p) => progress.push(p.phase) })
      expect(result.error).toBeUndefined()
      expect(result).toMatchObject({ outcome: 'written-unverified', verify: 'unverifiable', medium })
      const sheet = readKdimgBySheet(readFileSync(path))
      expect(result.parts.map((p) => [p.name, p.offset, p.imageSha256, p.readBackSha256, p.verify])).toEqual(sheet.map((s) => [s.name, s.partOffset, s.sha256, undefined, 'unverifiable']))
      const device = bus.device('1-1')!
      for (const s of sheet) {
        const content = readFileSync(path).subarray(s.contentOffset, s.contentOffset + s.contentSize)
        expect(sha(device.medium(medium).read(s.partOffset, s.contentSize))).toBe(sha(content))
      }
      expect(progress).not.toContain('verify')
      expect(device.loaderFamily).toBe(medium.replace('-', '_'))
      const step = flashStepRecord(result)
      expect(step).toMatchObject({ id: 'flash', verdict: 'pass', attempts: [{ reason: 'written, not verifiable with this loader' }] })
      expect(step.attempts[0].measurements.find((m) => m.name === 'verify')).toMatchObject({ value: 'not verifiable with this loader', outcome: 'unset' })
    })
  }

  it('erases the rest of a part up to its erase size, and nothing beyond', async () => {
    const path = put(tmp.dir, 'nor.kdimg', firmwareImage('spi-nor'))
    const { createVirtualBurnBus } = await import('@board/burn/bus')
    const { flash } = await import('@engine/flash/flasher')
    const { virtualLoaders } = await import('@board/burn/loaders')
    const bus = createVirtualBurnBus({ timeScale: 0.002 })
    const nor = bus.device('1-1')!.medium('spi-nor')
    nor.write(0, new Uint8Array(0x200000).fill(0x55))
    const result = await flash({ bus, imagePath: path, medium: 'spi-nor', loaders: virtualLoaders(), pollMs: 20 })
    expect(result.outcome).toBe('written-unverified')
    const uboot = result.parts.find((p) => p.name === 'uboot')!
    const from = Math.ceil((uboot.offset + uboot.writtenBytes) / 4096) * 4096
    expect(nor.read(from, uboot.offset + 0x80000 - from).every((b) => b === 0xff)).toBe(true)
    expect(nor.read(uboot.offset + 0x80000, 4096).every((b) => b === 0x55)).toBe(true)
  })

  it('writes a plain .img at its target address and reboots when asked', async () => {
    const data = patternBytes(777_777, 21)
    const path = put(tmp.dir, 'rtt.img', data)
    const { result, bus } = await flashVirtual(path, 'sd', 'healthy', { plainAddress: 0x400000, reboot: true })
    expect(result.outcome).toBe('verified')
    expect(result.rebooted).toBe(true)
    expect(result.parts).toMatchObject([{ name: 'image', offset: 0x400000, contentBytes: 777_777, writtenBytes: 778_240 }])
    const device = bus.device('1-1')!
    expect(sha(device.medium('sd').read(0x400000, data.length))).toBe(sha(data))
    expect(device.attached).toBe(false)
  })

  it('refuses OTP unless enabled and confirmed with the exact phrase, then writes it', async () => {
    const path = put(tmp.dir, 'otp.img', patternBytes(64, 3))
    const off = await flashVirtual(path, 'otp', 'healthy', { address: '1-1' })
    expect(off.result).toMatchObject({ outcome: 'refused', error: { code: 'otp-refused', message: expect.stringMatching(/irreversible/) } })
    expect(off.bus.device('1-1')!.stage).toBe('brom')
    const typo = await flashVirtual(path, 'otp', 'healthy', { address: '1-1', otp: { enabled: true, confirmation: 'yes' } })
    expect(typo.result.error?.message).toContain(`type exactly "${otpConfirmationPhrase('1-1')}"`)
    const ok = await flashVirtual(path, 'otp', 'healthy', { address: '1-1', otp: { enabled: true, confirmation: otpConfirmationPhrase('1-1') } })
    expect(ok.result).toMatchObject({ outcome: 'written-unverified', verify: 'unverifiable', parts: [{ verify: 'unverifiable' }] })
    expect(sha(ok.bus.device('1-1')!.medium('otp').read(0, 64))).toBe(sha(patternBytes(64, 3)))
    expect(flashStepRecord(off.result).verdict).toBe('error')
  })

  it('uses the loader carried by the kdimg instead of the built-in one', async () => {
    const { buildKdimg } = await import('./kdimg-builder')
    const { virtualLoaderImage } = await import('@board/burn/loaders')
    const path = put(tmp.dir, 'own-loader.kdimg', buildKdimg([{ name: 'loader', offset: 0, data: virtualLoaderImage('mmc') }, { name: 'uboot', offset: 0x100000, data: patternBytes(9000, 2) }]))
    const { result } = await flashVirtual(path, 'emmc', 'healthy', { loaders: { description: 'none', load: () => Promise.reject(new Error('must not be asked')) } })
    expect(result.outcome).toBe('verified')
    expect(result.loader?.name).toBe('own-loader.kdimg:loader')
    expect(result.parts.map((p) => p.name)).toEqual(['uboot'])
  })
})

describe('a board whose loader is still running from an earlier flash', () => {
  it('is flashed again on the same medium without a new loader, and a different medium asks for a power-cycle', async () => {
    const { createVirtualBurnBus } = await import('@board/burn/bus')
    const { flash } = await import('@engine/flash/flasher')
    const { virtualLoaders } = await import('@board/burn/loaders')
    const bus = createVirtualBurnBus({ timeScale: 0.002 })
    const path = put(tmp.dir, 'again.kdimg', firmwareImage('emmc'))
    const phases: string[] = []
    const run = (medium: FlashMedium) => flash({ bus, imagePath: path, medium, loaders: virtualLoaders(), pollMs: 20, onProgress: (p) => phases.push(p.phase) })
    expect((await run('emmc')).outcome).toBe('verified')
    phases.length = 0
    expect((await run('emmc')).outcome).toBe('verified')
    expect(phases).not.toContain('loader')
    const other = await run('spi-nor')
    expect(other.error).toMatchObject({ code: 'loader-rejected', message: expect.stringMatching(/still running on 1-1: power-cycle the board into burning mode/) })
  })
})
