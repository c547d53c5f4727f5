/** The IPC contract between the renderer and the main-side services: channel names once, payload schemas, result types. */
import type { RunRecord, StepRecord } from './record'
import type { FlashOutcome } from './flash'
import { layoutRefusal, MAX_SLOTS, stationLayoutChecks, type StationLayout } from './station-layout'
import { arr, bool, checkedBy, literal, none, num, obj, optional, str, union, variant, type Infer, type Schema } from './schema'

/** A serial port as the Station screen shows it. */
export interface PortView {
  path: string
  /** Friendly name, e.g. `CH340 USB-serial (1a86:7523)`. */
  label: string
  vendorId?: string
  productId?: string
  manufacturer?: string
  serialNumber?: string
  /** USB location (bus-port path, e.g. `1-1.3` or `Port_#0003.Hub_#0001`) where the OS reports it: what a slot is bound to. */
  location?: string
}

/** A virtual-board scenario. */
export interface ScenarioView {
  name: string
  summary: string
}

/** What the console is connected to, and whether it is. */
export interface ConsoleState {
  open: boolean
  /** `virtual:healthy` or a port path. */
  target?: string
  /** Line rate of a serial port (absent for the virtual board). */
  baud?: number
  /** Why the last connection ended or failed (English, for logs). */
  error?: string
  /** Catalogue key and parameters of `error`, for the reader's language. */
  errorKey?: string
  errorParams?: Record<string, string | number>
  /** True while waiting for an unplugged port to come back, to reopen it by itself. */
  reconnecting?: boolean
  /** File the console is being logged to, when logging is on. */
  logFile?: string
  /** True while closed by the operator's Disconnect (or a failed Connect): nothing opens this console by itself until Connect succeeds. */
  closedByOperator?: boolean
}

/** The run as the Run screen shows it: the record without its transcript, plus progress. */
export interface RunSnapshot {
  running: boolean
  record: Omit<RunRecord, 'transcript'> | null
  /** Step id running now. */
  current?: string
  /** Steps finished (ran or skipped) so far. */
  done: number
  /** Steps that actually ran (last attempt not a skip). */
  ran: number
  total: number
  elapsedMs: number
  /** Station-level problem that stopped the run before or outside a step (English, for logs). */
  error?: string
  /** Catalogue key and parameters of `error`, when the problem named one. */
  errorKey?: string
  errorParams?: Record<string, string | number>
}

/** One AT exchange as the AT console shows it. */
export interface AtExchange {
  command: string
  ok: boolean
  /** Final result code: OK, ERROR, +CME ERROR: 10, timeout... */
  final: string
  lines: string[]
  /** Typed reading when the command has a helper (CSQ dBm, operator...). */
  parsed?: Record<string, unknown>
  /** Human meaning of an error code. */
  meaning?: string
  durationMs: number
}

/** One slot of the station as the overview shows it: its console, its run and the unit in it. */
export interface SlotView {
  index: number
  name: string
  /** The slot's USB location or port as the layout names it (absent for a virtual slot). */
  port?: string
  /** Virtual-board scenario of a slot without a port. */
  scenario?: string
  console: ConsoleState
  run: RunSnapshot
  /** Serial of the unit in the slot (running, or the last one run there). */
  unit?: string
  /** A board is there now: the slot's port is plugged in (always true for a virtual slot). */
  present: boolean
}

/** A record in the results folder. */
export interface ReportEntry {
  id: string
  serial: string
  verdict: string
  startedAt: string
  imei?: string
  iccid?: string
  /** Made on the virtual board. */
  simulated?: boolean
  /** `support` for a diagnostic run of a returned unit (kept apart from production records and yield). */
  purpose?: 'production' | 'support'
}

/** Pass rate per step and top failure causes over the records in the results folder. */
export interface YieldView {
  total: number
  passed: number
  /** Per step over the units in range: passed, ran (passed, failed, error or aborted) and skipped (not run on a unit). */
  steps: { id: string; passed: number; ran: number; skipped: number }[]
  /** Simulated runs were counted in. */
  includesSimulated: boolean
  causes: { code: string; count: number }[]
}

