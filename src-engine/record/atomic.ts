/** The record file written atomically (through the one atomic writer) and the record's digest. */
import type { RunRecord } from '@shared/record'
import { recordDigest as digestOf } from '../report/canonical'
import { renderJson, sealedRecord } from '../report/json'
import { signRecord, type StationKey } from '../report/signature'
import { writeFileAtomic } from '../files/atomic'

export { writeFileAtomic }

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
