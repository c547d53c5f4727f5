import type { RunRecord } from '@shared/record'
import { verifyBytes } from '../report/verify'

/** Checks a record's station signature; the line server stores only records it accepts. Injected so the signing scheme can change. */
export type RecordVerifier = (recordText: string) => { ok: true; station: string } | { ok: false; reason: string }

/** Default verifier: the record's own seal (its digest over the canonical JSON) must match, and it must name its station. Trusts nothing in the text. */
export const sealVerifier: RecordVerifier = (recordText) => {
  const result = verifyBytes(Buffer.from(recordText, 'utf8'))
  if (result.status !== 'intact' || result.format !== 'json') return { ok: false, reason: result.details.join('; ') || `record ${result.status}` }
  const station = (JSON.parse(recordText) as RunRecord).station?.id
  if (typeof station !== 'string' || !station) return { ok: false, reason: 'record names no station' }
  return { ok: true, station }
}
