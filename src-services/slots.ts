/** The station's slots: one console, run, AT channel, journal and run folder per slot, the saved layout and the overview. */
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { PortWatcher } from '@engine/link/index'
import { writeFileAtomic } from '@engine/record/index'
import type { PortView, Settings, SlotView } from '@shared/ipc'
import { defaultStationLayout, layoutProblemMessage, layoutRefusal, parseStationLayout, type SlotLayout, type StationLayout } from '@shared/station-layout'
import { AtService } from './at'
import { ConsoleService, type Connection, type SimOptions } from './console'
import { EventHub, type SlotEventPayloads } from './events'
import { RunService, type ChecklistDriver } from './run'
import { ServiceError } from './errors'

/** What every slot needs from the station. */
export interface SlotDeps {
  events: EventHub
  dataDir: string
  sim: SimOptions
  settings: () => Settings
  /** The ports present now (the hot-plug watcher's listing). */
  ports: () => PortView[]
  watcher: () => Promise<PortWatcher | null>
  /** A checklist driver of the slot's own (its run folder, its open bring-up for reruns). */
  driver: (slot: Slot) => Promise<ChecklistDriver>
}

/** The port a slot's layout names, as listed now: by device path, by USB location, or through a link such as /dev/serial/by-path/… (followed to the device). */
export function findSlotPort(port: string, ports: PortView[]): PortView | undefined {
  const direct = ports.find((p) => p.path === port || (p.location !== undefined && p.location === port))
  if (direct) return direct
  if (!port.startsWith('/')) return undefined
  try {
    const real = realpathSync(port)
    return ports.find((p) => p.path === real) ?? (existsSync(real) ? { path: real, label: port } : undefined)
  } catch {
    return undefined
  }
}

/** One slot: its own console, run and AT channel over folders no other slot writes. */
export class Slot {
  readonly local = new EventHub<SlotEventPayloads>()
  readonly console: ConsoleService
  readonly run: RunService
  readonly at: AtService
  /** Serial of the unit in the slot (running or last run). */
  unit: string | undefined

  constructor(
    readonly index: number,
    /** The slot's layout now (slot 0 of the default station follows the Settings scenario). */
    readonly layout: () => SlotLayout,
    private readonly deps: SlotDeps,
  ) {
    const dir = this.folder()
    this.console = new ConsoleService(this.local, join(dir, 'journal'), deps.sim, () => this.run.active(), () => this.at.busy(), deps.watcher)
    this.at = new AtService(() => this.console.requireConnection(), () => this.run.active())
    this.run = new RunService(this.local, () => deps.driver(this), () => this.connection(), deps.settings)
  }

  /** Slot 0 keeps the station's folders of a one-slot station; slot i keeps `slots/<i+1>/`. */
  folder(): string {
    return this.index === 0 ? this.deps.dataDir : join(this.deps.dataDir, 'slots', String(this.index + 1))
  }

  /** The board in the slot is there now: its port is listed (always true for a virtual slot). */
  present(): boolean {
    const port = this.layout().port
    return port === undefined || findSlotPort(port, this.deps.ports()) !== undefined
  }

  /** The slot's open console, or the one its layout names, opened now; refused after the operator's Disconnect. */
  async connection(): Promise<Connection> {
    const open = this.console.peek()
    if (open) return open
    if (this.console.wasClosedByOperator())
      throw ServiceError.keyed('disconnected', 'consoleDisconnected')
    const layout = this.layout()
    if (layout.port) {
      const found = findSlotPort(layout.port, this.deps.ports())
      if (!found) throw ServiceError.keyed('slot-empty', 'slotEmpty', { slot: layout.name, port: layout.port })
      await this.console.open({ kind: 'port', path: found.path, baud: layout.baud ?? this.deps.settings().baud })
    } else {
      await this.console.open({ kind: 'sim', scenario: layout.scenario ?? this.deps.settings().scenario })
    }
    return this.console.requireConnection()
  }

  /** The slot as the overview shows it. */
  view(): SlotView {
    const layout = this.layout()
    const run = this.run.snapshot()
    const view: SlotView = { index: this.index, name: layout.name, console: this.console.current(), run, present: this.present() }
    if (layout.port !== undefined) view.port = layout.port
    else view.scenario = layout.scenario ?? this.deps.settings().scenario
    const unit = run.record?.unit.serial ?? this.unit
    if (unit) view.unit = unit
    return view
  }

  /** Stops the slot: aborts its run and closes its console. */
  async close(): Promise<void> {
    this.run.abort()
    await this.at.leave().catch(() => undefined)
    await this.console.release().catch(() => undefined)
  }
}

