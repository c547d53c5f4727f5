/** Slots store: the station layout, the live view of every slot, the slot the detail screens show, and the scanner flow over them. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { defaultStationLayout, type StationLayout } from '@shared/station-layout'
import { clearScan, EMPTY_SCAN, enter, scan, settleScan, type ScanOutcome, type ScanSlot, type ScanState } from '@shared/scan-flow'
import { slotApi, type SlotView } from './slot-api'
import { useNoticesStore } from './notices'
import { useRunStore } from './run'
import { useStationStore } from './station'
import { useSettingsStore } from './settings'
import { useSlotChoiceStore } from './slot-choice'

/** What the scan bar says after the last scan: a catalogue key, its parameters, and whether it is a refusal. */
export interface ScanSaid {
  key: string
  params: Record<string, string | number>
  refused: boolean
}

/** One store for the station's slots; the main side owns consoles and runs, this mirrors them and keeps the scans not started yet. */
export const useSlotsStore = defineStore('slots', () => {
  const layout = ref<StationLayout>(defaultStationLayout('healthy'))
  const views = ref<SlotView[]>([])
  const choice = useSlotChoiceStore()
  const selected = computed(() => choice.selected)
  const scanState = ref<ScanState>(EMPTY_SCAN)
  const said = ref<ScanSaid | null>(null)
  const starting = ref<number[]>([])
  let subscribed = false

  const count = computed(() => layout.value.slots.length)
  const multi = computed(() => count.value > 1)
  const run = () => useRunStore()

  function slotName(index: number): string {
    return layout.value.slots[index]?.name ?? String(index + 1)
  }

  const scanSlots = computed<ScanSlot[]>(() =>
    layout.value.slots.map((s, index) => {
      const view = views.value.find((v) => v.index === index)
      const snapshot = run().snapshots[index]
      return {
        index,
        name: s.name,
        present: view?.present ?? true,
        running: (snapshot?.running ?? view?.run.running ?? false) || starting.value.includes(index),
        unit: snapshot?.record?.unit.serial ?? view?.unit,
      }
    }),
  )
  const waiting = computed(() => settleScan(scanState.value, scanSlots.value).waiting)
  const label = computed(() => settleScan(scanState.value, scanSlots.value).label)

  function applyViews(list: SlotView[]) {
    views.value = list
    const runs = run()
    const station = useStationStore()
    for (const v of list) {
      runs.setSnapshot(v.index, v.run)
      station.setConnection(v.index, v.console)
    }
  }

  async function load() {
    const notices = useNoticesStore()
    if (!subscribed) {
      subscribed = true
      slotApi().onSlots(applyViews)
    }
    try {
      const [l, v] = await Promise.all([slotApi().layout(), slotApi().slots()])
      layout.value = l
      applyViews(v)
      if (choice.selected >= l.slots.length) choice.choose(0, l.slots.length)
    } catch (error) {
      notices.report(error)
    }
  }

  /** Saves the engineer's layout; a locked layout is first saved unlocked as it was, since the main side refuses changed slots on a locked one. */
  async function saveLayout(next: StationLayout): Promise<boolean> {
    try {
      const before = layout.value
      if (before.locked && JSON.stringify(before.slots) !== JSON.stringify(next.slots)) await slotApi().setLayout({ ...before, locked: false })
      layout.value = await slotApi().setLayout(next)
      if (choice.selected >= layout.value.slots.length) choice.choose(0, layout.value.slots.length)
      scanState.value = EMPTY_SCAN
      applyViews(await slotApi().slots())
      return true
    } catch (error) {
      useNoticesStore().report(error)
      return false
    }
  }

  function select(index: number) {
    choice.choose(index, count.value)
  }

  function say(outcome: ScanOutcome) {
    const name = (slot?: number) => (slot === undefined ? '' : slotName(slot))
    if (outcome.kind === 'refused') said.value = { key: `slots.refused.${outcome.code}`, params: { slot: name(outcome.slot), unit: outcome.unit ?? '' }, refused: true }
    else if (outcome.kind === 'label') said.value = { key: 'slots.said.label', params: { slot: name(outcome.slot) }, refused: false }
    else if (outcome.kind === 'assigned')
      said.value = outcome.replaced
        ? { key: 'slots.said.replaced', params: { slot: name(outcome.slot), unit: outcome.unit, replaced: outcome.replaced }, refused: false }
        : { key: 'slots.said.assigned', params: { slot: name(outcome.slot), unit: outcome.unit }, refused: false }
    else said.value = { key: 'slots.said.started', params: { units: outcome.starts.map((s) => `${s.unit} → ${name(s.slot)}`).join(', ') }, refused: false }
  }

  /** A scanned or typed line: a slot label or a unit serial. */
  function scanLine(text: string) {
    const step = scan(scanState.value, scanSlots.value, text)
    scanState.value = step.state
    say(step.outcome)
  }

  /** Opens a slot's console from its layout: its scenario, or the port now at its USB location. */
  async function openConsole(index: number) {
    const station = useStationStore()
    const slot = layout.value.slots[index]
    const view = views.value.find((v) => v.index === index)
    if (slot.port !== undefined) {
      const port = station.ports.find((p) => p.path === slot.port || p.location === slot.port)
      const baud = slot.baud ?? useSettingsStore().settings?.baud ?? 115200
      await station.connect({ kind: 'port', path: port?.path ?? slot.port, baud }, index)
    } else {
      await station.connect({ kind: 'sim', scenario: view?.scenario ?? slot.scenario ?? useSettingsStore().settings?.scenario ?? 'healthy' }, index)
    }
  }

  /** Starts a unit on its slot from the overview: a console never opened is opened from the layout first; one the operator disconnected stays closed and the run is refused with why. */
  async function startOne(slot: number, unit: string) {
    starting.value = [...starting.value, slot]
    try {
      const connection = useStationStore().connections[slot]
      if (!connection?.open && !connection?.closedByOperator) await openConsole(slot)
      await run().startOn(slot, unit)
    } finally {
      starting.value = starting.value.filter((s) => s !== slot)
    }
  }

  /** Enter: starts every waiting unit on its slot, all at once. */
  async function startWaiting() {
    const step = enter(scanState.value, scanSlots.value)
    scanState.value = step.state
    say(step.outcome)
    if (step.outcome.kind !== 'start') return
    await Promise.all(step.outcome.starts.map((s) => startOne(s.slot, s.unit)))
  }

  /** Esc: forgets the label and the units not started. */
  function clear() {
    scanState.value = clearScan(scanState.value)
    said.value = null
  }

  /** Connects a slot's console from its layout (the tile's Connect button). */
  async function connectSlot(index: number) {
    try {
      await openConsole(index)
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  return { layout, views, selected, count, multi, waiting, label, said, starting, scanSlots, slotName, load, saveLayout, select, scanLine, startWaiting, clear, connectSlot }
})
