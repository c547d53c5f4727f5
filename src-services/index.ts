/** The main-side services the Electron IPC adapter and the browser host both expose: one handler per channel. */
import './virtual-boards'
import { join } from 'node:path'
import type { AppInfo, InvokeChannel, InvokeRequest, InvokeResults } from '@shared/ipc'
import { listScenarios } from '@board/scenarios/index'
import { writePdf } from '@engine/report/index'
import { createChecklistDriver } from './checklist'
import { EventHub } from './events'
import { FlashService } from './flash'
import { defaultBurnBus, demoBurnBus, type UsbBus } from '@engine/flash/index'
import { PortsService } from './ports'
import { ProfilesService } from './profiles'
import { KeysService } from './keys'
import { ReportsService, type PdfPrinter } from './reports'
import { IndexHolder } from './index-holder'
import type { ChecklistDriver } from './run'
import { StationSlots, type Slot } from './slots'
import { SettingsService, defaultSettings } from './settings'
import { ServiceError } from './errors'
import { AccessService, TECHNICIAN_SETTINGS } from './access'
import { SupportService } from './support'
import { isInside } from './paths'
import { LineSyncService, type LineSyncTiming } from './line-sync'

export { EventHub } from './events'
export { ServiceError, toWireError } from './errors'

/** Where the services keep their files and how virtual boards run. */
export interface ServicesOptions {
  /** Folder for settings, profiles, console journals and the station key (`keys/`). */
  dataDir: string
  /** Station key folder; default `<dataDir>/keys`. */
  keyDir?: string
  /** Default results folder (settings may change it). */
  resultsDir: string
  /** Board time scale for virtual boards (1 = real time; tests pass 0.01). */
  simTimeScale?: number
  /** Pace virtual consoles at the baud rate (default true; the soak turns it off). */
  simLineRate?: boolean
  appVersion: string
  host: AppInfo['host']
  systemLanguages?: () => string[]
  /** PDF printer (Electron: printToPDF; browser host: the report engine's Chromium). */
  printPdf?: PdfPrinter
  /** Native file/folder picker (Electron); absent in the browser host, where paths are typed. */
  pick?: (kind: 'image' | 'folder' | 'profile' | 'bundle') => Promise<string | null>
  /** Shows a file in the OS file manager (Electron's shell.showItemInFolder); absent in the browser host. */
  showItemInFolder?: (path: string) => Promise<boolean>
  /** Opens an http(s) URL in the OS browser. */
  openExternal?: (url: string) => Promise<boolean>
  /** Bus of boards in burning mode (tests); default: K230_FLASH_SIM's virtual bus, the demo's virtual boards while the console is on the virtual board, else real USB. */
  burnBus?: () => Promise<UsbBus>
  /** Replaces the engine's checklist (tests of the services only). */
  checklist?: () => Promise<ChecklistDriver>
  /** Retry timing of the line-server sender (tests shorten it). */
  lineSync?: LineSyncTiming
}

/** Every channel's handler; the caller has already validated the payload against INVOKE_SCHEMAS. */
export type Handlers = { [C in InvokeChannel]: (payload: InvokeRequest<C>) => Promise<InvokeResults[C]> }

/** The running services: handlers, events and a way to stop them. */
export interface Services {
  handlers: Handlers
  events: EventHub
  dispose(): Promise<void>
}

