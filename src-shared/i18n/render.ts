/** Renders what the engine records in codes and parameters (step ids, measurement keys, limits, reasons, remediation) through a catalogue translator. */
import type { Limits, Measurement, Remediation, StepAttempt } from '../record'
import { REFERENCE_SECTIONS, REMEDY_SECTION, referenceHref, type ReferenceSection } from './refs'

/** Translates a catalogue key with named parameters (vue-i18n's `t` or the core translator). */
export type T = (key: string, params?: Record<string, unknown>) => string

/** A reason or remediation detail as the engine states it: a catalogue code and its parameters. */
export interface Coded {
  code: string
  params?: Record<string, string | number>
}

const MODE_NAMES: Record<string, string> = { ecm: 'ECM', rndis: 'RNDIS', ppp: 'PPP' }

/** The title of a step id (`console`, `ecm.mode`, `ppp.dial`...) in the translator's language. */
export function stepTitle(t: T, id: string): string {
  const [head, tail] = id.split('.', 2)
  if (tail && MODE_NAMES[head]) {
    if (head === 'ppp' && tail === 'dial') return t('step.ppp-dial')
    if (['mode', 'dial', 'net'].includes(tail)) return t(`step.${tail}`, { mode: MODE_NAMES[head] })
  }
  const key = `step.${id}`
  const text = t(key)
  return text === key ? t('step.unknown', { id }) : text
}

const UNIT_KEYS: Record<string, string> = { dBm: 'dBm', '%': 'percent', ms: 'ms', s: 's', B: 'B', 'MB/s': 'MBps' }

/** The unit in the translator's language (`ms` → `毫秒`); unknown units are shown as recorded. */
export function unitText(t: T, unit: string | undefined): string {
  if (!unit) return ''
  const key = UNIT_KEYS[unit]
  return key ? t(`unit.${key}`) : unit
}

function withUnit(t: T, value: string, unit: string | undefined): string {
  const u = unitText(t, unit)
  if (!u) return value
  return unit === '%' ? `${value}${u}` : t('value.withUnit', { value, unit: u })
}

function plain(t: T, value: Measurement['value'] | undefined): string {
  if (value === null || value === undefined) return t('value.none')
  if (value === true) return t('value.yes')
  if (value === false) return t('value.no')
  if (value === '') return t('value.empty')
  return String(value)
}

/** The measurement's value with its unit, as a person reads it (`-71 dBm`, `yes`, `not read`). */
export function measurementValue(t: T, m: Pick<Measurement, 'value' | 'unit'>): string {
  if (m.value === null || typeof m.value === 'boolean' || m.value === '') return plain(t, m.value)
  const text = typeof m.value === 'number' && !Number.isInteger(m.value) ? String(Math.round(m.value * 1000) / 1000) : String(m.value)
  return withUnit(t, text, m.unit)
}

/** The label of a measurement key (`signal` → `Signal strength`); per-host keys (`loss_8.8.8.8`) and driver keys get their parameter. */
export function measurementLabel(t: T, name: string): string {
  const key = name.replace(/[^A-Za-z0-9_]/g, '_')
  const direct = t(`measure.${key}`)
  if (direct !== `measure.${key}`) return direct
  const driver = /^driver_(.+)$/.exec(name)
  if (driver) return t('measure.driver', { name: driver[1] })
  const host = /^(dns|loss|rtt_avg)_(.+)$/.exec(name)
  if (host) return t('measure.perHost', { label: t(`measure.${host[1]}`), host: host[2] })
  return t('measure.unknown', { name })
}

/** The limits as a person reads them: `≥ -93 dBm`, `= READY`, `15 digits`, `none`; empty when there are no limits. */
export function limitsText(t: T, limits: Limits | undefined, unit?: string): string {
  if (!limits) return ''
  const parts: string[] = []
  if (limits.text) parts.push(t(`limit.${limits.text}`, limits.textParams ?? {}))
  else if (limits.pattern !== undefined) parts.push(t('limit.pattern'))
  if (limits.equals !== undefined) {
    if (limits.equals === true) parts.push(t('limit.yes'))
    else if (limits.equals === false) parts.push(t('limit.no'))
    else if (limits.equals === '') parts.push(t('limit.nothing'))
    else parts.push(t('limit.equals', { value: withUnit(t, String(limits.equals), unit) }))
  }
  if (limits.low !== undefined && limits.high !== undefined) parts.push(t('limit.range', { low: String(limits.low), high: withUnit(t, String(limits.high), unit) }))
  else if (limits.low !== undefined) parts.push(t('limit.low', { low: withUnit(t, String(limits.low), unit) }))
  else if (limits.high !== undefined) parts.push(t('limit.high', { high: withUnit(t, String(limits.high), unit) }))
  return parts.join(', ')
}

/** A measurement as three readable parts. */
export interface MeasurementText {
  label: string
  value: string
  limits: string
}

