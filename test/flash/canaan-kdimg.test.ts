import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { storedTableCrc } from '@engine/flash/image/kdimg'
import { planImage } from '@engine/flash/image/plan'
import { openImageSource } from '@engine/flash/image/source'
import { flashVirtual } from './helpers'

/** The image Canaan's genimage.py wrote (copied from ../shared/reference/kdimg), and what k230_flash_py reads from it (its README). */
const REFERENCE = join(__dirname, 'fixtures/canaan-kdimg/canaan-genimage-3parts.kdimg')
const README = [
  { name: 'spl', offset: 0x00100000, partSize: 8192, eraseSize: 0, maxSize: 8192, contentOffset: 65536, contentSize: 8192, sha: '737c3a584af21866' },
  { name: 'env', offset: 0x001e0000, partSize: 1000, eraseSize: 0, maxSize: 4096, contentOffset: 73728, contentSize: 1000, sha: '3b503c2d1026e7d4' },
  { name: 'app', offset: 0x00200000, partSize: 12288, eraseSize: 2097152, maxSize: 1048576, contentOffset: 77824, contentSize: 12288, sha: 'fee6dea491dcb258' },
]

describe("the .kdimg written by Canaan's own image tool", () => {
  it('is read with the names, offsets, sizes and hashes k230_flash_py reads from it', async () => {
    const plan = await planImage(await openImageSource(REFERENCE))
    expect(plan.format).toBe('kdimg')
    expect(plan.header).toMatchObject({ imageInfo: 'audit-v1', chipInfo: 'K230', boardInfo: 'flash-audit', version: 2, partCount: 3 })
    expect(storedTableCrc(readFileSync(REFERENCE).subarray(0, 512))).toBe(0x026eaf63)
    expect(plan.parts.map((p) => ({ name: p.name, offset: p.offset, partSize: p.paddedSize, eraseSize: p.eraseSize, maxSize: p.maxSize, contentOffset: p.contentOffset, contentSize: p.contentSize, sha: p.sha256.slice(0, 16) }))).toEqual(README)
    const file = readFileSync(REFERENCE)
    for (const p of plan.parts) expect(createHash('sha256').update(file.subarray(p.contentOffset, p.contentOffset + p.contentSize)).digest('hex')).toBe(p.sha256)
  })

  it('flashes and verifies on the virtual eMMC, each part at its offset', async () => {
    const { result, bus } = await flashVirtual(REFERENCE, 'emmc')
    expect(result.error).toBeUndefined()
    expect(result).toMatchObject({ outcome: 'verified', verify: 'pass', image: { format: 'kdimg', info: { image: 'audit-v1', chip: 'K230', board: 'flash-audit' } } })
    expect(result.parts.map((p) => [p.name, p.offset, p.verify])).toEqual(README.map((r) => [r.name, r.offset, 'pass']))
    const file = readFileSync(REFERENCE)
    const emmc = bus.device('1-1')!.medium('emmc')
    for (const r of README) expect(Buffer.from(emmc.read(r.offset, r.contentSize)).equals(file.subarray(r.contentOffset, r.contentOffset + r.contentSize))).toBe(true)
  })
})
