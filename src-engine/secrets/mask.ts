/** The one secret masker: where the app's own files and tools print a secret (pppd options, the PPP script's QL_PASSWORD= and echo, a PAP request), and every occurrence of a distinctive secret in its plain, JSON-, HTML-, shell-escaped and base64 forms. */
import type { RunRecord } from '@shared/record'

/** What a masked secret reads as everywhere: journal, record, reports, support bundle, messages. */
export const MASK = '********'

const SCRIPT_ECHO = /(password {2})(.*?)( {3}# \((?:default|from command line)\))/g
const PPPD_OPTION = /((?<![-\w])password[ \t]+)("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s*]\S*)/gi
const SHELL_ASSIGNMENT = /(QL_PASSWORD=)('(?:[^'\n]|'\\'')*'|"(?:[^"\\\n]|\\.)*"|[^\s*]\S*)/g
const PAP_REQUEST = /((?<![-\w])password=)("(?:[^"\\\n]|\\.)*")/g
const URL_PASSWORD = /(\/\/[^:/@\s]*:)[^@\s]*@/g
const QUERY_PASSWORD = /(password=)[^&\s]*/gi

/** Keys of a profile (or settings) value that hold a secret. */
export const SECRET_KEY = /^(password|passwd|pass|secret|token|pin|puk|psk)$|password|passwd|secret/i

/** True for a secret unlikely to occur by chance: 6 or more characters from at least two of letters, digits and other characters. */
export function isDistinctive(secret: string): boolean {
  if (secret.length < 6) return false
  const classes = [/[A-Za-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((c) => c.test(secret)).length
  return classes >= 2
}

function maskContexts(text: string): string {
  if (!/password/i.test(text)) return text
  return text
    .replace(SCRIPT_ECHO, (_m, head: string, _value: string, tail: string) => `${head}${MASK}${tail}`)
    .replace(PPPD_OPTION, (_m, head: string) => `${head}${MASK}`)
    .replace(SHELL_ASSIGNMENT, (_m, head: string) => `${head}${MASK}`)
    .replace(PAP_REQUEST, (_m, head: string) => `${head}${MASK}`)
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

function forms(secret: string): string[] {
  const escapedJson = JSON.stringify(secret).slice(1, -1)
  const escapedHtml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
  const shellQuoted = secret.replace(/'/g, `'\\''`)
  return [secret, escapedJson, escapedHtml, shellQuoted, ...base64Fragments(secret)]
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A function that masks `secrets` where the app prints them and every form of a distinctive one anywhere; a short or common secret is never replaced everywhere. Build once, use for many strings. */
export function secretMasker(secrets: Iterable<string>): (text: string) => string {
  const all = [...new Set([...secrets].filter(isDistinctive).flatMap(forms))].filter((f) => f.length > 0).sort((a, b) => b.length - a.length)
  if (!all.length) return (text) => (text ? maskContexts(text) : text)
  const pattern = new RegExp(all.map(escapeRegExp).join('|'), 'g')
  return (text) => (text ? maskContexts(all.some((form) => text.includes(form)) ? text.replace(pattern, MASK) : text) : text)
}

let cached: { key: string; mask: (text: string) => string } | null = null

/** Masks `secrets` in `text` (see secretMasker); keeps the last masker built, so repeated calls with the same secrets are cheap. */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const list = [...secrets]
  const key = JSON.stringify(list)
  if (cached?.key !== key) cached = { key, mask: secretMasker(list) }
  return cached.mask(text)
}

/** Secret strings of a record: the profile's password and any other profile value whose key names a secret. */
export function collectSecrets(record: Pick<RunRecord, 'profile'>): string[] {
  const found = new Set<string>()
  for (const [key, value] of Object.entries(record.profile?.values ?? {})) {
    if (!SECRET_KEY.test(key) || (typeof value !== 'string' && typeof value !== 'number')) continue
    const text = String(value)
    if (text.length > 0 && text !== MASK) found.add(text)
  }
  return [...found]
}

/** A copy of profile or settings values with every secret-named value replaced by the mask (an empty one stays empty, so "no password" still shows). */
export function maskedValues<T extends object>(values: T): Record<string, unknown> {
  const out = { ...structuredClone(values) } as Record<string, unknown>
  for (const key of Object.keys(out)) if (SECRET_KEY.test(key) && out[key] !== undefined && out[key] !== null && out[key] !== '') out[key] = MASK
  return out
}

/** A copy of profile or settings values without the secret-named keys (for files that leave the station, such as a support bundle). */
export function withoutSecrets<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !SECRET_KEY.test(key))) as Partial<T>
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

/** Deep copy of a record with the profile's secret values replaced by the mask and every other place they show masked; `extraSecrets` adds known secrets. */
export function maskRecord<T extends Pick<RunRecord, 'profile'>>(record: T, extraSecrets: readonly string[] = []): T {
  const masked = maskDeep(record, secretMasker([...collectSecrets(record), ...extraSecrets])) as T
  return { ...masked, profile: { ...masked.profile, values: maskedValues(masked.profile?.values ?? {}) } }
}

/** A connection URL with its password (user:password@ or password=) masked, for messages and logs. Pure. */
export function maskUrl(url: string): string {
  return url.replace(URL_PASSWORD, `$1${MASK}@`).replace(QUERY_PASSWORD, `$1${MASK}`)
}

/** The password a connection URL carries, if any. Pure. */
export function urlPassword(url: string): string | undefined {
  try {
    const p = new URL(url).password
    if (p) return decodeURIComponent(p)
  } catch {
    /* not a URL: fall back to key=value */
  }
  return /password=([^&\s]+)/i.exec(url)?.[1]
}

/** Error text about a connection to `url` with the URL's password masked in every URL and everywhere else it occurs (a server's message is short and never the app's transcript, so every occurrence goes). Pure. */
export function maskUrlSecrets(text: string, url: string): string {
  const out = maskUrl(text)
  const password = urlPassword(url)
  return password ? out.split(password).join(MASK) : out
}
