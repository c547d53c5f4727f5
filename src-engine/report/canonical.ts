import { createHash } from 'node:crypto'
import type { RunRecord } from '@shared/record'

/** Sorts object keys recursively and drops `undefined` members, so equal records serialise to equal text (a `__proto__` member stays a member); trusts the value to be JSON-like. */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonicalize(v)))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key]
      if (member !== undefined) Object.defineProperty(out, key, { value: canonicalize(member), enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  return value
}

/** Canonical JSON text of a value: stable key order, 2-space indent, trailing newline. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value), null, 2) + '\n'
}

/** Lower-case hex SHA-256 of a UTF-8 string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** SHA-256 of the canonical record with its `digest` and `signature` fields excluded; trusts nothing about the current digest. */
export function recordDigest(record: RunRecord): string {
  const { digest: _ignored, signature: _signature, ...rest } = record
  return sha256Hex(JSON.stringify(canonicalize(rest)))
}

/** Copy of the record with `digest` set to the digest of its canonical form. */
export function withDigest(record: RunRecord): RunRecord {
  return { ...record, digest: recordDigest(record) }
}