/** Label, value with unit, and limits of a measurement. */
export function measurementText(t: T, m: Measurement): MeasurementText {
  return { label: measurementLabel(t, m.name), value: measurementValue(t, m), limits: limitsText(t, m.limits, m.unit) }
}

function localParams(t: T, params: Record<string, string | number> | undefined): Record<string, string | number> {
  const out = keyedParams(t, params)
  if (typeof out.step === 'string') out.step = stepTitle(t, out.step)
  if (typeof out.measurements === 'string') out.list = out.measurements.split(',').filter(Boolean).map((n) => measurementLabel(t, n)).join(', ')
  return out
}

/** A coded reason in words; falls back to the recorded text for records made before reasons had codes. */
export function reasonText(t: T, attempt: Pick<StepAttempt, 'reason' | 'reasonCode' | 'reasonParams'>): string {
  if (!attempt.reasonCode) return attempt.reason ?? ''
  const key = `reason.${attempt.reasonCode}`
  const text = t(key, localParams(t, attempt.reasonParams))
  return text === key ? (attempt.reason ?? attempt.reasonCode) : text
}

/** A remediation in words: cause (with its measured detail), the physical action, the software action, and the reference section. */
export interface RemedyText {
  code: string
  cause: string
  physical: string
  software: string
  /** Physical then software, one line. */
  fix: string
  reference?: { text: string; href: string; section: ReferenceSection }
}

/** What a remediation code means, in one sentence (its catalogue cause; `Failure <code>.` for a code the catalogue does not know). */
export function causeTitle(t: T, code: string): string {
  const key = `remedy.${code}.cause`
  const text = t(key)
  return text === key ? t('remedy.unknown.cause', { code }) : text
}

/** Renders a remediation; a record without a catalogue entry for its code keeps its recorded cause and fix. */
export function remedyText(t: T, r: Remediation): RemedyText {
  const base = `remedy.${r.code}`
  const cause = t(`${base}.cause`)
  const section = REMEDY_SECTION[r.code]
  const reference = section ? { text: t('ref.link', { section: REFERENCE_SECTIONS[section].number, title: t(`ref.section.${section.replace(/\./g, '_')}`) }), href: referenceHref(section), section } : undefined
  if (cause === `${base}.cause`) return { code: r.code, cause: r.cause, physical: '', software: r.fix, fix: r.fix, ...(reference ? { reference } : {}) }
  const params = localParams(t, r.params)
  const detailKey = `${base}.detail`
  const detail = r.params && Object.keys(r.params).length ? t(detailKey, params) : ''
  const physical = t(`${base}.physical`, params)
  const software = t(`${base}.software`, params)
  return { code: r.code, cause: detail && detail !== detailKey ? `${cause} ${detail}` : cause, physical, software, fix: `${physical} ${software}`, ...(reference ? { reference } : {}) }
}

/** A message as the engine states it: a full catalogue key (`flashError.deviceLost`) and its parameters. */
export interface KeyedMessage {
  key: string
  params?: Record<string, string | number>
}

const NAMED_PARAMS: Record<string, string> = { medium: 'flashError.medium', what: 'flashError.what', stage: 'flashError.stage' }

/**
 * Translates the parameters of a keyed message: a medium, a transfer or a boot stage by its code, and every `<name>Key`
 * parameter (a catalogue key) into `<name>`, rendered with the same parameters; the recorded `<name>` stays when the key is unknown.
 */
export function keyedParams(t: T, params: Record<string, string | number> | undefined): Record<string, string | number> {
  const given = params ?? {}
  const out: Record<string, string | number> = { ...given }
  for (const [name, base] of Object.entries(NAMED_PARAMS)) {
    const value = given[name]
    if (typeof value !== 'string') continue
    const text = t(`${base}.${value}`, given)
    if (text !== `${base}.${value}`) out[name] = text
  }
  for (const [name, value] of Object.entries(given)) {
    if (name.length <= 3 || !name.endsWith('Key') || typeof value !== 'string') continue
    const rest = Object.fromEntries(Object.entries(given).filter(([n]) => n !== name))
    const target = name.slice(0, -3)
    out[target] = keyedText(t, { key: value, params: rest }, typeof given[target] === 'string' ? String(given[target]) : undefined)
  }
  return out
}

/** A keyed message in words, its parameters translated (keyedParams); `fallback` (else the `text` parameter, else the key) when the key is unknown. */
export function keyedText(t: T, message: KeyedMessage, fallback?: string): string {
  const params = keyedParams(t, message.params)
  const text = message.key ? t(message.key, params) : message.key
  return text === message.key ? (fallback ?? String(params.text ?? message.key)) : text
}

/** The words of a console or run state's error: its catalogue key when it has one, else the English it carries. */
export function stateErrorText(t: T, state: { error?: string; errorKey?: string; errorParams?: Record<string, string | number> }): string {
  return state.errorKey ? keyedText(t, { key: state.errorKey, params: state.errorParams }, state.error) : (state.error ?? '')
}
