/** Judging a measured value against its limits. */
import type { Limits, Measurement } from '@shared/record'

/** `pass`/`fail` against the limits, `unset` without limits; a missing value with limits fails. */
export function judge(value: Measurement['value'], limits?: Limits): Measurement['outcome'] {
  if (!limits) return 'unset'
  if (value === null || value === undefined) return 'fail'
  if (limits.equals !== undefined && value !== limits.equals) return 'fail'
  if (limits.pattern !== undefined && !new RegExp(limits.pattern).test(String(value))) return 'fail'
  if (limits.low !== undefined && !(typeof value === 'number' && value >= limits.low)) return 'fail'
  if (limits.high !== undefined && !(typeof value === 'number' && value <= limits.high)) return 'fail'
  return 'pass'
}

/** Builds a judged measurement. */
export function measurement(name: string, value: Measurement['value'], options: { unit?: string; limits?: Limits } = {}): Measurement {
  return { name, value, ...(options.unit ? { unit: options.unit } : {}), ...(options.limits ? { limits: options.limits } : {}), outcome: judge(value, options.limits) }
}
