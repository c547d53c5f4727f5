/** Streaming tar reader: walks 512-byte headers (ustar, GNU long names, pax paths) and yields regular files. */
import { ByteReader, TruncatedError } from './byte-reader'
import { ImageError } from './image-error'

/** One regular file of a tar stream; `data` must be consumed (or skipped) before the next entry. */
export interface TarEntry {
  name: string
  size: number
}

/** Largest GNU long name or pax header read into memory. */
const MAX_EXTENDED_HEADER_BYTES = 1024 * 1024

function text(block: Uint8Array, start: number, len: number): string {
  const field = block.subarray(start, start + len)
  const end = field.indexOf(0)
  return Buffer.from(end < 0 ? field : field.subarray(0, end)).toString('utf8')
}

function octal(block: Uint8Array, start: number, len: number, label: string): number {
  if (block[start] & 0x80) {
    let value = 0
    for (let i = start + 1; i < start + len; i++) value = value * 256 + block[i]
    return value
  }
  const s = text(block, start, len).trim()
  if (s === '') return 0
  if (!/^[0-7]+$/.test(s)) throw new ImageError('tarSize', { label, field: s })
  return parseInt(s, 8)
}

function checksumOk(block: Uint8Array, label: string): boolean {
  let sum = 0
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i]
  return sum === octal(block, 148, 8, label)
}

function paxPath(data: Uint8Array): string | undefined {
  for (const line of Buffer.from(data).toString('utf8').split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(line)
    if (m) return m[1]
  }
  return undefined
}

/** Yields the regular files of a tar stream in order; consume (or drop) each `data` before asking for the next file. */
export async function* tarFiles(reader: ByteReader, label: string): AsyncGenerator<{ entry: TarEntry; data: AsyncGenerator<Uint8Array> }> {
  let longName: string | undefined
  try {
    for (;;) {
      if (await reader.atEnd()) throw new ImageError('tarNoEnd', { label })
      const block = await reader.exact(512, `${label} tar header`)
      if (block.every((b) => b === 0)) return
      if (!checksumOk(block, label)) throw new ImageError('tarChecksum', { label, at: reader.position - 512 })
      const size = octal(block, 124, 12, label)
      const type = String.fromCharCode(block[156] || 0x30)
      const padded = Math.ceil(size / 512) * 512
      const prefix = text(block, 345, 155)
      const name = longName ?? (prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100))
      longName = undefined
      if (type === 'L' || type === 'x' || type === 'g' || type === 'K') {
        if (size > MAX_EXTENDED_HEADER_BYTES) throw new ImageError('tarExtended', { label, at: reader.position - 512, size, max: MAX_EXTENDED_HEADER_BYTES })
        const data = await reader.exact(padded, `${label} tar extended header`)
        if (type === 'g' || type === 'K') continue
        longName = type === 'L' ? text(data, 0, size) : paxPath(data.subarray(0, size))
        continue
      }
      if (type !== '0' && type !== '7') {
        await reader.skip(padded, `${label} tar entry ${name}`)
        continue
      }
      const end = reader.position + padded
      yield { entry: { name, size }, data: reader.take(size, `${label} tar entry ${name}`) }
      await reader.skip(end - reader.position, `${label} tar entry ${name}`)
    }
  } catch (error) {
    if (error instanceof TruncatedError) throw new ImageError('truncated', { label, what: error.what, wanted: error.wanted, got: error.got })
    throw error
  }
}
