/** Atomic file replacement (temporary file, fsync, rename, directory fsync) and the record's digest. */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import type { RunRecord } from '@shared/record'
import { recordDigest as digestOf } from '../report/canonical'
import { renderJson, sealedRecord } from '../report/json'
import { signRecord, type StationKey } from '../report/signature'

/** Writes `text` to `path` so that readers see either the old file or the whole new one, even after a crash. */
export function writeFileAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`
  const fd = openSync(temp, 'w', 0o644)
  try {
    const bytes = Buffer.from(text, 'utf8')
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done)
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

/** SHA-256 of the record's canonical JSON without its `digest` field (the reports' definition). */
export function recordDigest(record: RunRecord): string {
  return digestOf(record)
}

/** Masks secrets, fills the digest, signs with `signer` when given and writes the record atomically as the reports' canonical JSON. */
export function writeRecordFile(path: string, record: RunRecord, signer?: StationKey): RunRecord {
  const sealed = signer ? signRecord(sealedRecord(record), signer) : sealedRecord(record)
  writeFileAtomic(path, renderJson(sealed))
  return sealed
}
