/** The bring-up profile: its TypeBox schema (the one source of its JSON Schema and TypeScript type) and the reference document's defaults. */
import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox'
import type { NetMode } from '@shared/record'

/** A JSON Schema `enum` of literal values with their TypeScript union (ajv names the allowed values in its message). */
function oneOf<const T extends readonly (string | number)[]>(values: T): TSchema & { static: T[number] } {
  return Type.Unsafe<T[number]>({ enum: [...values] })
}

const BAUDS = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1500000] as const
const MODES = ['ecm', 'rndis', 'ppp'] as const satisfies readonly NetMode[]
const timeout = () => Type.Integer({ minimum: 100, maximum: 600_000, description: 'board milliseconds' })
const closed = <P extends TProperties>(properties: P) => Type.Object(properties, { additionalProperties: false })

const PING = closed({
  hosts: Type.Array(Type.String({ pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$', description: 'a host name or IPv4 address' }), { minItems: 1, maxItems: 8 }),
  count: Type.Integer({ minimum: 1, maximum: 100 }),
})
const LIMITS = closed({
  csqMinDbm: Type.Number({ minimum: -113, maximum: -51 }),
  lossMaxPercent: Type.Number({ minimum: 0, maximum: 100 }),
  rttMaxMs: Type.Number({ exclusiveMinimum: 0, maximum: 60_000 }),
})
const TIMEOUTS = closed({ commandMs: timeout(), moduleResetMs: timeout(), dialMs: timeout(), dhcpMs: timeout(), pppMs: timeout() })

/** Every setting of a complete profile, as TypeBox types. */
const FIELDS = {
  name: Type.String({ minLength: 1, maxLength: 80 }),
  apn: Type.String({ pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]{0,98}[A-Za-z0-9])?$', description: 'letters, digits, dots and dashes (3GPP TS 23.003), e.g. 3gnet or CMNET' }),
  user: Type.String({ maxLength: 64, pattern: '^[\\x20-\\x7e]*$', description: 'printable ASCII' }),
  password: Type.String({ maxLength: 64, pattern: '^[\\x20-\\x7e]*$', description: 'printable ASCII' }),
  device: Type.String({ pattern: '^/dev/[A-Za-z0-9._-]+$', description: 'a /dev node such as /dev/ttyUSB2' }),
  baud: oneOf(BAUDS),
  modemBaud: oneOf(BAUDS),
  modes: Type.Array(oneOf(MODES), { minItems: 1, uniqueItems: true }),
  finalMode: oneOf(['ecm', 'rndis'] as const),
  ping: PING,
  limits: LIMITS,
  timeouts: TIMEOUTS,
}

/** A complete, resolved profile (every field present). */
export const PROFILE_TYPE = closed(FIELDS)

/** The bring-up profile the engine runs with. */
export type Profile = Omit<Static<typeof PROFILE_TYPE>, 'baud' | 'modemBaud'> & { baud: number; modemBaud: number }

const partial = <T extends TObject>(object: T) => Type.Partial(object, { additionalProperties: false })

/** JSON Schema of a profile file: every field optional (defaults fill the rest), unknown fields refused; published as resources/schema/profile.schema.json. */
export const PROFILE_SCHEMA = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    ...Type.Partial(Type.Omit(PROFILE_TYPE, ['ping', 'limits', 'timeouts'])).properties,
    ping: Type.Optional(partial(PING)),
    limits: Type.Optional(partial(LIMITS)),
    timeouts: Type.Optional(partial(TIMEOUTS)),
  },
  { $id: 'https://k230-bringup.local/profile.schema.json', additionalProperties: false },
)

/**
 * Defaults from the reference document. APN: `3gnet`, the default baked into its quectel-pppd.sh
 * (the `CMNET` of section 3.4.1 is a command-line override for a China Mobile SIM; set `apn` for it).
 * User and password `test` as in its peers file; `/dev/ttyUSB2` at 115200 as in its section 1.
 */
export const DEFAULT_PROFILE: Profile = {
  name: 'default',
  apn: '3gnet',
  user: 'test',
  password: 'test',
  device: '/dev/ttyUSB2',
  baud: 115200,
  modemBaud: 115200,
  modes: ['ecm', 'rndis', 'ppp'],
  finalMode: 'ecm',
  ping: { hosts: ['www.163.com'], count: 5 },
  limits: { csqMinDbm: -93, lossMaxPercent: 20, rttMaxMs: 300 },
  timeouts: { commandMs: 15_000, moduleResetMs: 60_000, dialMs: 30_000, dhcpMs: 30_000, pppMs: 60_000 },
}

