/** Turns an image source into a checked write plan: parts, target offsets and hashes, verified before any write. */
import { createHash, type Hash } from 'node:crypto'
import { ByteReader, TruncatedError } from './byte-reader'
import { ImageError } from './image-error'
import { KDIMG_ENTRY_BYTES, KDIMG_HEADER_BYTES, isKdimg, parseKdimgHeader, parseKdimgParts, type KdimgHeader } from './kdimg'
import type { ImageSource } from './source'

/** One piece of the image to write at `offset` on the medium. */
export interface PlannedPart {
  name: string
  offset: number
  contentOffset: number
  contentSize: number
  /** Length after 0xFF padding (kdimg part_size); at least contentSize. */
  paddedSize: number
  maxSize: number
  eraseSize: number
  flag: bigint
  sha256: string
}

/** A checked image: every part's hash matched, sizes are known. */
export interface ImagePlan {
  source: ImageSource
  format: 'kdimg' | 'img'
  header?: KdimgHeader
  /** Parts to write, in image order. */
  parts: PlannedPart[]
  /** A part named `loader` replaces the built-in loader and is not written to the medium. */
  loader?: PlannedPart
  imageBytes: number
}

/** Largest loader part accepted (the stock ones are ~420 KiB). */
const MAX_LOADER_BYTES = 4 * 1024 * 1024

/** Reads, parses and hash-checks `source`; plain images go to `address`. Throws ImageError saying what is wrong. */
export async function planImage(source: ImageSource, options: { address?: number } = {}): Promise<ImagePlan> {
  const label = source.displayName
  const reader = new ByteReader(source.open(0))
  try {
    const first = await reader.next(KDIMG_HEADER_BYTES)
    if (!first) throw new ImageError('empty', { label })
    const head = new Uint8Array(Math.min(KDIMG_HEADER_BYTES, first.length))
    head.set(first.subarray(0, head.length))
    if (isKdimg(head)) {
      if (options.address !== undefined && options.address !== 0) throw new ImageError('kdimgAddress', { label })
      const header = Uint8Array.from([...head, ...(head.length < KDIMG_HEADER_BYTES ? await reader.exact(KDIMG_HEADER_BYTES - head.length, `${label} kdimg header`) : [])])
      const info = parseKdimgHeader(header, label)
      const table = await reader.exact(info.partCount * KDIMG_ENTRY_BYTES, `${label} part table`)
      const parts = parseKdimgParts(table, header, info, label).map((p) => ({
        name: p.name,
        offset: p.offset,
        contentOffset: p.contentOffset,
        contentSize: p.contentSize,
        paddedSize: p.partSize,
        maxSize: p.maxSize,
        eraseSize: p.eraseSize,
        flag: p.flag,
        sha256: p.sha256,
      }))
      const imageBytes = await checkHashes(reader, KDIMG_HEADER_BYTES + table.length, parts, label)
      const loader = parts.find((p) => p.name === 'loader')
      if (loader && loader.contentSize > MAX_LOADER_BYTES) throw new ImageError('loaderTooBig', { label, size: loader.contentSize })
      return { source, format: 'kdimg', header: info, parts: parts.filter((p) => p !== loader), loader, imageBytes }
    }
    if (/\.kdimg$/i.test(source.innerName)) throw new ImageError('namedKdimg', { label })
    const hash = createHash('sha256').update(first)
    let size = first.length
    for (let chunk = await reader.next(1 << 20); chunk; chunk = await reader.next(1 << 20)) {
      hash.update(chunk)
      size += chunk.length
    }
    const address = options.address ?? 0
    const part: PlannedPart = { name: 'image', offset: address, contentOffset: 0, contentSize: size, paddedSize: size, maxSize: 0, eraseSize: 0, flag: 0n, sha256: hash.digest('hex') }
    return { source, format: 'img', parts: [part], imageBytes: size }
  } catch (error) {
    if (error instanceof TruncatedError) throw new ImageError('truncated', { label, what: error.what, wanted: error.wanted, got: error.got })
    throw error
  } finally {
    await reader.close()
  }
}

/** Streams the rest of the image, hashing each part's content range; returns the image length. */
async function checkHashes(reader: ByteReader, start: number, parts: PlannedPart[], label: string): Promise<number> {
  const hashes = new Map<PlannedPart, Hash>(parts.map((p) => [p, createHash('sha256')]))
  const end = Math.max(start, ...parts.map((p) => p.contentOffset + p.contentSize))
  let pos = start
  for (let chunk = await reader.next(1 << 20); chunk; chunk = await reader.next(1 << 20)) {
    const chunkEnd = pos + chunk.length
    for (const part of parts) {
      const from = Math.max(pos, part.contentOffset)
      const to = Math.min(chunkEnd, part.contentOffset + part.contentSize)
      if (from < to) hashes.get(part)!.update(chunk.subarray(from - pos, to - pos))
    }
    pos = chunkEnd
  }
  if (pos < end) {
    const cut = parts.find((p) => p.contentOffset + p.contentSize > pos)!
    throw new ImageError('partCut', { label, part: cut.name, need: cut.contentOffset + cut.contentSize, end: pos })
  }
  for (const part of parts) {
    const actual = hashes.get(part)!.digest('hex')
    if (actual !== part.sha256) throw new ImageError('partSha', { label, part: part.name, got: actual.slice(0, 16), want: part.sha256.slice(0, 16) })
  }
  return pos
}

/** Reads parts' content in ascending content order from one stream, reopening only to go backwards (shared blobs). */
export class PartReader {
  private reader: ByteReader | null = null

  constructor(private readonly source: ImageSource) {}

  /** Yields exactly `part.contentSize` bytes of the part's content. */
  async *content(part: PlannedPart): AsyncGenerator<Uint8Array> {
    if (!this.reader || this.reader.position > part.contentOffset) {
      await this.reader?.close()
      this.reader = new ByteReader(this.source.open(0))
    }
    try {
      await this.reader.skip(part.contentOffset - this.reader.position, this.source.displayName)
      yield* this.reader.take(part.contentSize, `${this.source.displayName} part ${part.name}`)
    } catch (error) {
      if (error instanceof TruncatedError) throw new ImageError('truncated', { label: this.source.displayName, what: error.what, wanted: error.wanted, got: error.got })
      throw error
    }
  }

  /** Reads a whole small part into memory (the loader). */
  async bytes(part: PlannedPart): Promise<Uint8Array> {
    const out = new Uint8Array(part.contentSize)
    let at = 0
    for await (const chunk of this.content(part)) {
      out.set(chunk, at)
      at += chunk.length
    }
    return out
  }

  /** Closes the underlying stream. */
  async close(): Promise<void> {
    await this.reader?.close()
    this.reader = null
  }
}
