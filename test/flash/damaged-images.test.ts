import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { ZipFile } from 'yazl'
import { firmwareImage, flashVirtual, put, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())

function zipOf(name: string, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile()
    zip.addBuffer(data, name, { compress: true })
    zip.end()
    const parts: Buffer[] = []
    zip.outputStream.on('data', (c: Buffer) => parts.push(c))
    zip.outputStream.on('end', () => resolve(Buffer.concat(parts)))
    zip.outputStream.on('error', reject)
  })
}

/** A 512-byte tar header of `type` whose size field is `size` (base-256 when it does not fit octal), checksum set. */
function tarHeader(name: string, type: string, size: bigint): Buffer {
  const block = Buffer.alloc(512)
  block.write(name, 0, 100, 'utf8')
  block.write('0000644\0', 100)
  block.write('0000000\0', 108)
  block.write('0000000\0', 116)
  if (size < 8n ** 11n) block.write(size.toString(8).padStart(11, '0') + '\0', 124)
  else {
    block[124] = 0x80
    for (let i = 135, v = size; i > 124; i--, v >>= 8n) block[i] = Number(v & 0xffn)
  }
  block.write('00000000000\0', 136)
  block.write(type, 156)
  block.write('ustar\0', 257)
  block.write('00', 263)
  block.fill(0x20, 148, 156)
  let sum = 0
  for (const b of block) sum += b
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148)
  return block
}

async function refused(name: string, bytes: Buffer) {
  const { result } = await flashVirtual(put(tmp.dir, name, bytes), 'emmc')
  expect(result.outcome).toBe('refused')
  expect(result.error?.code).toBe('image-invalid')
  expect(result.error?.message).toContain(name)
  return result.error!.message
}

describe('damaged image archives are refused with what is wrong, never a crash or a declared-size allocation', () => {
  it('a .zip with byte 6 ^= 24 cut to 8,826 bytes', async () => {
    const zip = await zipOf('fw.kdimg', firmwareImage('emmc'))
    const bad = Buffer.from(zip.subarray(0, 8826))
    bad[6] ^= 24
    expect(await refused('cut.zip', bad)).not.toMatch(/RangeError|out of range/)
  })

  it('a .zip whose end-of-directory signature sits in its last bytes', async () => {
    const zip = await zipOf('fw.kdimg', firmwareImage('emmc'))
    const bad = Buffer.concat([zip.subarray(0, 9000), Buffer.from([0x50, 0x4b, 0x05, 0x06, 1, 2])])
    bad[6] ^= 24
    expect(await refused('tail.zip', bad)).not.toMatch(/RangeError|out of range/)
  })

  it('a .zip whose directory declares more bytes than a directory may hold', async () => {
    const zip = await zipOf('fw.kdimg', firmwareImage('emmc'))
    const bad = Buffer.from(zip)
    bad[6] |= 0x08
    const eocd = bad.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    bad.writeUInt32LE(0xfffffff0, eocd + 12)
    bad.writeUInt32LE(0, eocd + 16)
    await refused('bigdir.zip', bad)
  })

  it('a 98-byte .tgz whose pax header declares 2^50 bytes', async () => {
    const tgz = gzipSync(Buffer.concat([tarHeader('PaxHeaders/fw.kdimg', 'x', 2n ** 50n), Buffer.alloc(512)]), { level: 9 })
    expect(tgz.length).toBeLessThan(120)
    expect(await refused('pax.tgz', tgz)).toMatch(/declares 1125899906842624 bytes/)
  })

  it('a .tgz whose GNU long-name header declares 3 GiB', async () => {
    const tgz = gzipSync(Buffer.concat([tarHeader('././@LongLink', 'L', 3n * 1024n ** 3n), Buffer.alloc(1024)]))
    const before = process.memoryUsage().arrayBuffers
    expect(await refused('longname.tgz', tgz)).toMatch(/declares 3221225472 bytes/)
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(256 * 1024 * 1024)
  })
})
