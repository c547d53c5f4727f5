/**
 * A scenario is one situation a technician meets at the bench, as data: the board's build facts,
 * the EC200A's SIM/radio/identity settings, the mobile network's behaviour, fault triggers that
 * board-core carries out, and the symptom a technician sees. Files: `src-board/scenarios/<name>.json`;
 * every file except `healthy.json` holds only what differs from `healthy` (deep-merged by `loadScenario`).
 * The TypeBox schemas below are the one source of the types and of the check every file passes.
 */
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox'

const closed = <P extends TProperties>(properties: P, description?: string) => Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) })
const int = (description: string, bounds: { minimum?: number; maximum?: number } = {}) => Type.Integer({ description, ...bounds })
const rate = (description: string) => Type.Number({ minimum: 0, maximum: 1, description })
const ipv4 = (description: string) => Type.String({ pattern: '^\\d{1,3}(\\.\\d{1,3}){3}$', description })

/** Board build facts; applied to BoardState by `applyScenarioState`. */
export const SCENARIO_STATE = closed({
  drivers: Type.Array(Type.String(), { description: 'Drivers the kernel has, as listed in /sys/bus/usb/drivers (the reference document\'s list when healthy).' }),
  withoutDrivers: Type.Array(Type.String(), { description: 'Drivers removed from `drivers` (lets a scenario file say only what is missing).' }),
  optionHasEc200a: Type.Boolean({ description: 'The option driver has the `{ USB_DEVICE_AND_INTERFACE_INFO(0x2c7c, 0x6005, 0xff, 0, 0) }` entry.' }),
  kernelPpp: Type.Boolean({ description: 'Kernel built with CONFIG_PPP and friends.' }),
  procConfig: Type.Boolean({ description: '/proc/config.gz present.' }),
  pppdInstalled: Type.Boolean({ description: "Buildroot's pppd and chat are on the rootfs." }),
  readonlyRootfs: Type.Boolean({ description: 'Root filesystem mounted read-only: writes to /etc fail with `Read-only file system` (board-core).' }),
})

/** The EC200A module: SIM, radio, identities, USB mode and reset timing. */
export const MODEM_SETTINGS = closed({
  simPresent: Type.Boolean({ description: 'A SIM is inserted; without it `AT+CPIN?` answers `+CME ERROR: 10`.' }),
  csq: closed({ rssi: int('rssi 0..31 or 99 (unknown)', { minimum: 0, maximum: 199 }), ber: int('ber 0..7 or 99 (unknown)', { minimum: 0, maximum: 99 }) }, '`AT+CSQ` answer.'),
  registration: int('<stat> of +CREG/+CGREG/+CEREG: 0 not registered, 1 home, 2 searching, 3 denied, 5 roaming.', { minimum: 0, maximum: 10 }),
  operator: Type.String({ description: 'Operator long name shown by `AT+COPS?` when registered.' }),
  accessTechnology: int('<AcT> of +COPS: 7 = E-UTRAN (LTE).', { minimum: 0, maximum: 13 }),
  imei: Type.String({ pattern: '^\\d{15}$' }),
  iccid: Type.String({ pattern: '^\\d{18,22}F?$' }),
  imsi: Type.String({ pattern: '^\\d{6,15}$' }),
  revision: Type.String({ description: 'Firmware revision shown by ATI / AT+CGMR.' }),
  usbnet: int('Persisted `AT+QCFG="usbnet"` mode at power-on: 1 ECM (cdc_ether), 3 RNDIS (rndis_host).', { minimum: 0, maximum: 5 }),
  acceptedApns: Type.Array(Type.String(), { description: 'APNs the network accepts (compared case-insensitively); empty string = network default. Others: `NO CARRIER` on dial.' }),
  resetOffMs: int('Board ms the USB device stays gone after `AT+CFUN=1,1` before re-enumerating.', { minimum: 0 }),
  readyAfterEnumMs: int('Board ms from re-enumeration to the `RDY` URC.', { minimum: 0 }),
  stuckAfterReset: Type.Boolean({ description: 'After `AT+CFUN=1,1` the module never comes back on USB (until the board is power-cycled).' }),
  dialMs: int('Board ms a data call (`AT+QNETDEVCTL=3,1,1` or `ATD*99#`) takes to come up.', { minimum: 0 }),
  usbMac: Type.String({ pattern: '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$', description: 'MAC address of the usb0 network function.' }),
})

/** The mobile network seen through usb0 / ppp0. */
export const NETWORK_SETTINGS = closed({
  dhcp: Type.Union([Type.Literal('lease'), Type.Literal('no-offer')], { description: 'DHCP on usb0: `lease` answers after dialling; `no-offer` never answers (udhcpc times out).' }),
  lease: closed({ ip: ipv4('address'), subnet: ipv4('netmask'), router: ipv4('gateway'), dns: Type.Array(ipv4('DNS server')), leaseTime: int('seconds', { minimum: 1 }) }, 'Lease handed out on usb0.'),
  ppp: closed({ localIp: ipv4('local address'), remoteIp: ipv4('peer address'), dns: Type.Array(ipv4('DNS server')) }, 'Addresses IPCP negotiates on ppp0.'),
  rttMs: closed({ min: Type.Number({ minimum: 0 }), max: Type.Number({ minimum: 0 }) }, 'Round-trip time range in ms; each reply picks uniformly within it (seeded).'),
  lossRate: rate('Probability 0..1 that an echo request gets no reply.'),
  ttl: int('TTL of replies.', { minimum: 1, maximum: 255 }),
  dnsWorks: Type.Boolean({ description: "DNS servers answer; false makes every name lookup fail (`ping: bad address 'x'`)." }),
  hosts: Type.Record(Type.String(), ipv4('address'), { description: 'Host names the DNS resolves.' }),
})

