/** The run record's JSON Schema as TypeBox types: the one source of resources/schema/run-record.schema.json (a test keeps the file equal to it). */
import { Type, type TProperties, type TSchema } from '@sinclair/typebox'
import engineEn from '@shared/i18n/engine/en'

const enumOf = (values: readonly (string | number)[]): TSchema => Type.Unsafe({ enum: [...values] })
const constOf = (value: string | number): TSchema => Type.Unsafe({ const: value })
const typeOf = (...types: string[]): TSchema => Type.Unsafe({ type: types })
const ref = (name: string): TSchema => Type.Unsafe({ $ref: `#/definitions/${name}` })
const open = <P extends TProperties>(properties: P, options: Record<string, unknown> = {}) => Type.Object(properties, options)
const anyObject = (): TSchema => Type.Unsafe({ type: 'object' })
const textMap = (...types: string[]): TSchema => Type.Unsafe({ type: 'object', additionalProperties: types.length === 1 ? Type.String() : typeOf(...types) })

const DEFINITIONS = {
  isoTime: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' }),
  verdict: enumOf(['pass', 'fail', 'skipped', 'error', 'aborted']),
  limits: open({
    low: Type.Optional(Type.Number()),
    high: Type.Optional(Type.Number()),
    equals: Type.Optional(typeOf('string', 'number', 'boolean')),
    pattern: Type.Optional(Type.String()),
    text: Type.Optional(Type.String()),
    textParams: Type.Optional(textMap('string')),
  }),
  measurement: open({
    name: Type.String(),
    value: typeOf('string', 'number', 'boolean', 'null'),
    unit: Type.Optional(Type.String()),
    limits: Type.Optional(ref('limits')),
    outcome: enumOf(['pass', 'fail', 'unset']),
  }),
  remediation: open({ code: Type.String(), cause: Type.String(), fix: Type.String(), params: Type.Optional(textMap('string', 'number')) }),
  attempt: open({
    attempt: Type.Integer({ minimum: 1 }),
    verdict: ref('verdict'),
    reason: Type.Optional(Type.String()),
    reasonCode: Type.Optional(Type.String()),
    reasonParams: Type.Optional(textMap('string', 'number')),
    startedAt: ref('isoTime'),
    endedAt: ref('isoTime'),
    durationMs: Type.Number({ minimum: 0 }),
    measurements: Type.Array(ref('measurement')),
    evidence: open({ excerpt: Type.String(), commands: Type.Optional(Type.Array(Type.String())) }),
    remediation: Type.Optional(ref('remediation')),
    error: Type.Optional(open({ code: Type.String(), message: Type.String() })),
  }),
  step: open({
    id: Type.String({ minLength: 1 }),
    title: Type.String(),
    needs: Type.Array(Type.String()),
    attempts: Type.Array(ref('attempt')),
    verdict: enumOf(['pass', 'fail', 'skipped', 'error', 'aborted', 'pending', 'running']),
  }),
  transcriptEntry: open({ t: Type.Number(), dir: enumOf(['rx', 'tx', 'kmsg', 'note']), text: Type.String() }),
}

/** JSON Schema (draft-07) of a run record (src-shared/record.ts RunRecord); `verify` and the reports check records against it. */
export const RUN_RECORD_SCHEMA = open(
  {
    schemaVersion: constOf(1),
    id: Type.String({ minLength: 1 }),
    unit: open({
      serial: Type.String(),
      imei: Type.Optional(Type.String()),
      iccid: Type.Optional(Type.String()),
      imsi: Type.Optional(Type.String()),
      operator: Type.Optional(Type.String()),
      modemModel: Type.Optional(Type.String()),
      modemFirmware: Type.Optional(Type.String()),
      kernel: Type.Optional(Type.String()),
    }),
    station: open({
      id: Type.String(),
      operator: Type.Optional(Type.String()),
      appVersion: Type.String(),
      gitSha: Type.Optional(Type.String()),
      port: Type.String(),
      baud: Type.Integer({ minimum: 0 }),
    }),
    profile: open({ name: Type.String(), hash: Type.String(), values: anyObject() }),
    startedAt: ref('isoTime'),
    endedAt: Type.Optional(ref('isoTime')),
    status: enumOf(['running', 'completed', 'aborted', 'interrupted', 'link-lost']),
    verdict: enumOf(['pass', 'fail', 'error', 'aborted', 'running', 'interrupted']),
    simulated: Type.Optional(Type.Boolean({ description: "The run was made on the virtual board: its verdict is not a real unit's." })),
    steps: Type.Array(ref('step')),
    transcript: Type.Array(ref('transcriptEntry')),
    purpose: Type.Optional(enumOf(['production', 'support'])),
    flash: Type.Optional(anyObject()),
    digest: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
    signature: Type.Optional(
      Type.Object(
        {
          alg: constOf('ed25519'),
          keyId: Type.String({ pattern: '^[0-9a-f]{16}$' }),
          station: Type.String({ minLength: 1, maxLength: 200 }),
          value: Type.String({ pattern: '^[A-Za-z0-9+/]{86}==$' }),
        },
        { description: 'Ed25519 signature of the station that wrote the record, over the canonical record with the signature value left out.', additionalProperties: false },
      ),
    ),
  },
  {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://k230-bringup.invalid/schema/run-record.schema.json',
    title: `${engineEn.product} run record`,
    $comment: 'A developer artefact: title and descriptions stay in English for validators, code generators and integrators; no technician reads this file, and everything a person reads of a record is rendered through the catalogues in src-shared/i18n.',
    description: 'The record of one bring-up run (src-shared/record.ts RunRecord). Every report is rendered from it. schemaVersion 1.',
    definitions: DEFINITIONS,
  },
)