/** An exported report handed back to the renderer for download. */
export interface ExportedReport {
  fileName: string
  mime: string
  /** base64 of the file bytes. */
  base64: string
  /** Where the file was written on the station. */
  path: string
}

/** The SDK overlay written for image builders from a profile: its folder and files. */
export interface SdkOverlayView {
  dir: string
  files: string[]
}

/** A profile file and its validation. */
export interface ProfileView {
  name: string
  text: string
  errors: ProfileProblem[]
}

/** Why a profile text is refused: the English message, and the catalogue key and parameters people read it through. */
export interface ProfileProblem {
  message: string
  key?: string
  params?: Record<string, string | number>
}

/** Station settings, persisted by the main side. */
export interface Settings {
  language: 'system' | 'en' | 'zh-CN'
  theme: 'system' | 'light' | 'dark'
  operator: string
  stationId: string
  resultsDir: string
  baud: number
  scenario: string
  profile: string
  modes: ('ecm' | 'rndis' | 'ppp')[]
  /** Station setting: the CLI also refuses a run without `--operator` (off by default). */
  requireOperatorCli: boolean
}

/** Who is at the station: technicians run units, engineers edit, support diagnoses returned units. */
export type Role = 'technician' | 'engineer' | 'support'

/** The role in force and whether an engineer password exists yet. */
export interface AccessView {
  role: Role
  passwordSet: boolean
}

/** One line of the audit log: who changed what, when. */
export interface AuditEntry {
  at: string
  role: Role
  operator: string
  /** Stable action code, e.g. `profile.save`, `settings.change`, `role.engineer`. */
  action: string
  /** What changed (names and values, never a password). */
  detail: Record<string, unknown>
}

/** A support bundle opened in Reports: where it came from and the runs it carries. */
export interface BundleView {
  fileName: string
  appVersion: string
  createdAt: string
  unit: string
  notes: string
  entries: ReportEntry[]
}

/** A support bundle written for a ticket. */
export interface BundleWritten {
  path: string
  fileName: string
  files: string[]
}

/** A K230 in burning mode. */
export interface FlashDeviceView {
  id: string
  label: string
  state: 'idle' | 'flashing' | 'done' | 'failed'
  /** Which program answers: the BootROM, the loader, or unknown (busy, no permission). */
  stage?: 'brom' | 'loader' | 'unknown'
  /** True for a virtual board in burning mode (demo with the virtual board chosen). */
  virtual?: boolean
}

/** The parts of an image as the Flash screen lists them. */
export interface ImageView {
  path: string
  format: string
  size: number
  parts: { name: string; offset: number; size: number }[]
}

/** Progress of one board being flashed. */
export interface FlashProgress {
  deviceId: string
  phase: 'loader' | 'write' | 'verify' | 'done' | 'failed'
  bytes: number
  total: number
  bytesPerSecond: number
  etaMs: number
  /** How the flash ended (phases `done` and `failed`). */
  outcome?: FlashOutcome
  /** Engine text (English) of a failure or of a hand-over that could not start. */
  message?: string
  /** Catalogue key and parameters of `message`, which people read in their language. */
  key?: string
  params?: Record<string, string | number>
}

/** What the app knows about itself and the host. */
export interface AppInfo {
  version: string
  /** Languages the OS prefers, most preferred first. */
  systemLanguages: string[]
  host: 'electron' | 'browser'
}

