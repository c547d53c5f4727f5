/** A virtual storage medium: sparse 64 KiB pages, identical pages shared, so large repetitive images stay small in memory. */
import { createHash } from 'node:crypto'

const PAGE = 64 * 1024

/** Geometry of a virtual medium, as the loader reports it. */
export interface MediumGeometry {
  capacity: number
  blockSize: number
  eraseSize: number
  timeoutMs: number
  /** Byte value of never-written space (0xFF for flash, 0x00 for MMC). */
  blank: number
  /** Medium program speed in bytes per board second. */
  writeBytesPerSec: number
  /** Erase speed in bytes per board second (the loader answers an erase when it is done). */
  eraseBytesPerSec: number
}

/** Sparse byte store of one medium; trusts callers to stay within capacity. */
export class VirtualMedium {
  private readonly pages = new Map<number, Uint8Array>()
  private readonly interned = new Map<string, Uint8Array>()
  private readonly blankPage: Uint8Array

  constructor(readonly geometry: MediumGeometry) {
    this.blankPage = new Uint8Array(PAGE).fill(geometry.blank)
  }

  private page(index: number): Uint8Array {
    return this.pages.get(index) ?? this.blankPage
  }

  private store(index: number, bytes: Uint8Array): void {
    const key = createHash('sha1').update(bytes).digest('base64')
    let shared = this.interned.get(key)
    if (!shared) {
      shared = bytes
      this.interned.set(key, shared)
    }
    this.pages.set(index, shared)
  }

  /** Writes `data` at `offset`. */
  write(offset: number, data: Uint8Array): void {
    let done = 0
    while (done < data.length) {
      const at = offset + done
      const index = Math.floor(at / PAGE)
      const within = at - index * PAGE
      const n = Math.min(PAGE - within, data.length - done)
      const next = Uint8Array.from(this.page(index))
      next.set(data.subarray(done, done + n), within)
      this.store(index, next)
      done += n
    }
  }

  /** Fills `size` bytes at `offset` with the blank value. */
  erase(offset: number, size: number): void {
    const blank = new Uint8Array(Math.min(size, PAGE)).fill(this.geometry.blank)
    for (let done = 0; done < size; done += blank.length) this.write(offset + done, blank.subarray(0, Math.min(blank.length, size - done)))
  }

  /** Copies `size` bytes at `offset`. */
  read(offset: number, size: number): Uint8Array {
    const out = new Uint8Array(size)
    let done = 0
    while (done < size) {
      const at = offset + done
      const index = Math.floor(at / PAGE)
      const within = at - index * PAGE
      const n = Math.min(PAGE - within, size - done)
      out.set(this.page(index).subarray(within, within + n), done)
      done += n
    }
    return out
  }

  /** Flips one bit at `offset` (the verify-mismatch fault). */
  corrupt(offset: number): void {
    const byte = this.read(offset, 1)
    byte[0] ^= 0x01
    this.write(offset, byte)
  }

  /** Distinct page buffers held (memory figure for tests). */
  get storedPages(): number {
    return this.interned.size
  }
}
