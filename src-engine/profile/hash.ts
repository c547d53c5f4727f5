/** Stable identity of a profile: canonical JSON and its SHA-256, and the copy that is safe to store. */
import { createHash } from 'node:crypto'
import type { Profile } from './schema'
import { maskedValues } from '../secrets/mask'

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** SHA-256 (hex) of the profile's canonical JSON with the password left out (only whether one is set), so a report never lets anyone test password guesses against it. */
export function profileHash(profile: Profile): string {
  const { password, ...rest } = profile
  return createHash('sha256').update(canonicalJson({ ...rest, passwordSet: password !== '' })).digest('hex')
}

/** The profile as stored in a record: the password (and any other secret-named value) masked by the one masker. */
export function maskedProfile(profile: Profile): Record<string, unknown> {
  return maskedValues(profile)
}
