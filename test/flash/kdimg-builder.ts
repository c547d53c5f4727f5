/** Test-side .kdimg writer following the reference sheet's format description (v2 layout); shares no code with the app. */
import { createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'

/** A part to put in a test image. */
export interface BuildPart {
  name: string
  /** Target address on the medium. */
  offset: number
  data: Uint8Array
  maxSize?: number
  eraseSize?: number
  flag?: bigint
}

/** Options of the builder. */
export interface BuildOptions {
  imageInfo?: string
  chipInfo?: string
  boardInfo?: string
  /** Pad byte of blobs (0x00 for MMC, 0xFF for SPI flash). */
  pad?: number
  version?: 1 | 2
}

const align = (n: number, to: number) => Math.ceil(n / to) * to

/** Builds a kdimg: 512-byte header, N x 256-byte entries, content from 64 KiB, each blob 4096-aligned. */
export function buildKdimg(parts: BuildPart[], options: BuildOptions = {}): Buffer {
  const version = options.version ?? 2
  const pad = options.pad ?? 0x00
  let cursor = 64 * 1024
  const placed = parts.map((p) => {
    const size = p.data.length > 4096 ? align(p.data.length, 4096) : p.data.length
    const content = Buffer.alloc(size, pad)
    content.set(p.data)
    const at = cursor
    cursor = align(cursor + size, 4096)
    return { ...p, content, at }
  })
  const out = Buffer.alloc(cursor, 0)
  const table = Buffer.alloc(parts.length * 256)
  placed.forEach((p, i) => {
    const e = table.subarray(i * 256, (i + 1) * 256)
    e.writeUInt32LE(0x91df6da4, 0)
    e.writeUInt32LE(p.offset, 4)
    e.writeUInt32LE(p.content.length, 8)
    e.writeUInt32LE(p.eraseSize ?? 0, 12)
    e.writeUInt32LE(p.maxSize ?? p.content.length, 16)
    const sha = createHash('sha256').update(p.content).digest()
    if (version >= 2) {
      e.writeBigUInt64LE(p.flag ?? 0n, 24)
      e.writeUInt32LE(p.at, 32)
      e.writeUInt32LE(p.content.length, 36)
      sha.copy(e, 40)
      e.write(p.name, 72, 32, 'latin1')
    } else {
      e.writeUInt32LE(Number(p.flag ?? 0n), 20)
      e.writeUInt32LE(p.at, 24)
      e.writeUInt32LE(p.content.length, 28)
      sha.copy(e, 32)
      e.write(p.name, 64, 32, 'latin1')
    }
    p.content.copy(out, p.at)
  })
  const header = Buffer.alloc(512)
  header.writeUInt32LE(0x27cb8f93, 0)
  header.writeUInt32LE(0, 8)
  header.writeUInt32LE(version, 12)
  header.writeUInt32LE(parts.length, 16)
  header.writeUInt32LE(crc32(table) >>> 0, 20)
  header.write(options.imageInfo ?? 'test image', 24, 32, 'latin1')
  header.write(options.chipInfo ?? 'k230', 56, 32, 'latin1')
  header.write(options.boardInfo ?? 'k230_canmv', 88, 64, 'latin1')
  header.writeUInt32LE(crc32(header) >>> 0, 4)
  header.copy(out, 0)
  table.copy(out, 512)
  return out
}

/** Deterministic pseudo-random bytes (xorshift), so images differ per seed. */
export function patternBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}
