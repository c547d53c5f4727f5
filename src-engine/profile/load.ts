/** Reads, validates and completes profile files (JSON or YAML); every refusal names the field and the reason. */
import { readFileSync, statSync } from 'node:fs'
import Ajv, { type ErrorObject } from 'ajv'
import { parse as parseYaml } from 'yaml'
import { DEFAULT_PROFILE, PROFILE_SCHEMA, type Profile } from './schema'
import type profileEn from '@shared/i18n/engine/profile-en'
import { keyedText, type KeyedMessage } from '@shared/i18n/render'
import { translator } from '@shared/i18n/translate'

type Reason = keyof typeof profileEn.reason
type Params = Record<string, string | number>
const english = translator('en')

const HINTS: Record<string, keyof typeof profileEn.hint> = {
  'board milliseconds': 'ms',
  'a host name or IPv4 address': 'host',
  'letters, digits, dots and dashes (3GPP TS 23.003), e.g. 3gnet or CMNET': 'apn',
  'printable ASCII': 'ascii',
  'a /dev node such as /dev/ttyUSB2': 'device',
}

/** A profile that could not be used; `field` is the dotted path of the offending value ('' for the file); `code` and `params` name the reason in the catalogue (`profileError.reason.*`). */
export class ProfileError extends Error {
  override name = 'ProfileError'
  /** The English reason, for logs. */
  readonly reason: string
  constructor(
    readonly source: string,
    readonly field: string,
    readonly code: Reason,
    readonly params: Params = {},
  ) {
    const keyed = profileMessage(source, field, code, params)
    super(keyedText(english, keyed))
    this.reason = keyedText(english, { key: `profileError.reason.${code}`, params })
  }

  /** The whole refusal as a catalogue key with parameters, for the reader's language. */
  get keyed(): KeyedMessage {
    return profileMessage(this.source, this.field, this.code, this.params)
  }
}

function profileMessage(source: string, field: string, code: Reason, params: Params): KeyedMessage {
  return { key: field ? 'profileError.inField' : 'profileError.inFile', params: { ...params, source, field, reasonKey: `profileError.reason.${code}` } }
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

function hintOf(error: ErrorObject): Params {
  const description = (error.parentSchema as { description?: string } | undefined)?.description
  if (!description) return {}
  const hint = HINTS[description]
  return hint ? { hint: description, hintKey: `profileError.hint.${hint}` } : { hint: description }
}

function reasonOf(error: ErrorObject): [Reason, Params] {
  const p = error.params as Record<string, unknown>
  const hint = hintOf(error)
  const hinted = (plain: Reason, withHint: Reason): Reason => ('hint' in hint ? withHint : plain)
  switch (error.keyword) {
    case 'additionalProperties':
      return ['unknownField', {}]
    case 'enum':
      return ['oneOf', { values: (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ') }]
    case 'pattern':
      return [hinted('pattern', 'patternHint'), hint]
    case 'type':
      return [hinted('type', 'typeHint'), { ...hint, type: String(p.type), typeKey: `profileError.type.${String(p.type)}` }]
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return [hinted('limit', 'limitHint'), { ...hint, comparison: String(p.comparison), limit: Number(p.limit) }]
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
      return [error.keyword, { limit: Number(p.limit) }]
    case 'uniqueItems':
      return ['uniqueItems', { i: Number(p.i), j: Number(p.j) }]
    case 'required':
      return ['required', { missing: String(p.missingProperty) }]
    default:
      return ['other', { text: `${error.message ?? 'invalid'}${'hint' in hint ? ` (${hint.hint})` : ''}` }]
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
  if (!isPlainObject(input)) throw new ProfileError(source, '', 'notObject', Array.isArray(input) ? { got: 'a list', gotKey: 'profileError.got.list' } : { got: typeof input, gotKey: `profileError.got.${typeof input}` })
  if (!validate(input)) {
    const errors = validate.errors ?? []
    const first = errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0]
    throw first ? new ProfileError(source, fieldOf(first), ...reasonOf(first)) : new ProfileError(source, '', 'invalid')
  }
  const profile = withDefaults(DEFAULT_PROFILE as unknown as Record<string, unknown>, input) as unknown as Profile
  if (profile.ping.hosts.some((h) => h.includes('..'))) throw new ProfileError(source, 'ping.hosts', 'emptyLabel')
  return profile
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, column: before[before.length - 1].length + 1 }
}

function syntaxWhere(text: string, error: unknown): Params {
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error)
  const yamlAt = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0]
  if (yamlAt) return { line: yamlAt.line, column: yamlAt.col, detail }
  const jsonAt = /at position (\d+)/.exec(detail)
  if (jsonAt) return { ...lineColumn(text, Number(jsonAt[1])), detail }
  return { line: 1, column: 1, detail }
}

/** Parses profile text as JSON or YAML (by the file name's extension, else by content) and resolves it. */
export function parseProfileText(text: string, source = 'profile'): Profile {
  let parsed: unknown
  const asJson = /\.json$/i.test(source) || (!/\.ya?ml$/i.test(source) && /^\s*[{[]/.test(text))
  try {
    parsed = asJson ? JSON.parse(text) : parseYaml(text)
  } catch (error) {
    throw new ProfileError(source, '', asJson ? 'notJson' : 'notYaml', syntaxWhere(text, error))
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
    if (!info.isFile()) throw new ProfileError(path, '', 'notRegular')
    if (info.size > PROFILE_MAX_BYTES) throw new ProfileError(path, '', 'tooLarge', { size: info.size, max: PROFILE_MAX_BYTES })
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if (error instanceof ProfileError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw code === 'ENOENT' ? new ProfileError(path, '', 'noFile') : new ProfileError(path, '', 'unreadable', { text: code ?? String(error) })
  }
  return parseProfileText(text, path)
}