/** Faults carried out by board-core's board.ts (console link, reboot) or by the board's fs. */
export const FAULT_SETTINGS = closed({
  rebootAfterCommands: Type.Optional(int('Power-cycle the board right after the Nth command line entered at the shell (1-based).', { minimum: 1 })),
  rebootAtMs: Type.Optional(int('Power-cycle the board at this board time (ms since power-on).', { minimum: 0 })),
  unplugAfterBytes: Type.Optional(int('Unplug the USB-serial console after this many bytes have been typed into the board in total.', { minimum: 0 })),
  noisyLine: Type.Optional(
    closed(
      {
        dropRate: rate('Probability a byte is dropped.'),
        garbleRate: rate('Probability a byte is replaced by a random byte.'),
        direction: Type.Union([Type.Literal('both'), Type.Literal('to-board'), Type.Literal('from-board')]),
      },
      'Console line noise: each byte is dropped with `dropRate`, else replaced by a random byte with `garbleRate` (seeded).',
    ),
  ),
})

/** What a technician sees: the commands that show it and what their output shows. */
export const SYMPTOM_EXPECTATION = closed({
  commands: Type.Array(Type.String(), { minItems: 1, description: 'Command lines typed at the shell, in order (they may depend on earlier ones).' }),
  pattern: Type.String({ description: 'Regular expression (JavaScript source) the console output after the first command matches.' }),
  absent: Type.Optional(Type.Boolean({ description: 'The symptom is that `pattern` does NOT appear (e.g. a line that comes back garbled).' })),
  event: Type.Optional(Type.Literal('unplug', { description: 'The symptom is a console event rather than text: the USB-serial link disappears.' })),
  meaning: Type.String({ description: 'One line for the documentation table: what the technician should conclude.' }),
})

const NAME = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' })
const SUMMARY = Type.String({ minLength: 1, maxLength: 200 })

/** One named scenario, fully resolved (defaults from `healthy` merged in). */
export const SCENARIO_SCHEMA = closed({ name: NAME, summary: SUMMARY, state: SCENARIO_STATE, modem: MODEM_SETTINGS, network: NETWORK_SETTINGS, faults: FAULT_SETTINGS, symptom: SYMPTOM_EXPECTATION })

const partial = <T extends TObject>(object: T) => Type.Partial(object, { additionalProperties: false })

/** A scenario data file: name and summary plus only the parts that differ from `healthy` (each section partial, nested objects partial, arrays whole). */
export const SCENARIO_FILE_SCHEMA = closed({
  name: NAME,
  summary: SUMMARY,
  state: Type.Optional(partial(SCENARIO_STATE)),
  modem: Type.Optional(Type.Partial(Type.Composite([Type.Omit(MODEM_SETTINGS, ['csq']), Type.Object({ csq: partial(MODEM_SETTINGS.properties.csq) })]), { additionalProperties: false })),
  network: Type.Optional(
    Type.Partial(
      Type.Composite([
        Type.Omit(NETWORK_SETTINGS, ['lease', 'ppp', 'rttMs']),
        Type.Object({ lease: partial(NETWORK_SETTINGS.properties.lease), ppp: partial(NETWORK_SETTINGS.properties.ppp), rttMs: partial(NETWORK_SETTINGS.properties.rttMs) }),
      ]),
      { additionalProperties: false },
    ),
  ),
  faults: Type.Optional(FAULT_SETTINGS),
  symptom: Type.Optional(partial(SYMPTOM_EXPECTATION)),
})

/** Board build facts; applied to BoardState by `applyScenarioState`. */
export type ScenarioState = Static<typeof SCENARIO_STATE>
/** The EC200A module: SIM, radio, identities, USB mode and reset timing. */
export type ModemSettings = Static<typeof MODEM_SETTINGS>
/** The mobile network seen through usb0 / ppp0. */
export type NetworkSettings = Static<typeof NETWORK_SETTINGS>
/** Faults carried out by board-core's board.ts (console link, reboot) or by the board's fs. */
export type FaultSettings = Static<typeof FAULT_SETTINGS>
/** What a technician sees: the commands that show it and what their output shows. */
export type SymptomExpectation = Static<typeof SYMPTOM_EXPECTATION>
/** One named scenario, fully resolved (defaults from `healthy` merged in). */
export type Scenario = Static<typeof SCENARIO_SCHEMA>
/** A scenario data file: name and summary plus only the parts that differ from `healthy`. */
export type ScenarioFile = Static<typeof SCENARIO_FILE_SCHEMA>

/** Recursive Partial for plain data (arrays are replaced whole). */
export type DeepPartial<T> = T extends unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T
