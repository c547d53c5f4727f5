/** Writes a .kdimg (v2 layout: 512-byte header, 256-byte part entries, contents from 64 KiB on 4 KiB boundaries), as the parser in kdimg.ts reads it. */
import { createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { KDIMG_ENTRY_BYTES, KDIMG_HEADER_BYTES, KDIMG_MAGIC, KDIMG_PART_MAGIC } from './kdimg'

/** One part to put in an image. */
export interface KdimgInput {
  name: string
  offset: number
  content: Uint8Array
  eraseSize?: number
}

/** Header texts of an image. */
export interface KdimgTexts {
  imageInfo: string
  chipInfo: string
  boardInfo: string
}

const CONTENT_START = 64 * 1024
const align = (n: number, to: number) => Math.ceil(n / to) * to

/** The bytes of a kdimg holding `parts` in order; trusts names under 32 bytes and offsets below 4 GiB. */
export function writeKdimg(parts: KdimgInput[], texts: KdimgTexts): Buffer {
  let cursor = CONTENT_START
  const placed = parts.map((part) => {
    const at = cursor
    cursor = align(cursor + part.content.length, 4096)
    return { part, at }
  })
  const out = Buffer.alloc(cursor)
  const table = out.subarray(KDIMG_HEADER_BYTES, KDIMG_HEADER_BYTES + parts.length * KDIMG_ENTRY_BYTES)
  for (const [i, { part, at }] of placed.entries()) {
    const entry = table.subarray(i * KDIMG_ENTRY_BYTES, (i + 1) * KDIMG_ENTRY_BYTES)
    entry.writeUInt32LE(KDIMG_PART_MAGIC, 0)
    entry.writeUInt32LE(part.offset, 4)
    entry.writeUInt32LE(part.content.length, 8)
    entry.writeUInt32LE(part.eraseSize ?? 0, 12)
    entry.writeUInt32LE(part.content.length, 16)
    entry.writeBigUInt64LE(0n, 24)
    entry.writeUInt32LE(at, 32)
    entry.writeUInt32LE(part.content.length, 36)
    createHash('sha256').update(part.content).digest().copy(entry, 40)
    entry.write(part.name, 72, 32, 'latin1')
    out.set(part.content, at)
  }
  const header = out.subarray(0, KDIMG_HEADER_BYTES)
  header.writeUInt32LE(KDIMG_MAGIC, 0)
  header.writeUInt32LE(2, 12)
  header.writeUInt32LE(parts.length, 16)
  header.writeUInt32LE(crc32(table) >>> 0, 20)
  header.write(texts.imageInfo, 24, 32, 'latin1')
  header.write(texts.chipInfo, 56, 32, 'latin1')
  header.write(texts.boardInfo, 88, 64, 'latin1')
  header.writeUInt32LE(crc32(header) >>> 0, 4)
  return out
}

function demoBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

/** The demo image offered with the virtual board: an SPL, U-Boot and an RT-Smart part for eMMC/SD (about 3 MiB). */
export function sampleKdimg(): Buffer {
  return writeKdimg(
    [
      { name: 'uboot_spl', offset: 0x100000, content: demoBytes(200 * 1024, 1) },
      { name: 'uboot', offset: 0x200000, content: demoBytes(700 * 1024, 2), eraseSize: 0x100000 },
      { name: 'rtt', offset: 0x400000, content: demoBytes(2 * 1024 * 1024, 3) },
    ],
    { imageInfo: 'k230-bringup demo', chipInfo: 'K230', boardInfo: 'virtual' },
  )
}
