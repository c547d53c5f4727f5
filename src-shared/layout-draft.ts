/** The engineer's station-layout draft, pure: what is wrong with it as catalogue codes (`slots.layout.problem.<code>`), and the layout it saves as. */
import { MAX_SLOTS, type SlotLayout, type StationLayout } from './station-layout'

/** One line of the editor: a slot as the engineer fills it in. */
export interface SlotDraft {
  name: string
  source: 'port' | 'sim'
  port: string
  /** 0 means the station's default rate. */
  baud: number
  scenario: string
}

/** A problem of the draft: a catalogue code and its parameters (slot numbers count from 1). */
export interface DraftProblem {
  code: 'name-empty' | 'name-long' | 'name-chars' | 'name-twice' | 'port-missing' | 'port-twice' | 'scenario-missing' | 'too-many'
  params: Record<string, string | number>
}

const PRINTABLE = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u

/** The editor lines of a saved layout (a slot without a port is a virtual one). */
export function draftOf(layout: StationLayout, defaultScenario: string): SlotDraft[] {
  return layout.slots.map((s) => ({ name: s.name, source: s.port !== undefined ? 'port' : 'sim', port: s.port ?? '', baud: s.baud ?? 0, scenario: s.scenario ?? defaultScenario }))
}

/** Everything wrong with the draft, slot by slot, in the order the engineer reads it. */
export function draftProblems(draft: readonly SlotDraft[]): DraftProblem[] {
  const problems: DraftProblem[] = []
  if (draft.length > MAX_SLOTS) problems.push({ code: 'too-many', params: { max: MAX_SLOTS } })
  const names = new Map<string, number>()
  const ports = new Map<string, number>()
  draft.forEach((slot, i) => {
    const n = i + 1
    if (!slot.name) problems.push({ code: 'name-empty', params: { n } })
    else if (slot.name.length > 32) problems.push({ code: 'name-long', params: { n } })
    else if (!PRINTABLE.test(slot.name) || slot.name.trim() !== slot.name) problems.push({ code: 'name-chars', params: { n } })
    else if (names.has(slot.name)) problems.push({ code: 'name-twice', params: { n, name: slot.name, first: names.get(slot.name) ?? 0 } })
    else names.set(slot.name, n)
    if (slot.source === 'port') {
      if (!slot.port) problems.push({ code: 'port-missing', params: { n } })
      else if (ports.has(slot.port)) problems.push({ code: 'port-twice', params: { n, first: ports.get(slot.port) ?? 0 } })
      else ports.set(slot.port, n)
    } else if (!slot.scenario) problems.push({ code: 'scenario-missing', params: { n } })
  })
  return problems
}

/** The layout a problem-free draft saves as. */
export function layoutOf(draft: readonly SlotDraft[], locked: boolean): StationLayout {
  return {
    version: 1,
    locked,
    slots: draft.map((d): SlotLayout => (d.source === 'port' ? { name: d.name, port: d.port, ...(d.baud ? { baud: d.baud } : {}) } : { name: d.name, scenario: d.scenario })),
  }
}
