/** Streaming reader of one .zip entry: walks local headers, inflates with zlib inflateRaw, checks size and CRC. */
import { open } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { createInflateRaw, crc32 } from 'node:zlib'
import { ImageError } from './image-error'

/** One file entry of a zip, located by its local header. */
export interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  size: number
  crc32: number
  dataOffset: number
}

const LOCAL_SIG = 0x04034b50
const CENTRAL_SIG = 0x02014b50
const EOCD_SIG = 0x06054b50
/** Largest central directory read into memory (a firmware zip holds a handful of entries). */
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024

/** Lists the file entries of a zip by walking its local headers (central directory only for sizes a data descriptor hides). */
export async function listZipEntries(path: string, label: string): Promise<ZipEntry[]> {
  const file = await open(path, 'r')
  try {
    const { size: fileSize } = await file.stat()
    const entries: ZipEntry[] = []
    let central: Map<number, { compressedSize: number; size: number; crc32: number }> | null = null
    let pos = 0
    for (;;) {
      const head = Buffer.alloc(30)
      const { bytesRead } = await file.read(head, 0, 30, pos)
      if (bytesRead < 4) throw new ImageError('zipNoEnd', { label })
      const sig = head.readUInt32LE(0)
      if (sig === CENTRAL_SIG || sig === EOCD_SIG) break
      if (sig !== LOCAL_SIG) throw new ImageError('zipBadHeader', { label, at: pos })
      if (bytesRead < 30) throw new ImageError('zipHeaderCut', { label, at: pos })
      const flags = head.readUInt16LE(6)
      const method = head.readUInt16LE(8)
      let crc = head.readUInt32LE(14)
      let compressedSize = head.readUInt32LE(18)
      let size = head.readUInt32LE(22)
      const nameLen = head.readUInt16LE(26)
      const extraLen = head.readUInt16LE(28)
      const tail = Buffer.alloc(nameLen + extraLen)
      await file.read(tail, 0, tail.length, pos + 30)
      const name = tail.subarray(0, nameLen).toString('utf8')
      const extra = tail.subarray(nameLen)
      const zip64 = hasExtra(extra, 0x0001)
      if (compressedSize === 0xffffffff || size === 0xffffffff) ({ size, compressedSize } = zip64Sizes(extra, size, compressedSize, label))
      const dataOffset = pos + 30 + nameLen + extraLen
      if (flags & 0x08) {
        central ??= await readCentralSizes(file, fileSize, label)
        const known = central.get(pos)
        if (!known) throw new ImageError('zipMissing', { label, entry: name })
        ;({ compressedSize, size, crc32: crc } = known)
      }
      if (flags & 0x01) throw new ImageError('zipEncrypted', { label, entry: name })
      if (dataOffset + compressedSize > fileSize) throw new ImageError('zipEntryCut', { label, entry: name, size: compressedSize, offset: dataOffset, fileSize })
      if (!name.endsWith('/')) entries.push({ name, method, compressedSize, size, crc32: crc, dataOffset })
      pos = dataOffset + compressedSize + (flags & 0x08 ? descriptorLength(await peek(file, dataOffset + compressedSize, 4), zip64) : 0)
    }
    return entries
  } catch (error) {
    if (error instanceof RangeError) throw new ImageError('zipOutside', { label })
    throw error
  } finally {
    await file.close()
  }
}

function zip64Sizes(extra: Buffer, size: number, compressedSize: number, label: string) {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i)
    const len = extra.readUInt16LE(i + 2)
    if (id === 0x0001) {
      if (i + 4 + len > extra.length || len < (size === 0xffffffff ? 8 : 0) + (compressedSize === 0xffffffff ? 8 : 0)) break
      let p = i + 4
      if (size === 0xffffffff) {
        size = Number(extra.readBigUInt64LE(p))
        p += 8
      }
      if (compressedSize === 0xffffffff) compressedSize = Number(extra.readBigUInt64LE(p))
      return { size, compressedSize }
    }
    i += 4 + len
  }
  throw new ImageError('zip64Sizes', { label })
}

async function peek(file: import('node:fs/promises').FileHandle, pos: number, n: number): Promise<Buffer> {
  const buf = Buffer.alloc(n)
  await file.read(buf, 0, n, pos)
  return buf
}

function descriptorLength(head: Buffer, zip64: boolean): number {
  return (head.readUInt32LE(0) === 0x08074b50 ? 4 : 0) + 4 + (zip64 ? 16 : 8)
}

