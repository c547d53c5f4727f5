import type { RunRecord } from '@shared/record'
import { isDistinctive, maskSecrets as maskSecretContexts } from '../transcript/mask'

/** What a masked secret reads as in every report. */
export const SECRET_MASK = '********'

const SECRET_KEY = /^(password|passwd|pass|secret|token|pin|puk|psk)$|password|passwd|secret/i

/** Secret strings of a record: the profile's password and any other profile value whose key names a secret. */
export function collectSecrets(record: Pick<RunRecord, 'profile'>): string[] {
  const values = record.profile?.values ?? {}
  const found = new Set<string>()
  for (const [key, value] of Object.entries(values)) {
    if (!SECRET_KEY.test(key)) continue
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value)
      if (text.length > 0 && text !== SECRET_MASK) found.add(text)
    }
  }
  return [...found]
}

function base64Fragments(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  if (bytes.length < 3) return []
  const fragments: string[] = []
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes])
    const encoded = padded.toString('base64')
    const startChar = Math.ceil((shift * 8) / 6)
    const usableBytes = Math.floor(padded.length / 3) * 3
    const endChar = (usableBytes / 3) * 4
    const fragment = encoded.slice(startChar, endChar)
    if (fragment.length >= 4) fragments.push(fragment)
  }
  return fragments
}

function variants(secret: string): string[] {
  const escapedJson = JSON.stringify(secret).slice(1, -1)
  const escapedHtml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
  const shellQuoted = secret.replace(/'/g, `'\\''`)
  const all = new Set([secret, escapedJson, escapedHtml, shellQuoted, ...base64Fragments(secret)])
  return [...all].filter((v) => v.length > 0).sort((a, b) => b.length - a.length)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A function that masks the given secrets where pppd and the PPP scripts print them, and every occurrence of a distinctive one (and its JSON-, HTML-, shell-escaped and base64 forms); a short or common secret is never replaced everywhere. Build once, use for many strings. */
export function secretMasker(secrets: readonly string[]): (text: string) => string {
  const forms = [...new Set(secrets.filter(isDistinctive).flatMap(variants))].sort((a, b) => b.length - a.length)
  const contexts = (text: string) => maskSecretContexts(text, [], SECRET_MASK)
  if (!forms.length) return (text) => (text ? contexts(text) : text)
  const pattern = new RegExp(forms.map(escapeRegExp).join('|'), 'g')
  return (text) => (text && forms.some((form) => text.includes(form)) ? contexts(text.replace(pattern, SECRET_MASK)) : text ? contexts(text) : text)
}

/** Text with every secret (and its JSON-, HTML-, shell-escaped and base64 forms) replaced by the mask. */
export function maskText(text: string, secrets: readonly string[]): string {
  return secretMasker(secrets)(text)
}

function maskDeep(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value)
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, mask))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[mask(k)] = maskDeep(v, mask)
    return out
  }
  return value
}

/** Deep copy of a record with the profile's secret values replaced by the mask and every other occurrence masked; `extraSecrets` adds known secrets. */
export function maskRecord<T extends Pick<RunRecord, 'profile'>>(record: T, extraSecrets: readonly string[] = []): T {
  const secrets = [...new Set([...collectSecrets(record), ...extraSecrets])]
  const masked = maskDeep(record, secretMasker(secrets)) as T
  const values = { ...(masked.profile?.values ?? {}) }
  for (const key of Object.keys(values)) if (SECRET_KEY.test(key) && values[key] !== undefined && values[key] !== null && values[key] !== '') values[key] = SECRET_MASK
  return { ...masked, profile: { ...masked.profile, values } }
}
