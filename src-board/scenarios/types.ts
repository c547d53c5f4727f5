/**
 * A scenario is one situation a technician meets at the bench, as data: the board's build facts,
 * the EC200A's SIM/radio/identity settings, the mobile network's behaviour, fault triggers that
 * board-core carries out, and the symptom a technician sees. Files: `src-board/scenarios/<name>.json`;
 * every file except `healthy.json` holds only what differs from `healthy` (deep-merged by `loadScenario`).
 */

/** Board build facts; applied to BoardState by `applyScenarioState`. */
export interface ScenarioState {
  /** Drivers the kernel has, as listed in /sys/bus/usb/drivers (the reference document's list when healthy). */
  drivers: string[]
  /** Drivers removed from `drivers` (lets a scenario file say only what is missing). */
  withoutDrivers: string[]
  /** The option driver has the `{ USB_DEVICE_AND_INTERFACE_INFO(0x2c7c, 0x6005, 0xff, 0, 0) }` entry. */
  optionHasEc200a: boolean
  /** Kernel built with CONFIG_PPP and friends. */
  kernelPpp: boolean
  /** /proc/config.gz present. */
  procConfig: boolean
  /** Buildroot's pppd and chat are on the rootfs. */
  pppdInstalled: boolean
  /** Root filesystem mounted read-only: writes to /etc fail with `Read-only file system` (board-core). */
  readonlyRootfs: boolean
}

/** The EC200A module: SIM, radio, identities, USB mode and reset timing. */
export interface ModemSettings {
  /** A SIM is inserted; without it `AT+CPIN?` answers `+CME ERROR: 10`. */
  simPresent: boolean
  /** `AT+CSQ` answer: rssi 0..31 or 99 (unknown), ber 0..7 or 99. */
  csq: { rssi: number; ber: number }
  /** <stat> of +CREG/+CGREG/+CEREG: 0 not registered, 1 home, 2 searching, 3 denied, 5 roaming. */
  registration: number
  /** Operator long name shown by `AT+COPS?` when registered. */
  operator: string
  /** <AcT> of +COPS: 7 = E-UTRAN (LTE). */
  accessTechnology: number
  imei: string
  iccid: string
  imsi: string
  /** Firmware revision shown by ATI / AT+CGMR. */
  revision: string
  /** Persisted `AT+QCFG="usbnet"` mode at power-on: 1 ECM (cdc_ether), 3 RNDIS (rndis_host). */
  usbnet: number
  /** APNs the network accepts (compared case-insensitively); empty string = network default. Others: `NO CARRIER` on dial. */
  acceptedApns: string[]
  /** Board ms the USB device stays gone after `AT+CFUN=1,1` before re-enumerating. */
  resetOffMs: number
  /** Board ms from re-enumeration to the `RDY` URC. */
  readyAfterEnumMs: number
  /** After `AT+CFUN=1,1` the module never comes back on USB (until the board is power-cycled). */
  stuckAfterReset: boolean
  /** Board ms a data call (`AT+QNETDEVCTL=3,1,1` or `ATD*99#`) takes to come up. */
  dialMs: number
  /** MAC address of the usb0 network function. */
  usbMac: string
}

/** The mobile network seen through usb0 / ppp0. */
export interface NetworkSettings {
  /** DHCP on usb0: `lease` answers after dialling; `no-offer` never answers (udhcpc times out). */
  dhcp: 'lease' | 'no-offer'
  /** Lease handed out on usb0. */
  lease: { ip: string; subnet: string; router: string; dns: string[]; leaseTime: number }
  /** Addresses IPCP negotiates on ppp0. */
  ppp: { localIp: string; remoteIp: string; dns: string[] }
  /** Round-trip time range in ms; each reply picks uniformly within it (seeded). */
  rttMs: { min: number; max: number }
  /** Probability 0..1 that an echo request gets no reply. */
  lossRate: number
  /** TTL of replies. */
  ttl: number
  /** DNS servers answer; false makes every name lookup fail (`ping: bad address 'x'`). */
  dnsWorks: boolean
  /** Host names the DNS resolves. */
  hosts: Record<string, string>
}

/** Faults carried out by board-core's board.ts (console link, reboot) or by the board's fs. */
export interface FaultSettings {
  /** Power-cycle the board right after the Nth command line entered at the shell (1-based). */
  rebootAfterCommands?: number
  /** Power-cycle the board at this board time (ms since power-on). */
  rebootAtMs?: number
  /** Unplug the USB-serial console after this many bytes have been typed into the board in total. */
  unplugAfterBytes?: number
  /** Console line noise: each byte is dropped with `dropRate`, else replaced by a random byte with `garbleRate` (seeded). */
  noisyLine?: {
    dropRate: number
    garbleRate: number
    direction: 'both' | 'to-board' | 'from-board'
  }
}

/** What a technician sees: the commands that show it and what their output shows. */
export interface SymptomExpectation {
  /** Command lines typed at the shell, in order (they may depend on earlier ones). */
  commands: string[]
  /** Regular expression (JavaScript source) the console output after the first command matches. */
  pattern: string
  /** The symptom is that `pattern` does NOT appear (e.g. a line that comes back garbled). */
  absent?: boolean
  /** The symptom is a console event rather than text: the USB-serial link disappears. */
  event?: 'unplug'
  /** One line for the documentation table: what the technician should conclude. */
  meaning: string
}

/** One named scenario, fully resolved (defaults from `healthy` merged in). */
export interface Scenario {
  name: string
  summary: string
  state: ScenarioState
  modem: ModemSettings
  network: NetworkSettings
  faults: FaultSettings
  symptom: SymptomExpectation
}

/** A scenario data file: name and summary plus only the parts that differ from `healthy`. */
export type ScenarioFile = { name: string; summary: string } & DeepPartial<
  Omit<Scenario, 'name' | 'summary'>
>

/** Recursive Partial for plain data (arrays are replaced whole). */
export type DeepPartial<T> = T extends unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T
