import { verifySignedRecord, type TrustedKeys } from '../report/signature'

/** Checks a record's station signature; the line server stores only records it accepts. Injected so the signing scheme can change. A reason starting `unknown-key:` says this side has not the key to judge: a guarded line server then decides. */
export type RecordVerifier = (recordText: string) => { ok: true; station: string } | { ok: false; reason: string }

/** The Ed25519 station-signature check against the keys this side trusts: the record must be signed by a trusted station key and unaltered since. Trusts nothing in the text. */
export function signatureVerifier(trusted: TrustedKeys): RecordVerifier {
  return (recordText) => {
    const check = verifySignedRecord(recordText, trusted)
    return check.ok ? { ok: true, station: check.station } : { ok: false, reason: `${check.reason}: ${check.detail}` }
  }
}
