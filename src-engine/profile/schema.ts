/** The bring-up profile: its JSON Schema, its TypeScript type and the reference document's defaults. */
import type { NetMode } from '@shared/record'

export interface Profile {
  name: string
  apn: string
  user: string
  password: string
  device: string
  baud: number
  modemBaud: number
  modes: NetMode[]
  finalMode: 'ecm' | 'rndis'
  ping: { hosts: string[]; count: number }
  limits: { csqMinDbm: number; lossMaxPercent: number; rttMaxMs: number }
  timeouts: { commandMs: number; moduleResetMs: number; dialMs: number; dhcpMs: number; pppMs: number }
}

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

const BAUDS = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1500000]
const timeout = { type: 'integer', minimum: 100, maximum: 600_000, description: 'board milliseconds' }

/** JSON Schema of a profile file: every field optional (defaults fill the rest), unknown fields refused. */
export const PROFILE_SCHEMA = {
  $id: 'https://k230-bringup.local/profile.schema.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1, maxLength: 80 },
    apn: {
      type: 'string',
      pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]{0,98}[A-Za-z0-9])?$',
      description: 'letters, digits, dots and dashes (3GPP TS 23.003), e.g. 3gnet or CMNET',
    },
    user: { type: 'string', maxLength: 64, pattern: '^[\\x20-\\x7e]*$', description: 'printable ASCII' },
    password: { type: 'string', maxLength: 64, pattern: '^[\\x20-\\x7e]*$', description: 'printable ASCII' },
    device: { type: 'string', pattern: '^/dev/[A-Za-z0-9._-]+$', description: 'a /dev node such as /dev/ttyUSB2' },
    baud: { enum: BAUDS },
    modemBaud: { enum: BAUDS },
    modes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['ecm', 'rndis', 'ppp'] } },
    finalMode: { enum: ['ecm', 'rndis'] },
    ping: {
      type: 'object',
      additionalProperties: false,
      properties: {
        hosts: {
          type: 'array',
          minItems: 1,
          maxItems: 8,
          items: { type: 'string', pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$', description: 'a host name or IPv4 address' },
        },
        count: { type: 'integer', minimum: 1, maximum: 100 },
      },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        csqMinDbm: { type: 'number', minimum: -113, maximum: -51 },
        lossMaxPercent: { type: 'number', minimum: 0, maximum: 100 },
        rttMaxMs: { type: 'number', exclusiveMinimum: 0, maximum: 60_000 },
      },
    },
    timeouts: {
      type: 'object',
      additionalProperties: false,
      properties: { commandMs: timeout, moduleResetMs: timeout, dialMs: timeout, dhcpMs: timeout, pppMs: timeout },
    },
  },
} as const
