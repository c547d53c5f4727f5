import type { RunRecord } from '@shared/record'
import { canonicalJson, recordDigest } from './canonical'
import { maskRecord } from '../secrets/mask'

/** The record as it is stored and shared: secrets masked, `digest` filled in, canonical JSON text. Pure. */
export function renderJson(record: RunRecord): string {
  return canonicalJson(sealedRecord(record))
}

/** The masked record with its digest, as every report embeds it. */
export function sealedRecord(record: RunRecord): RunRecord {
  const masked = maskRecord(record)
  return { ...masked, digest: recordDigest(masked) }
}
