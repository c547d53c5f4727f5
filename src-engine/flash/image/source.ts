/** Opens an image file as a re-openable byte stream: plain, .gz, .zip or .tgz, decompressed on the fly (never to disk). */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { createGunzip } from 'node:zlib'
import { ByteReader, TruncatedError } from './byte-reader'
import { ImageError } from './image-error'
import { tarFiles } from './tar'
import { listZipEntries, readZipEntry, type ZipEntry } from './zip'

/** How the file is wrapped. */
export type Compression = 'none' | 'gz' | 'zip' | 'tgz'

/** An image as a byte stream that can be read again from any offset. */
export interface ImageSource {
  path: string
  /** `fw.zip!fw.kdimg` for archives, the file name otherwise. */
  displayName: string
  /** Name of the image itself (inner entry or file name without .gz). */
  innerName: string
  compression: Compression
  fileBytes: number
  /** Decompressed size when known without reading (plain files, zip entries, tar entries after the scan). */
  size?: number
  /** Streams the image bytes from byte `start`; errors are ImageErrors naming the file. */
  open(start?: number): AsyncIterable<Uint8Array>
}

/** Compression implied by the file name. */
export function compressionOf(path: string): Compression {
  const name = path.toLowerCase()
  if (name.endsWith('.tgz') || name.endsWith('.tar.gz')) return 'tgz'
  if (name.endsWith('.gz')) return 'gz'
  if (name.endsWith('.zip')) return 'zip'
  return 'none'
}

/** The entry an archive is flashed from: the first .kdimg, else the first .img, else the only file. */
export function chooseEntry<T extends { name: string }>(entries: T[], label: string): T {
  const pick = entries.find((e) => /\.kdimg$/i.test(e.name)) ?? entries.find((e) => /\.img$/i.test(e.name)) ?? (entries.length === 1 ? entries[0] : undefined)
  if (!pick) throw entries.length ? new ImageError('noEntry', { label, entries: entries.map((e) => e.name).slice(0, 8).join(', ') }) : new ImageError('noEntryEmpty', { label })
  return pick
}

function gunzipped(path: string, label: string): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      const raw = createReadStream(path, { highWaterMark: 256 * 1024 })
      const gunzip = createGunzip({ chunkSize: 256 * 1024 })
      raw.on('error', (e) => gunzip.destroy(e))
      raw.pipe(gunzip)
      try {
        for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk
      } catch (error) {
        throw new ImageError('gzipDamaged', { label, text: (error as Error).message })
      } finally {
        raw.destroy()
        gunzip.destroy()
      }
    },
  }
}

function fromOffset(stream: () => AsyncIterable<Uint8Array>, label: string) {
  return (start = 0): AsyncIterable<Uint8Array> => ({
    async *[Symbol.asyncIterator]() {
      const reader = new ByteReader(stream())
      try {
        await reader.skip(start, label)
        for (let chunk = await reader.next(1 << 20); chunk; chunk = await reader.next(1 << 20)) yield chunk
      } catch (error) {
        if (error instanceof TruncatedError) throw new ImageError('truncated', { label, what: error.what, wanted: error.wanted, got: error.got })
        throw error
      } finally {
        await reader.close()
      }
    },
  })
}

/** Opens `path` as an ImageSource; rejects with ImageError when it is missing, empty or not what its name says. */
export async function openImageSource(path: string): Promise<ImageSource> {
  const label = basename(path)
  const info = await stat(path).catch(() => null)
  if (!info) throw new ImageError('notFound', { path })
  if (!info.isFile()) throw new ImageError('notFile', { path })
  if (info.size === 0) throw new ImageError('empty', { label })
  const compression = compressionOf(path)
  const base = { path, compression, fileBytes: info.size }
  if (compression === 'none') {
    return {
      ...base,
      displayName: label,
      innerName: label,
      size: info.size,
      open: (start = 0) => createReadStream(path, { start, highWaterMark: 256 * 1024 }),
    }
  }
  if (compression === 'gz') {
    const inner = label.replace(/\.gz$/i, '')
    return { ...base, displayName: label, innerName: inner, open: fromOffset(() => gunzipped(path, label), label) }
  }
  if (compression === 'zip') {
    const entry: ZipEntry = chooseEntry(await listZipEntries(path, label), label)
    return { ...base, displayName: `${label}!${entry.name}`, innerName: basename(entry.name), size: entry.size, open: fromOffset(() => readZipEntry(path, entry, label), label) }
  }
  const names: { name: string; size: number }[] = []
  for await (const file of tarFiles(new ByteReader(gunzipped(path, label)), label)) names.push(file.entry)
  const chosen = chooseEntry(names, label)
  const entryStream = (): AsyncIterable<Uint8Array> => ({
    async *[Symbol.asyncIterator]() {
      for await (const file of tarFiles(new ByteReader(gunzipped(path, label)), label)) {
        if (file.entry.name !== chosen.name) continue
        yield* file.data
        return
      }
    },
  })
  return { ...base, displayName: `${label}!${chosen.name}`, innerName: basename(chosen.name), size: chosen.size, open: fromOffset(entryStream, label) }
}
