/** Ed25519 signatures of run records: who wrote a record, and that nobody changed it since. */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import type { RecordSignature, RunRecord } from '@shared/record'
import { canonicalize, recordDigest } from './canonical'
import { validateRecord } from './schema'

/** A station's own key pair (the private half never leaves the station's key folder). */
export interface StationKey {
  station: string
  keyId: string
  privateKey: KeyObject
  publicKeyPem: string
}

/** A public key trusted to sign records, with the station it belongs to. */
export interface TrustedKey {
  station: string
  keyId: string
  publicKeyPem: string
}

/** The keys whose signatures are accepted (the station's own and those imported). */
export type TrustedKeys = readonly TrustedKey[]

/** Why a record does not verify: not a record, fails its schema, no signature, a key not trusted here, a changed content, a bad signature. */
export type SignatureFailure = 'not-json' | 'not-a-record' | 'schema' | 'unsigned' | 'unknown-key' | 'digest-mismatch' | 'bad-signature'

/** Outcome of verifySignedRecord; on failure `detail` says what was found (for logs; codes are for people's messages). */
export type SignatureCheck = { ok: true; station: string; keyId: string; record: RunRecord } | { ok: false; reason: SignatureFailure; detail: string; note: string; params?: Record<string, string>; station?: string; keyId?: string }

const CONTEXT = 'k230-bringup run record signature v1\n'

/** Key id of a public key: first 16 hex digits of the SHA-256 of its SPKI DER. */
export function keyIdOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16)
}

/** Builds a StationKey from a PKCS#8 PEM private key and the station name; throws when the key is not Ed25519. */
export function stationKeyFromPem(privateKeyPem: string, station: string): StationKey {
  const privateKey = createPrivateKey(privateKeyPem)
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`station key is ${privateKey.asymmetricKeyType ?? 'unknown'}, not Ed25519`)
  const publicKey = createPublicKey(privateKey)
  return { station, keyId: keyIdOf(publicKey), privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }
}

function signedBytes(record: RunRecord, meta: Omit<RecordSignature, 'value'>): Buffer {
  const { signature: _old, ...rest } = record
  return Buffer.from(CONTEXT + JSON.stringify(canonicalize({ ...rest, signature: meta })), 'utf8')
}

/** Copy of a sealed record (digest filled) signed by the station key; the signature covers every field, the station name and key id included. */
export function signRecord(record: RunRecord, key: StationKey): RunRecord {
  const sealed = { ...record, digest: recordDigest(record) }
  const meta = { alg: 'ed25519' as const, keyId: key.keyId, station: key.station }
  const value = sign(null, signedBytes(sealed, meta), key.privateKey).toString('base64')
  return { ...sealed, signature: { ...meta, value } }
}

function signatureMatches(record: RunRecord, signature: RecordSignature, key: TrustedKey): boolean {
  try {
    const { value, ...meta } = signature
    return keyIdOf(key.publicKeyPem) === key.keyId && verify(null, signedBytes(record, meta), createPublicKey(key.publicKeyPem), Buffer.from(value, 'base64'))
  } catch {
    return false
  }
}

/** Checks a parsed record: schema, digest, a signature by a trusted key. Trusts nothing in the value. */
export function verifySignedValue(value: unknown, trusted: TrustedKeys): SignatureCheck {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'not-a-record', detail: 'not a JSON object', note: 'notObject' }
  const checked = validateRecord(value)
  if (!checked.ok) return { ok: false, reason: 'schema', detail: checked.problems.join('; '), note: 'schema', params: { problems: checked.problems.join('; ') } }
  const record = checked.record
  const signature = record.signature
  if (!signature) return { ok: false, reason: 'unsigned', detail: 'the record carries no station signature', note: 'unsigned' }
  const who = { station: signature.station, keyId: signature.keyId }
  if (record.digest !== recordDigest(record)) return { ok: false, reason: 'digest-mismatch', detail: `record digest ${String(record.digest)} does not match its content (${recordDigest(record)})`, note: 'digestMismatch', params: { found: String(record.digest), expected: recordDigest(record) }, ...who }
  const key = trusted.find((k) => k.keyId === signature.keyId)
  if (!key) return { ok: false, reason: 'unknown-key', detail: `signed by key ${signature.keyId} (station '${signature.station}'), which is not trusted here`, note: 'unknownKey', params: who, ...who }
  if (!signatureMatches(record, signature, key)) return { ok: false, reason: 'bad-signature', detail: `the signature does not match the content for key ${signature.keyId} (station '${key.station}')`, note: 'badSignature', params: { keyId: signature.keyId, station: key.station }, ...who }
  if (signature.station !== key.station) return { ok: false, reason: 'bad-signature', detail: `the record names station '${signature.station}' but key ${key.keyId} belongs to '${key.station}'`, note: 'stationMismatch', params: { station: signature.station, keyId: key.keyId, owner: key.station }, ...who }
  return { ok: true, station: key.station, keyId: key.keyId, record }
}

/** Checks a record's text (as stored or received by a results database): JSON, schema, digest, and an Ed25519 signature by one of `trusted`. Never throws. */
export function verifySignedRecord(recordText: string, trusted: TrustedKeys): SignatureCheck {
  let value: unknown
  try {
    value = JSON.parse(recordText)
  } catch (error) {
    return { ok: false, reason: 'not-json', detail: error instanceof Error ? error.message : String(error), note: 'notJson', params: { error: error instanceof Error ? error.message : String(error) } }
  }
  return verifySignedValue(value, trusted)
}