/** Builds the services; no Electron, no window: only files, the engine and the virtual board. */
export function createServices(options: ServicesOptions): Services {
  const events = new EventHub()
  const settings = new SettingsService(join(options.dataDir, 'settings.json'), defaultSettings(options.resultsDir), events)
  let slots: StationSlots | null = null
  const ports = new PortsService(events)
  const profiles = new ProfilesService(join(options.dataDir, 'profiles'))
  const keys = new KeysService(options.keyDir ?? join(options.dataDir, 'keys'), () => settings.get().stationId)
  const printPdf: PdfPrinter = options.printPdf ?? (async (record, lang, outFile) => void (await writePdf(record, outFile, { lang })))
  const indexes = new IndexHolder(options.lineSync?.holdIdleMs)
  const reports = new ReportsService(() => settings.get().resultsDir, printPdf, () => keys.stationKey(), indexes)
  const supportReports = new ReportsService(() => join(settings.get().resultsDir, 'support'), printPdf, () => keys.stationKey(), indexes, false)
  const lineSync = new LineSyncService(options.dataDir, () => settings.get().resultsDir, () => keys.trusted(), events, indexes, options.lineSync, () => slots?.anyActive() ?? false)
  const access = new AccessService(settings, join(options.dataDir, 'audit.jsonl'), events, () => slots?.anyActive() ?? false)
  const reportLang = () => (settings.get().language === 'zh-CN' ? 'zh-CN' : 'en') as 'en' | 'zh-CN'
  const driverFor = (slot: Slot): ChecklistDriver =>
    createChecklistDriver({
      appVersion: options.appVersion,
      runsDir: join(slot.folder(), 'runs'),
      profile: (name) => profiles.resolve(name),
      purpose: () => (access.role() === 'support' ? 'support' : 'production'),
      finished: async (record) => {
        await (record.purpose === 'support' ? supportReports : reports).store(record, reportLang())
        if (record.purpose !== 'support') lineSync.poke()
      },
    })
  const drivers = new WeakMap<Slot, ChecklistDriver>()
  const station = new StationSlots(join(options.dataDir, 'station-layout.json'), {
    events,
    dataDir: options.dataDir,
    sim: { timeScale: options.simTimeScale ?? 1, lineRate: options.simLineRate },
    settings: () => settings.get(),
    ports: () => ports.current(),
    watcher: () => ports.watcherReady(),
    driver: async (slot) => {
      if (options.checklist) return options.checklist()
      let driver = drivers.get(slot)
      if (!driver) drivers.set(slot, (driver = driverFor(slot)))
      return driver
    },
  })
  slots = station
  events.on('ports:changed', () => station.publish())
  const slot = (index?: number) => station.get(index ?? 0)
  const burnBus = () => (!process.env.K230_FLASH_SIM && slot(0).console.current().target?.startsWith('virtual:') ? Promise.resolve(demoBurnBus(options.simTimeScale ?? 1)) : defaultBurnBus())
  const flash = new FlashService(
    events,
    async (result, serial, index) => {
      await station.get(index).run.start(serial, undefined, result)
    },
    options.burnBus ?? burnBus,
    { dir: join(options.dataDir, 'flash') },
  )

  void ports.watch()
  lineSync.start()
  const support = new SupportService({
    production: reports,
    support: supportReports,
    appVersion: options.appVersion,
    notesDir: () => join(settings.get().resultsDir, 'support', 'notes'),
    bundlesDir: () => join(settings.get().resultsDir, 'support', 'bundles'),
    profile: () => profiles.resolve(settings.get().profile),
    idleConsole: () => (slot(0).run.active() || slot(0).at.busy() ? null : slot(0).console.peek()),
  })
  const requireOperator = () => {
    if (!settings.get().operator.trim()) throw ServiceError.keyed('operator-required', 'operatorRequired')
  }

  const handlers: Handlers = {
    'app:info': async () => ({ version: options.appVersion, systemLanguages: options.systemLanguages?.() ?? [], host: options.host }),
    'ports:list': () => ports.list(),
    'sim:scenarios': async () => listScenarios().map((s) => ({ name: s.name, summary: s.summary })),
    'console:open': async ({ slot: index, ...target }) => {
      await slot(index).at.leave()
      return slot(index).console.open(target)
    },
    'console:close': async (p) => {
      await slot(p?.slot).at.leave()
      return slot(p?.slot).console.close()
    },
    'console:write': async ({ data, slot: index }) => {
      const target = slot(index)
      if (target.at.holding()) await target.at.leave()
      return target.console.write(data)
    },
    'console:state': async (p) => slot(p?.slot).console.current(),
    'console:transcript': async (p) => slot(p?.slot).console.text(),
    'run:start': async ({ serial, modes, steps, slot: index }) => {
      requireOperator()
      const target = slot(index)
      const busyElsewhere = station.all().find((s) => s !== target && s.unit === serial && s.run.active())
      if (busyElsewhere) throw ServiceError.keyed('unit-in-other-slot', 'unitInOtherSlot', { serial, slot: busyElsewhere.layout().name })
      await target.at.leave()
      return target.run.start(serial, modes, undefined, steps)
    },
    'run:rerun': ({ steps, slot: index }) => slot(index).run.rerun(steps),
    'run:abort': async (p) => slot(p?.slot).run.abort(),
    'run:snapshot': async (p) => slot(p?.slot).run.snapshot(),
    'at:send': ({ command, slot: index }) => slot(index).at.send(command),
    'at:leave': (p) => slot(p?.slot).at.leave(),
    'reports:list': ({ query, includeSimulated }) => reports.list(query, includeSimulated),
    'reports:html': ({ id, lang }) => reports.html(id, lang),
    'reports:export': ({ id, format, lang }) => reports.export(id, format, lang),
    'reports:yield': ({ includeSimulated }) => reports.yieldSummary(includeSimulated),
    'keys:list': async () => keys.list(),
    'keys:export': async () => keys.exportPublic(),
    'keys:import': async ({ text }) => {
      access.requireEngineer('trustKey')
      const key = keys.importTrusted(text)
      access.log('key.import', { station: key.station, keyId: key.keyId })
      return key
    },
    'keys:remove': async ({ keyId }) => {
      access.requireEngineer('removeKey')
      const view = keys.remove(keyId)
      access.log('key.remove', { keyId })
      return view
    },
    'profiles:list': async () => profiles.list(),
    'profiles:load': async ({ name }) => profiles.load(name),
    'profiles:validate': async ({ text }) => profiles.validate(text),
    'profiles:save': async ({ name, text }) => {
      access.requireEngineer('editProfiles')
      const saved = profiles.save(name, text)
      access.log('profile.save', { name, bytes: text.length })
      return saved
    },
    'profiles:sdkOverlay': async ({ name }) => profiles.sdkOverlay(name, join(settings.get().resultsDir, 'sdk-overlay', name)),
    'settings:get': async () => settings.get(),
    'settings:set': async (patch) => {
      const layout = Object.entries(patch).filter(([k, v]) => v !== undefined && !TECHNICIAN_SETTINGS.has(k))
      if (layout.length) access.requireEngineer('settings', { fields: layout.map(([k]) => k).join(', ') })
      const before = settings.get()
      const after = settings.set(patch)
      const changed = Object.keys(patch).filter((k) => JSON.stringify(before[k as keyof typeof before]) !== JSON.stringify(after[k as keyof typeof after]))
      if (changed.length) access.log('settings.change', Object.fromEntries(changed.map((k) => [k, { from: before[k as keyof typeof before], to: after[k as keyof typeof after] }])))
      return after
    },
    'flash:devices': () => flash.list(),
    'flash:inspect': ({ path }) => flash.inspect(path),
    'flash:sample': () => flash.sample(),
    'flash:upload': (request) => flash.upload(request),
    'flash:start': async (request) => {
      if (request.thenRun) requireOperator()
      return flash.start(request)
    },
    'dialog:pick': async ({ kind }) => (options.pick ? options.pick(kind) : null),
    'shell:showItemInFolder': async ({ path }) => {
      const s = settings.get()
      if (!isInside(path, [s.resultsDir, options.dataDir])) throw ServiceError.keyed('bad-path', 'notShowable', { path })
      return options.showItemInFolder ? options.showItemInFolder(path) : false
    },
    'console:break': (p) => slot(p?.slot).console.sendBreak(),
    'console:log': ({ on, slot: index }) => slot(index).console.log(on ? join(settings.get().resultsDir, 'console-logs') : null),
    'access:state': async () => access.state(),
    'access:unlock': ({ password }) => access.unlock(password),
    'access:setPassword': ({ password, current }) => access.setPassword(password, current),
    'access:role': async ({ role }) => access.useRole(role),
    'access:audit': async () => access.audit(),
    'support:lookup': ({ key }) => support.lookup(key),
    'support:record': ({ id }) => support.record(id),
    'support:notes': async ({ key, text }) => support.notes(key, text),
    'support:bundle': async ({ key, notes, ids }) => {
      const written = await support.bundle(key, notes, ids)
      access.log('support.bundle', { unit: key, file: written.fileName })
      return written
    },
    'reports:openBundle': ({ path }) => support.open(path),
    'station:layout': async () => station.layout(),
    'station:setLayout': async (layout) => {
      access.requireEngineer('stationLayout')
      const before = station.layout()
      const after = await station.setLayout(layout)
      access.log('station.layout', { from: before, to: after })
      return after
    },
    'station:slots': async () => station.views(),
    'shell:openExternal': async ({ url }) => {
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        throw ServiceError.keyed('bad-url', 'notUrl', { url })
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw ServiceError.keyed('bad-url', 'notHttp', { protocol: parsed.protocol })
      if (!options.openExternal) return false
      return options.openExternal(parsed.toString())
    },
    'line:get': async () => lineSync.settings(),
    'line:set': async (patch) => {
      access.requireEngineer('lineServer')
      const { view, changed } = lineSync.configure(patch)
      if (Object.keys(changed).length) access.log('line.change', changed)
      return view
    },
    'line:test': () => lineSync.test(),
    'line:dashboard': async () => ({ url: await lineSync.dashboardUrl() }),
    'outbox:list': () => lineSync.outbox(),
    'outbox:send': () => lineSync.sendNow(),
  }

  return {
    handlers,
    events,
    dispose: async () => {
      ports.stop()
      flash.stop()
      await station.dispose()
      await lineSync.dispose()
      await indexes.dispose()
    },
  }
}