const modeSchema = literal('ecm', 'rndis', 'ppp')
const slotIndex = optional(num({ integer: true, min: 0, max: MAX_SLOTS - 1 }))
const target = variant('kind', {
  port: obj({ kind: literal('port'), path: str({ max: 256, min: 1 }), baud: num({ integer: true, min: 300, max: 4_000_000 }), slot: slotIndex }),
  sim: obj({ kind: literal('sim'), scenario: str({ max: 64, pattern: /^[a-z0-9-]+$/ }), slot: slotIndex }),
})
const inSlot = union(none(), obj({ slot: slotIndex }))
const slotLayout = obj({
  name: str({ min: 1, max: 32 }),
  port: optional(str({ min: 1, max: 256 })),
  baud: optional(num({ integer: true, min: 300, max: 4_000_000 })),
  scenario: optional(str({ min: 1, max: 64 })),
})
const stationLayout = checkedBy(obj({ version: literal(1), locked: bool(), slots: arr(slotLayout, { max: MAX_SLOTS }) }), stationLayoutChecks, (found) => layoutRefusal(found.map((p) => p.message)))
const reportId = str({ max: 200, pattern: /^[A-Za-z0-9._-]+$/ })
const unitKey = str({ min: 1, max: 64, pattern: /^[\x21-\x7e]+$/ })
const profileName = str({ max: 80, pattern: /^[A-Za-z0-9._-]+$/ })
const settingsPatch = obj({
  language: optional(literal('system', 'en', 'zh-CN')),
  theme: optional(literal('system', 'light', 'dark')),
  operator: optional(str({ max: 64 })),
  stationId: optional(str({ max: 64 })),
  resultsDir: optional(str({ max: 1024 })),
  baud: optional(num({ integer: true, min: 300, max: 4_000_000 })),
  scenario: optional(str({ max: 64 })),
  profile: optional(str({ max: 80 })),
  modes: optional(arr(modeSchema, { max: 3 })),
  requireOperatorCli: optional(bool()),
})

/** A record-signing key as the UI shows it. */
export interface StationKeyView {
  station: string
  /** First 16 hex digits of the SHA-256 of the public key. */
  keyId: string
}

/** This station's key, the keys it trusts, and the folder they live in. */
export interface StationKeysView {
  own: StationKeyView
  trusted: StationKeyView[]
  folder: string
}

/** Where the line server is, as the Settings screen shows it; the password never crosses IPC, only whether one is stored. */
export interface LineServerView {
  configured: boolean
  host: string
  port: number
  database: string
  user: string
  passwordSet: boolean
}

/** The result of "Test connection": reached or not, with the server's own words (password masked). */
export interface LineTestView {
  ok: boolean
  /** Server version when reached. */
  server?: string
  /** Driver or server error code (ECONNREFUSED, 28P01...). */
  code?: string
  detail?: string
}

/** Why a record waits in the outbox: no line server set, not tried yet, server unreachable, refused (and the refusal code). */
export type OutboxReason = 'not-configured' | 'pending' | 'unreachable' | 'refused'

/** One record in the station's outbox as the UI lists it. */
export interface OutboxEntryView {
  runId: string
  serial?: string
  state: 'waiting' | 'refused'
  reason: OutboxReason
  /** Refusal code (bad-signature, unknown-key, digest-mismatch, unsigned, schema, station-mismatch...) or connection error code. */
  code?: string
  /** The engine's words for the last failure (password masked). */
  detail?: string
  attempts: number
  queuedAt: string
  nextTryAt: string
}

/** What waits in the outbox and how the last pass went. */
export interface OutboxView {
  configured: boolean
  sending: boolean
  items: OutboxEntryView[]
  /** Records delivered (or already on the server) since the app started. */
  delivered: number
  lastPassAt?: string
  /** A pass itself failed (results folder locked or unreadable). */
  error?: string
}