/** The station's slots and their saved layout; trusts layouts only after `parseStationLayout`. */
export class StationSlots {
  private slots: Slot[] = []
  private saved: StationLayout | null
  private lastKeys: string[] = []

  constructor(
    private readonly file: string,
    private readonly deps: SlotDeps,
  ) {
    this.saved = readLayout(file)
    this.build(this.layout())
  }

  /** The saved layout, or the default one-slot station on the Settings scenario. */
  layout(): StationLayout {
    return this.saved ?? defaultStationLayout(this.deps.settings().scenario)
  }

  /** Saves a new layout (the caller checked the role); refused while any slot runs. */
  async setLayout(value: unknown): Promise<StationLayout> {
    const parsed = parseStationLayout(value)
    if (!parsed.ok) {
      const refusal = layoutRefusal(parsed.problems.map(layoutProblemMessage))
      throw ServiceError.catalogued('bad-layout', refusal.key, refusal.params)
    }
    const before = this.layout()
    if (before.locked && JSON.stringify(parsed.layout.slots) !== JSON.stringify(before.slots))
      throw ServiceError.keyed('layout-locked', 'layoutLocked')
    if (this.slots.some((s) => s.run.active())) throw ServiceError.keyed('busy', 'layoutBusy')
    mkdirSync(dirname(this.file), { recursive: true })
    writeFileAtomic(this.file, `${JSON.stringify(parsed.layout, null, 2)}\n`)
    this.saved = parsed.layout
    const changed = this.slots.filter((s) => {
      const now = parsed.layout.slots[s.index]
      const was = before.slots[s.index]
      return !now || !was || now.port !== was.port || now.scenario !== was.scenario || now.baud !== was.baud
    })
    await Promise.all(changed.map((s) => s.close()))
    this.build(parsed.layout)
    this.publish(true)
    return parsed.layout
  }

  /** The slot at `index` (default 0); an index beyond the layout is refused. */
  get(index = 0): Slot {
    const slot = this.slots[index]
    if (!slot) throw ServiceError.keyed('no-slot', 'noSlot', { slot: index + 1, count: this.slots.length })
    return slot
  }

  /** Every slot in order. */
  all(): Slot[] {
    return [...this.slots]
  }

  /** True while any slot runs a unit. */
  anyActive(): boolean {
    return this.slots.some((s) => s.run.active())
  }

  /** The overview: one view per slot. */
  views(): SlotView[] {
    return this.slots.map((s) => s.view())
  }

  /** Sends `station:slots` when what a tile shows changed (or always with `force`). */
  publish(force = false): void {
    const views = this.views()
    const keys = views.map(tileKey)
    if (!force && keys.length === this.lastKeys.length && keys.every((k, i) => k === this.lastKeys[i])) return
    this.lastKeys = keys
    this.deps.events.emit('station:slots', views)
  }

  /** Closes every slot's run and console. */
  async dispose(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.close()))
  }

  private build(layout: StationLayout): void {
    const kept = this.slots.slice(0, layout.slots.length)
    for (const dropped of this.slots.slice(layout.slots.length)) void dropped.close()
    for (let i = kept.length; i < layout.slots.length; i++) kept.push(this.create(i))
    this.slots = kept
  }

  private create(index: number): Slot {
    const slot = new Slot(index, () => this.layout().slots[index] ?? { name: String(index + 1) }, this.deps)
    const { events } = this.deps
    slot.local.on('console:data', (data) => events.emit('console:data', { slot: index, data }))
    slot.local.on('console:state', (state) => {
      events.emit('console:state', { ...state, slot: index })
      this.publish()
    })
    slot.local.on('run:update', (snapshot) => {
      if (snapshot.record) slot.unit = snapshot.record.unit.serial
      events.emit('run:update', { ...snapshot, slot: index })
      this.publish()
    })
    return slot
  }
}

function tileKey(v: SlotView): string {
  const r = v.run
  return JSON.stringify([v.name, v.port, v.scenario, v.present, v.unit, v.console.open, v.console.target, v.console.error, v.console.reconnecting, r.running, r.current, r.done, r.ran, r.total, r.error, r.record?.id, r.record?.verdict])
}

/** The saved layout; a damaged file is moved aside (kept, never overwritten) and the default station used. */
function readLayout(file: string): StationLayout | null {
  if (!existsSync(file)) return null
  let parsed: ReturnType<typeof parseStationLayout> | null
  try {
    parsed = parseStationLayout(JSON.parse(readFileSync(file, 'utf8')))
  } catch {
    parsed = null
  }
  if (parsed?.ok) return parsed.layout
  try {
    renameSync(file, `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  } catch {
    /* left in place: the default station is used */
  }
  return null
}
