import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { planImage } from '@engine/flash/image/plan'
import { openImageSource } from '@engine/flash/image/source'
import { buildKdimg, patternBytes } from './kdimg-builder'
import { readKdimgBySheet } from './independent-kdimg-reader'
import { firmwareImage, put, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())

async function plan(path: string, address?: number) {
  return planImage(await openImageSource(path), { address })
}

describe('kdimg parsing', () => {
  for (const version of [2, 1] as const) {
    it(`finds the same parts, offsets and hashes as an independent reader of the sheet's format (v${version})`, async () => {
      const file = buildKdimg(
        [
          { name: 'uboot', offset: 0x100000, data: patternBytes(300_000, 1) },
          { name: 'rootfs', offset: 0x400000, data: patternBytes(900_001, 2), maxSize: 0x200000 },
          { name: 'env', offset: 0x3f0000, data: patternBytes(2000, 3) },
        ],
        { version },
      )
      const path = put(tmp.dir, `v${version}.kdimg`, file)
      const app = await plan(path)
      const sheet = readKdimgBySheet(readFileSync(path))
      expect(sheet.every((p) => p.shaMatches)).toBe(true)
      expect(app.format).toBe('kdimg')
      expect(app.parts.map((p) => ({ name: p.name, offset: p.offset, contentOffset: p.contentOffset, contentSize: p.contentSize, sha256: p.sha256 }))).toEqual(
        sheet.map((p) => ({ name: p.name, offset: p.partOffset, contentOffset: p.contentOffset, contentSize: p.contentSize, sha256: p.sha256 })),
      )
      expect(app.header?.imageInfo).toBe('test image')
    })
  }

  it('takes a part named loader as the loader and does not plan to write it', async () => {
    const path = put(tmp.dir, 'with-loader.kdimg', buildKdimg([{ name: 'loader', offset: 0, data: patternBytes(5000, 9) }, { name: 'uboot', offset: 0x100000, data: patternBytes(5000, 8) }]))
    const app = await plan(path)
    expect(app.loader?.name).toBe('loader')
    expect(app.parts.map((p) => p.name)).toEqual(['uboot'])
  })

  const good = () => firmwareImage('emmc')
  const damaged: [string, (b: Buffer) => Buffer, RegExp][] = [
    ['a flipped header byte', (b) => (b[30] ^= 0xff, b), /header CRC-32/],
    ['a flipped part table byte', (b) => (b[512 + 10] ^= 0x01, b), /part table CRC-32/],
    ['a flipped content byte', (b) => (b[64 * 1024 + 100] ^= 0x01, b), /part uboot_spl SHA-256/],
    ['a cut-off end', (b) => b.subarray(0, b.length - 5000), /truncated: part \w+ needs bytes up to \d+, the image ends at \d+/],
    ['a cut-off part table', (b) => b.subarray(0, 600), /truncated/],
    ['a cut-off header', (b) => b.subarray(0, 100), /truncated/],
  ]
  for (const [what, spoil, message] of damaged) {
    it(`refuses an image with ${what}, saying what is wrong`, async () => {
      const path = put(tmp.dir, 'damaged.kdimg', spoil(good()))
      await expect(plan(path)).rejects.toMatchObject({ code: 'image-invalid', message: expect.stringMatching(message) })
    })
  }

  it('refuses a kdimg given with a target address, an empty file and a missing file', async () => {
    await expect(plan(put(tmp.dir, 'a.kdimg', good()), 0x1000)).rejects.toThrow(/part table gives the addresses/)
    await expect(openImageSource(put(tmp.dir, 'empty.img', ''))).rejects.toThrow(/empty\.img is empty/)
    await expect(openImageSource(`${tmp.dir}/nope.img`)).rejects.toThrow(/Image file not found/)
  })

  it('plans a plain .img as one part at the given address with its SHA-256', async () => {
    const data = patternBytes(10_000, 5)
    const app = await plan(put(tmp.dir, 'plain.img', data), 0x400000)
    expect(app.format).toBe('img')
    expect(app.parts).toHaveLength(1)
    expect(app.parts[0]).toMatchObject({ name: 'image', offset: 0x400000, contentSize: 10_000 })
    const { createHash } = await import('node:crypto')
    expect(app.parts[0].sha256).toBe(createHash('sha256').update(data).digest('hex'))
  })
})
