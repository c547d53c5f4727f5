/** The station's scanner flow, pure: a scanned unit serial goes to the next free slot (or to the slot whose label was scanned first), Enter starts the waiting units. */

/** What the flow needs to know of a slot right now (from the main side's slot views). */
export interface ScanSlot {
  index: number
  name: string
  /** A board or port is there now (always true for a virtual slot). */
  present: boolean
  /** A run is in progress (or being launched) on the slot. */
  running: boolean
  /** Serial of the unit running or last run on the slot. */
  unit?: string
}

/** The flow's own memory between scans: the slot picked by its label, the units scanned but not started, the slot last given a unit. */
export interface ScanState {
  /** Slot index chosen by scanning its label; the next unit goes there. */
  label?: number
  /** Units scanned into a slot and not started yet, by slot index. */
  waiting: Record<number, string>
  /** Slot index that got the last unit (the search for a free slot starts after it). */
  last?: number
}

/** Why a scan or Enter did nothing; the UI names it through the catalogue (`slots.refused.<code>`). */
export type ScanRefusal = 'bad-serial' | 'no-free-slot' | 'slot-busy' | 'slot-absent' | 'unit-in-slot' | 'nothing-waiting'

/** What happened, for the UI to say and do. */
export type ScanOutcome =
  | { kind: 'label'; slot: number }
  | { kind: 'assigned'; slot: number; unit: string; replaced?: string }
  | { kind: 'start'; starts: { slot: number; unit: string }[] }
  | { kind: 'refused'; code: ScanRefusal; slot?: number; unit?: string }

/** The flow's answer: the next state and what happened. */
export interface ScanStep {
  state: ScanState
  outcome: ScanOutcome
}

/** The flow before the first scan. */
export const EMPTY_SCAN: ScanState = { waiting: {} }

const SERIAL = /^[\x21-\x7e]{1,64}$/

/** Whether a slot can take a new unit now: there, not running (a finished result is replaced by the next unit). */
export function slotTakesUnit(slot: ScanSlot): boolean {
  return slot.present && !slot.running
}

/** The slot whose name the scanned text is (exact, or ignoring letter case when that is unambiguous), if any. */
export function slotByLabel(slots: readonly ScanSlot[], text: string): ScanSlot | undefined {
  const exact = slots.find((s) => s.name === text)
  if (exact) return exact
  const folded = slots.filter((s) => s.name.toLowerCase() === text.toLowerCase())
  return folded.length === 1 ? folded[0] : undefined
}

/** The next slot to give a unit to: the first that takes one and has none waiting, searching in slot order after the slot that got the last unit. */
export function nextFreeSlot(slots: readonly ScanSlot[], state: ScanState): ScanSlot | undefined {
  const ordered = [...slots].sort((a, b) => a.index - b.index)
  const after = state.last === undefined ? -1 : ordered.findIndex((s) => s.index === state.last)
  const rotated = [...ordered.slice(after + 1), ...ordered.slice(0, after + 1)]
  return rotated.find((s) => slotTakesUnit(s) && state.waiting[s.index] === undefined)
}

function withoutWaiting(waiting: Record<number, string>, slots: readonly ScanSlot[]): Record<number, string> {
  const kept: Record<number, string> = {}
  for (const s of slots) {
    const unit = waiting[s.index]
    if (unit !== undefined && slotTakesUnit(s)) kept[s.index] = unit
  }
  return kept
}

/** Units waiting on slots that still take them (a slot that started running or went away drops its waiting unit). */
export function settleScan(state: ScanState, slots: readonly ScanSlot[]): ScanState {
  const waiting = withoutWaiting(state.waiting, slots)
  const label = state.label !== undefined && slots.some((s) => s.index === state.label && slotTakesUnit(s)) ? state.label : undefined
  return { ...state, waiting, label }
}

/** One scan (or typed line): a slot label picks the slot for the next unit, anything else is a unit serial. */
export function scan(before: ScanState, slots: readonly ScanSlot[], raw: string): ScanStep {
  const state = settleScan(before, slots)
  const text = raw.trim()
  const refuse = (code: ScanRefusal, extra: { slot?: number; unit?: string } = {}): ScanStep => ({ state, outcome: { kind: 'refused', code, ...extra } })
  const labelled = slotByLabel(slots, text)
  if (labelled) {
    if (!labelled.present) return refuse('slot-absent', { slot: labelled.index })
    if (labelled.running) return refuse('slot-busy', { slot: labelled.index })
    return { state: { ...state, label: labelled.index }, outcome: { kind: 'label', slot: labelled.index } }
  }
  if (!SERIAL.test(text)) return refuse('bad-serial')
  const runningOn = slots.find((s) => s.running && s.unit === text)
  if (runningOn) return refuse('unit-in-slot', { slot: runningOn.index, unit: text })
  const waitingOn = Object.keys(state.waiting).map(Number).find((i) => state.waiting[i] === text)
  if (waitingOn !== undefined && state.label === undefined) return refuse('unit-in-slot', { slot: waitingOn, unit: text })
  const target = state.label !== undefined ? slots.find((s) => s.index === state.label) : nextFreeSlot(slots, state)
  if (!target) return refuse('no-free-slot', { unit: text })
  const waiting = { ...state.waiting }
  if (waitingOn !== undefined) delete waiting[waitingOn]
  const replaced = waiting[target.index]
  waiting[target.index] = text
  return { state: { waiting, last: target.index }, outcome: { kind: 'assigned', slot: target.index, unit: text, ...(replaced !== undefined && replaced !== text ? { replaced } : {}) } }
}

/** Enter: every waiting unit starts on its slot, in slot order; the waiting list empties. */
export function enter(before: ScanState, slots: readonly ScanSlot[]): ScanStep {
  const state = settleScan(before, slots)
  const starts = Object.entries(state.waiting)
    .map(([slot, unit]) => ({ slot: Number(slot), unit }))
    .sort((a, b) => a.slot - b.slot)
  if (!starts.length) return { state, outcome: { kind: 'refused', code: 'nothing-waiting' } }
  return { state: { ...state, waiting: {}, label: undefined }, outcome: { kind: 'start', starts } }
}

/** Escape: forgets the picked label and the units not started yet. */
export function clearScan(state: ScanState): ScanState {
  return { waiting: {}, last: state.last }
}