/** Request schemas of every renderer→main call; the key is the channel name. */
export const INVOKE_SCHEMAS = {
  'app:info': none(),
  'ports:list': none(),
  'sim:scenarios': none(),
  'console:open': target,
  'console:close': inSlot,
  'console:write': obj({ data: str({ max: 65536 }), slot: slotIndex }),
  'console:state': inSlot,
  'console:transcript': inSlot,
  'run:start': obj({ serial: str({ min: 1, max: 64, pattern: /^[\x21-\x7e]+$/ }), modes: optional(arr(modeSchema, { max: 3 })), steps: optional(arr(str({ max: 64 }), { max: 32 })), slot: slotIndex }),
  'run:rerun': obj({ steps: union(literal('failed'), arr(str({ max: 64 }), { max: 32 })), slot: slotIndex }),
  'run:abort': inSlot,
  'run:snapshot': inSlot,
  'at:send': obj({ command: str({ min: 1, max: 512, pattern: /^[^\r\n]+$/ }), slot: slotIndex }),
  'at:leave': inSlot,
  'reports:list': obj({ query: optional(str({ max: 64 })), includeSimulated: optional(bool()) }),
  'reports:html': obj({ id: reportId, lang: literal('en', 'zh-CN') }),
  'reports:export': obj({ id: reportId, format: literal('html', 'json', 'junit', 'pdf'), lang: literal('en', 'zh-CN') }),
  'reports:yield': obj({ includeSimulated: optional(bool()) }),
  'keys:list': none(),
  'keys:export': none(),
  'keys:import': obj({ text: str({ min: 1, max: 8192 }) }),
  'keys:remove': obj({ keyId: str({ min: 16, max: 16, pattern: /^[0-9a-f]{16}$/ }) }),
  'profiles:list': none(),
  'profiles:load': obj({ name: profileName }),
  'profiles:validate': obj({ text: str({ max: 65536 }) }),
  'profiles:save': obj({ name: profileName, text: str({ max: 65536 }) }),
  'profiles:sdkOverlay': obj({ name: profileName }),
  'settings:get': none(),
  'settings:set': settingsPatch,
  'flash:devices': none(),
  'flash:inspect': obj({ path: str({ min: 1, max: 1024 }) }),
  'flash:sample': none(),
  'flash:upload': obj({ name: str({ min: 1, max: 255, pattern: /^[^/\\\0]+$/ }), offset: num({ min: 0, max: 8 * 1024 ** 3, integer: true }), data: str({ max: 900_000 }), last: bool() }),
  'flash:start': obj({
    image: str({ min: 1, max: 1024 }),
    medium: literal('emmc', 'sd', 'spi-nand', 'spi-nor'),
    devices: arr(str({ max: 128 }), { max: 16 }),
    thenRun: optional(bool()),
    serial: optional(str({ max: 64, pattern: /^[\x21-\x7e]*$/ })),
    slots: optional(arr(num({ integer: true, min: 0, max: MAX_SLOTS - 1 }), { max: 16 })),
  }),
  'shell:openExternal': obj({ url: str({ max: 2048 }) }),
  'dialog:pick': obj({ kind: literal('image', 'folder', 'profile', 'bundle') }),
  'shell:showItemInFolder': obj({ path: str({ min: 1, max: 1024 }) }),
  'console:break': inSlot,
  'console:log': obj({ on: bool(), slot: slotIndex }),
  'access:state': none(),
  'access:unlock': obj({ password: str({ min: 1, max: 256 }) }),
  'access:setPassword': obj({ current: optional(str({ max: 256 })), password: str({ min: 8, max: 256 }) }),
  'access:role': obj({ role: literal('technician', 'support') }),
  'access:audit': none(),
  'support:lookup': obj({ key: unitKey }),
  'support:record': obj({ id: reportId }),
  'support:notes': obj({ key: unitKey, text: optional(str({ max: 20_000 })) }),
  'support:bundle': obj({ key: unitKey, notes: str({ max: 20_000 }), ids: arr(reportId, { max: 64 }) }),
  'reports:openBundle': obj({ path: str({ min: 1, max: 1024 }) }),
  'station:layout': none(),
  'station:setLayout': stationLayout,
  'station:slots': none(),
  'line:get': none(),
  'line:set': obj({
    url: optional(str({ max: 2048 })),
    host: optional(str({ max: 255, pattern: /^[A-Za-z0-9._:[\]-]*$/ })),
    port: optional(num({ integer: true, min: 1, max: 65535 })),
    database: optional(str({ max: 63 })),
    user: optional(str({ max: 63 })),
    password: optional(str({ max: 256 })),
    clearPassword: optional(bool()),
  }),
  'line:test': none(),
  'line:dashboard': none(),
  'outbox:list': none(),
  'outbox:send': none(),
} satisfies Record<string, Schema<unknown>>

