/** Stable identity of a profile: canonical JSON and its SHA-256, and the copy that is safe to store. */
import { createHash } from 'node:crypto'
import type { Profile } from './schema'

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

/** SHA-256 (hex) of the profile's canonical JSON, password included, so any change shows. */
export function profileHash(profile: Profile): string {
  return createHash('sha256').update(canonicalJson(profile)).digest('hex')
}

/** The profile as stored in a record: the password replaced by asterisks. */
export function maskedProfile(profile: Profile): Record<string, unknown> {
  return { ...structuredClone(profile), password: profile.password ? '****' : '' }
}