function hasExtra(extra: Buffer, id: number): boolean {
  for (let i = 0; i + 4 <= extra.length; i += 4 + extra.readUInt16LE(i + 2)) if (extra.readUInt16LE(i) === id) return true
  return false
}

async function readCentralSizes(file: import('node:fs/promises').FileHandle, fileSize: number, label: string) {
  const tailLen = Math.min(fileSize, 65_557)
  const tail = await peek(file, fileSize - tailLen, tailLen)
  const at = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (at < 0) throw new ImageError('zipNoEnd', { label })
  if (at + 22 > tail.length) throw new ImageError('zipEndShort', { label })
  const count = tail.readUInt16LE(at + 10)
  const dirSize = tail.readUInt32LE(at + 12)
  const dirOffset = tail.readUInt32LE(at + 16)
  if (dirOffset + dirSize > fileSize) throw new ImageError('zipDirBeyond', { label })
  if (dirSize > MAX_DIRECTORY_BYTES) throw new ImageError('zipDirLarge', { label, size: dirSize, max: MAX_DIRECTORY_BYTES })
  const dir = await peek(file, dirOffset, dirSize)
  const sizes = new Map<number, { compressedSize: number; size: number; crc32: number }>()
  for (let i = 0, p = 0; i < count; i++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL_SIG) throw new ImageError('zipDirDamaged', { label })
    const nameLen = dir.readUInt16LE(p + 28)
    const extraLen = dir.readUInt16LE(p + 30)
    const commentLen = dir.readUInt16LE(p + 32)
    if (p + 46 + nameLen + extraLen + commentLen > dir.length) throw new ImageError('zipDirEntry', { label, index: i })
    let compressedSize = dir.readUInt32LE(p + 20)
    let size = dir.readUInt32LE(p + 24)
    let localOffset = dir.readUInt32LE(p + 42)
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) {
      const extra = dir.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen)
      ;({ size, compressedSize, localOffset } = centralZip64(extra, size, compressedSize, localOffset, label))
    }
    sizes.set(localOffset, { crc32: dir.readUInt32LE(p + 16), compressedSize, size })
    p += 46 + nameLen + extraLen + commentLen
  }
  return sizes
}

function centralZip64(extra: Buffer, size: number, compressedSize: number, localOffset: number, label: string) {
  for (let i = 0; i + 4 <= extra.length; i += 4 + extra.readUInt16LE(i + 2)) {
    if (extra.readUInt16LE(i) !== 0x0001) continue
    const len = extra.readUInt16LE(i + 2)
    const need = [size, compressedSize, localOffset].filter((v) => v === 0xffffffff).length * 8
    if (i + 4 + len > extra.length || len < need) break
    let p = i + 4
    const next = () => {
      const v = Number(extra.readBigUInt64LE(p))
      p += 8
      return v
    }
    if (size === 0xffffffff) size = next()
    if (compressedSize === 0xffffffff) compressedSize = next()
    if (localOffset === 0xffffffff) localOffset = next()
    return { size, compressedSize, localOffset }
  }
  throw new ImageError('zip64Fields', { label })
}

/** Streams the decompressed bytes of `entry`, failing with ImageError on a size or CRC mismatch. */
export async function* readZipEntry(path: string, entry: ZipEntry, label: string): AsyncGenerator<Uint8Array> {
  if (entry.method !== 0 && entry.method !== 8) throw new ImageError('zipMethod', { label, entry: entry.name, method: entry.method })
  const raw = createReadStream(path, { start: entry.dataOffset, end: entry.dataOffset + entry.compressedSize - 1, highWaterMark: 256 * 1024 })
  const stream = entry.method === 8 ? raw.pipe(createInflateRaw({ chunkSize: 256 * 1024 })) : raw
  raw.on('error', (e) => stream.destroy(e))
  let crc = 0
  let size = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      crc = crc32(chunk, crc)
      size += chunk.length
      if (size > entry.size) throw new ImageError('zipInflatesMore', { label, entry: entry.name, size: entry.size })
      yield chunk
    }
  } catch (error) {
    if (error instanceof ImageError) throw error
    throw new ImageError('zipEntryDamaged', { label, entry: entry.name, text: (error as Error).message })
  } finally {
    raw.destroy()
    stream.destroy()
  }
  if (size !== entry.size) throw new ImageError('zipEntryShort', { label, entry: entry.name, got: size, size: entry.size })
  if (crc >>> 0 !== entry.crc32 >>> 0) throw new ImageError('zipCrc', { label, entry: entry.name })
}
