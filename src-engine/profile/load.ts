/** Reads, validates and completes profile files (JSON or YAML); every refusal names the field and the reason. */
import { readFileSync, statSync } from 'node:fs'
import Ajv, { type ErrorObject } from 'ajv'
import { parse as parseYaml } from 'yaml'
import { DEFAULT_PROFILE, PROFILE_SCHEMA, type Profile } from './schema'

/** A profile that could not be used; `field` is the dotted path of the offending value ('' for the file). */
export class ProfileError extends Error {
  override name = 'ProfileError'
  constructor(
    readonly source: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${source}: ${field ? `field '${field}'` : 'file'}: ${reason}`)
  }
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true })
const validate = ajv.compile(PROFILE_SCHEMA)

function fieldOf(error: ErrorObject): string {
  const base = error.instancePath.replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty)
    return base ? `${base}.${extra}` : extra
  }
  return base
}

function reasonOf(error: ErrorObject): string {
  const schema = error.parentSchema as { description?: string } | undefined
  switch (error.keyword) {
    case 'additionalProperties':
      return 'unknown field'
    case 'enum':
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
    case 'pattern':
      return `invalid value${schema?.description ? `: expected ${schema.description}` : ''}`
    default:
      return `${error.message ?? 'invalid'}${schema?.description ? ` (${schema.description})` : ''}`
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function withDefaults(defaults: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...defaults }
  for (const [key, value] of Object.entries(given)) {
    if (key === '$schema') continue
    out[key] = isPlainObject(value) && isPlainObject(defaults[key]) ? withDefaults(defaults[key] as Record<string, unknown>, value) : value
  }
  return out
}

/** Validates an already-parsed profile object and fills the defaults; throws ProfileError naming the first bad field. */
export function resolveProfile(input: unknown, source = 'profile'): Profile {
  if (input === undefined || input === null) return structuredClone(DEFAULT_PROFILE)
  if (!isPlainObject(input)) throw new ProfileError(source, '', `expected an object of settings, got ${Array.isArray(input) ? 'a list' : typeof input}`)
  if (!validate(input)) {
    const errors = validate.errors ?? []
    const first = errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0]
    throw new ProfileError(source, first ? fieldOf(first) : '', first ? reasonOf(first) : 'invalid')
  }
  const profile = withDefaults(DEFAULT_PROFILE as unknown as Record<string, unknown>, input) as unknown as Profile
  if (profile.ping.hosts.some((h) => h.includes('..'))) throw new ProfileError(source, 'ping.hosts', 'invalid value: empty label in a host name')
  return profile
}

/** Parses profile text as JSON or YAML (by the file name's extension, else by content) and resolves it. */
export function parseProfileText(text: string, source = 'profile'): Profile {
  let parsed: unknown
  const asJson = /\.json$/i.test(source) || (!/\.ya?ml$/i.test(source) && /^\s*[{[]/.test(text))
  try {
    parsed = asJson ? JSON.parse(text) : parseYaml(text)
  } catch (error) {
    throw new ProfileError(source, '', `not valid ${asJson ? 'JSON' : 'YAML'}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
  }
  return resolveProfile(parsed, source)
}

/** Reads a profile file from disk; a missing or unreadable file is a ProfileError too. */
/** Largest profile file read (a profile is a few hundred bytes; this bounds what a wrong path can make the app read). */
export const PROFILE_MAX_BYTES = 1024 * 1024

/** Reads a profile file: only a regular file of at most PROFILE_MAX_BYTES; throws ProfileError naming the file. */
export function loadProfileFile(path: string): Profile {
  let text: string
  try {
    const info = statSync(path)
    if (!info.isFile()) throw new ProfileError(path, '', 'not a regular file (a device, FIFO or folder cannot be a profile)')
    if (info.size > PROFILE_MAX_BYTES) throw new ProfileError(path, '', `too large (${info.size} bytes; a profile is at most ${PROFILE_MAX_BYTES} bytes)`)
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if (error instanceof ProfileError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new ProfileError(path, '', code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(error)})`)
  }
  return parseProfileText(text, path)
}