/** Result type of every renderer→main call. */
export interface InvokeResults {
  'app:info': AppInfo
  'ports:list': PortView[]
  'sim:scenarios': ScenarioView[]
  'console:open': ConsoleState
  'console:close': ConsoleState
  'console:write': void
  'console:state': ConsoleState
  'console:transcript': string
  'run:start': RunSnapshot
  'run:rerun': RunSnapshot
  'run:abort': RunSnapshot
  'run:snapshot': RunSnapshot
  'at:send': AtExchange
  /** Leaves the AT console (microcom exits): the console line is the shell's again. */
  'at:leave': void
  'reports:list': ReportEntry[]
  'reports:html': string
  'reports:export': ExportedReport
  'reports:yield': YieldView
  'keys:list': StationKeysView
  /** The station's public key as a text file to import on another PC. */
  'keys:export': string
  'keys:import': StationKeyView
  'keys:remove': StationKeysView
  'profiles:list': string[]
  'profiles:load': ProfileView
  'profiles:validate': ProfileProblem[]
  'profiles:save': ProfileView
  'profiles:sdkOverlay': SdkOverlayView
  'settings:get': Settings
  'settings:set': Settings
  'flash:devices': FlashDeviceView[]
  'flash:inspect': ImageView
  /** Path of the demo .kdimg written by the app's own image writer. */
  'flash:sample': string
  /** Path of the uploaded image once `last` was sent, else null. */
  'flash:upload': string | null
  'flash:start': { started: string[] }
  'shell:openExternal': boolean
  /** The chosen path, or null when cancelled or when the host has no dialogs (browser host). */
  'dialog:pick': string | null
  /** True when the OS file manager was asked to show it (Electron); false where the host cannot (browser host). */
  'shell:showItemInFolder': boolean
  'console:break': void
  'console:log': ConsoleState
  'access:state': AccessView
  'access:unlock': AccessView
  'access:setPassword': AccessView
  'access:role': AccessView
  'access:audit': AuditEntry[]
  /** Every run of the unit: production runs oldest first (the factory run), then support runs. */
  'support:lookup': ReportEntry[]
  'support:record': Omit<RunRecord, 'transcript'>
  /** The ticket notes kept for this unit. */
  'support:notes': string
  'support:bundle': BundleWritten
  'reports:openBundle': BundleView
  'station:layout': StationLayout
  'station:setLayout': StationLayout
  'station:slots': SlotView[]
  'line:get': LineServerView
  'line:set': LineServerView
  'line:test': LineTestView
  /** Address of the line dashboard the app serves on loopback. */
  'line:dashboard': { url: string }
  'outbox:list': OutboxView
  'outbox:send': OutboxView
}

/** Every renderer→main channel. */
export type InvokeChannel = keyof typeof INVOKE_SCHEMAS
/** The payload type of a channel. */
export type InvokeRequest<C extends InvokeChannel> = Infer<(typeof INVOKE_SCHEMAS)[C]>
/** Channel names as a runtime list (the preload and the main side check against it). */
export const INVOKE_CHANNELS = Object.keys(INVOKE_SCHEMAS) as InvokeChannel[]

/** Payload type of every main→renderer event. */
export interface EventPayloads {
  'ports:changed': PortView[]
  'console:data': { slot: number; data: string }
  'console:state': ConsoleState & { slot: number }
  'run:update': RunSnapshot & { slot: number }
  'station:slots': SlotView[]
  'flash:devices': FlashDeviceView[]
  'flash:progress': FlashProgress
  'settings:changed': Settings
  'access:changed': AccessView
  'outbox:changed': OutboxView
}
/** Every main→renderer event channel. */
export type EventChannel = keyof EventPayloads
/** Event channel names as a runtime list. */
export const EVENT_CHANNELS: EventChannel[] = ['ports:changed', 'console:data', 'console:state', 'run:update', 'flash:devices', 'flash:progress', 'settings:changed', 'access:changed', 'station:slots', 'outbox:changed']

/** True when `c` names a renderer→main channel (checked at runtime; types are gone in bundles). */
export function isInvokeChannel(c: unknown): c is InvokeChannel {
  return typeof c === 'string' && Object.prototype.hasOwnProperty.call(INVOKE_SCHEMAS, c)
}

/** True when `c` names a main→renderer event channel. */
export function isEventChannel(c: unknown): c is EventChannel {
  return typeof c === 'string' && (EVENT_CHANNELS as string[]).includes(c)
}

/** An error as it crosses IPC: a code the UI can map to text and the message. */
export interface WireError {
  code: string
  message: string
  /** Catalogue key and parameters of the message, when the engine named one (flash and profile errors). */
  key?: string
  params?: Record<string, string | number>
}

/** Reply envelope for every invoke, so errors keep their code across IPC. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: WireError }

export type { StepRecord }
