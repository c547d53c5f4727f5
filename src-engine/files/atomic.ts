/** The one atomic file writer: a temporary file in the target's folder, fsync, rename, folder fsync, the temporary removed on any failure. */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Options of an atomic write: the new file's permission bits (default 0o644, before the umask). */
export interface AtomicWriteOptions {
  mode?: number
}

let sequence = 0

/** A fresh temporary path beside `path` (same folder, so the rename never crosses a filesystem); hidden and ending in `.tmp`, so no listing takes it for a result. */
export function temporaryPathFor(path: string): string {
  sequence = (sequence + 1) % Number.MAX_SAFE_INTEGER
  return join(dirname(path), `.${basename(path)}.${process.pid}-${sequence}.tmp`)
}

const bytesOf = (data: string | Uint8Array): Uint8Array => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data)

function syncFolder(path: string): void {
  try {
    const fd = openSync(dirname(path), 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    /* some filesystems refuse fsync on a folder; the rename is still atomic */
  }
}

function removeQuietly(path: string): void {
  rmSync(path, { force: true })
}

/** Writes `data` to `path` so that readers see either the old file or the whole new one, even after a crash; on failure no temporary is left and the old file is untouched. */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const temp = temporaryPathFor(path)
  try {
    const fd = openSync(temp, 'wx', options.mode ?? 0o644)
    try {
      const bytes = bytesOf(data)
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, path)
  } catch (error) {
    removeQuietly(temp)
    throw error
  }
  syncFolder(path)
}

/** The asynchronous form of writeFileAtomic, same guarantees. */
export async function writeFileAtomicAsync(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  await replaceFileAtomic(path, async (temp) => {
    const handle = await open(temp, 'wx', options.mode ?? 0o644)
    try {
      await handle.writeFile(bytesOf(data))
    } finally {
      await handle.close()
    }
  })
}

/** Lets `produce` write the new content into a temporary path beside `path` (for writers that need a path, such as a PDF printer or a zip stream), then fsyncs and renames it into place; on failure the temporary is removed and the old file kept. */
export async function replaceFileAtomic<T>(path: string, produce: (temporaryPath: string) => Promise<T>): Promise<T> {
  const temp = temporaryPathFor(path)
  try {
    const result = await produce(temp)
    const handle = await open(temp, 'r+')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
    syncFolder(path)
    return result
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
