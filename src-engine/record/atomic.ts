/** Atomic file replacement (temporary file, fsync, rename, directory fsync) and the record's digest. */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { createHash } from 'node:crypto'
import type { RunRecord } from '@shared/record'
import { canonicalJson } from '../profile/hash'

/** Writes `text` to `path` so that readers see either the old file or the whole new one, even after a crash. */
export function writeFileAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`
  const fd = openSync(temp, 'w', 0o644)
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    try {
      unlinkSync(temp)
    } catch {
      /* already gone */
    }
    throw error
  }
  closeSync(fd)
  renameSync(temp, path)
  try {
    const dirFd = openSync(dirname(path), 'r')
    try {
      fsyncSync(dirFd)
    } finally {
      closeSync(dirFd)
    }
  } catch {
    /* some filesystems refuse fsync on a directory; the rename is still atomic */
  }
}

/** SHA-256 of the record's canonical JSON without its `digest` field. */
export function recordDigest(record: RunRecord): string {
  const { digest: _digest, ...rest } = record
  return createHash('sha256').update(canonicalJson(rest)).digest('hex')
}

/** Fills the digest and writes the record atomically as pretty JSON. */
export function writeRecordFile(path: string, record: RunRecord): RunRecord {
  const sealed: RunRecord = { ...record, digest: undefined }
  sealed.digest = recordDigest(sealed)
  writeFileAtomic(path, JSON.stringify(sealed, null, 2) + '\n')
  return sealed
}
