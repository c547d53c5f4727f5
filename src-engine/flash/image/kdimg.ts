/** .kdimg header and part table: parsing with the image's own CRC-32 checks (content SHA-256 is checked by plan.ts). */
import { crc32 } from 'node:zlib'
import { ImageError } from './image-error'

/** Magic of the kdimg header. */
export const KDIMG_MAGIC = 0x27cb8f93
/** Magic of each part table entry. */
export const KDIMG_PART_MAGIC = 0x91df6da4
/** Size of the header; the part table starts right after it. */
export const KDIMG_HEADER_BYTES = 512
/** Size of one part table entry. */
export const KDIMG_ENTRY_BYTES = 256

/** The header fields a report shows. */
export interface KdimgHeader {
  version: number
  partCount: number
  imageInfo: string
  chipInfo: string
  boardInfo: string
}

/** One part table entry. */
export interface KdimgPart {
  name: string
  /** Target address on the medium. */
  offset: number
  partSize: number
  eraseSize: number
  maxSize: number
  flag: bigint
  contentOffset: number
  contentSize: number
  /** Hex SHA-256 of the content bytes. */
  sha256: string
}

function cstring(bytes: Uint8Array): string {
  const end = bytes.indexOf(0)
  return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('latin1')
}

/** True when the first bytes carry the kdimg magic. */
export function isKdimg(first: Uint8Array): boolean {
  return first.length >= 4 && new DataView(first.buffer, first.byteOffset, 4).getUint32(0, true) === KDIMG_MAGIC
}

/** Parses and checks the 512-byte header; throws ImageError naming `label` on a bad magic or CRC. */
export function parseKdimgHeader(header: Uint8Array, label: string): KdimgHeader {
  if (header.length < KDIMG_HEADER_BYTES) throw new ImageError('headerShort', { label, bytes: header.length })
  const view = new DataView(header.buffer, header.byteOffset, KDIMG_HEADER_BYTES)
  if (view.getUint32(0, true) !== KDIMG_MAGIC) throw new ImageError('badMagic', { label })
  const stored = view.getUint32(4, true)
  const copy = Uint8Array.from(header.subarray(0, KDIMG_HEADER_BYTES))
  copy.fill(0, 4, 8)
  const computed = crc32(copy) >>> 0
  if (stored !== computed) throw new ImageError('headerCrc', { label, stored: `0x${hex8(stored)}`, computed: `0x${hex8(computed)}` })
  const partCount = view.getUint32(16, true)
  if (partCount === 0 || partCount > 1024) throw new ImageError('partCount', { label, count: partCount })
  return {
    version: view.getUint32(12, true),
    partCount,
    imageInfo: cstring(header.subarray(24, 56)),
    chipInfo: cstring(header.subarray(56, 88)),
    boardInfo: cstring(header.subarray(88, 152)),
  }
}

/** The table CRC-32 stored in the header. */
export function storedTableCrc(header: Uint8Array): number {
  return new DataView(header.buffer, header.byteOffset, 24).getUint32(20, true)
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0')
}

/** Parses and checks the part table (N x 256 bytes after the header); v2 and v1 layouts. */
export function parseKdimgParts(table: Uint8Array, header: Uint8Array, info: KdimgHeader, label: string): KdimgPart[] {
  const computed = crc32(table) >>> 0
  const stored = storedTableCrc(header)
  if (computed !== stored) throw new ImageError('tableCrc', { label, stored: `0x${hex8(stored)}`, computed: `0x${hex8(computed)}` })
  const parts: KdimgPart[] = []
  for (let i = 0; i < info.partCount; i++) {
    const entry = table.subarray(i * KDIMG_ENTRY_BYTES, (i + 1) * KDIMG_ENTRY_BYTES)
    const view = new DataView(entry.buffer, entry.byteOffset, KDIMG_ENTRY_BYTES)
    if (view.getUint32(0, true) !== KDIMG_PART_MAGIC) throw new ImageError('partMagic', { label, index: i })
    const v2 = info.version >= 2
    const at = v2 ? { flag: 24, content: 32, sha: 40, name: 72 } : { flag: 20, content: 24, sha: 32, name: 64 }
    const part: KdimgPart = {
      name: cstring(entry.subarray(at.name, at.name + 32)),
      offset: view.getUint32(4, true),
      partSize: view.getUint32(8, true),
      eraseSize: view.getUint32(12, true),
      maxSize: view.getUint32(16, true),
      flag: v2 ? view.getBigUint64(at.flag, true) : BigInt(view.getUint32(at.flag, true)),
      contentOffset: view.getUint32(at.content, true),
      contentSize: view.getUint32(at.content + 4, true),
      sha256: Buffer.from(entry.subarray(at.sha, at.sha + 32)).toString('hex'),
    }
    if (!part.name) throw new ImageError('partNoName', { label, index: i })
    if (part.contentOffset < KDIMG_HEADER_BYTES + info.partCount * KDIMG_ENTRY_BYTES && part.contentSize > 0)
      throw new ImageError('partOverlaps', { label, part: part.name, offset: part.contentOffset })
    if (part.partSize < part.contentSize) throw new ImageError('partSize', { label, part: part.name, size: part.partSize, content: part.contentSize })
    parts.push(part)
  }
  return parts
}
