import Ajv from 'ajv'
import type { RunRecord } from '@shared/record'
import { RUN_RECORD_SCHEMA } from './record-schema'

let validator: ReturnType<Ajv['compile']> | undefined

export { RUN_RECORD_SCHEMA }

/** Validates untrusted JSON against the run record schema; returns the record or readable problems (`/steps/3/verdict must be equal to one of the allowed values`). */
export function validateRecord(value: unknown): { ok: true; record: RunRecord } | { ok: false; problems: string[] } {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(RUN_RECORD_SCHEMA)
  if (validator(value)) return { ok: true, record: value as RunRecord }
  const problems = (validator.errors ?? []).slice(0, 20).map((e) => `${e.instancePath || '(record)'} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? `: ${(e.params.allowedValues as unknown[]).join(', ')}` : ''}`)
  return { ok: false, problems }
}
