import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { clearScan, EMPTY_SCAN, enter, nextFreeSlot, scan, settleScan, slotByLabel, type ScanSlot, type ScanState } from '../../src-shared/scan-flow'

/** A slot's condition as the operator sees it on its tile. */
type Condition = 'absent' | 'empty' | 'result' | 'waiting' | 'running'

function slotIn(condition: Condition, index = 1, name = 'B'): { slot: ScanSlot; waiting: Record<number, string> } {
  const slot: ScanSlot = { index, name, present: condition !== 'absent', running: condition === 'running' }
  if (condition === 'result' || condition === 'running') slot.unit = 'SN-OLD'
  return { slot, waiting: condition === 'waiting' ? { [index]: 'SN-WAIT' } : {} }
}

/** Slot A (index 0) is always empty and free; slot B (index 1) is in the condition under test; the last unit went to A, so B comes next. */
function station(condition: Condition): { slots: ScanSlot[]; state: ScanState } {
  const b = slotIn(condition)
  return { slots: [{ index: 0, name: 'A', present: true, running: false }, b.slot], state: { waiting: b.waiting, last: 0 } }
}

// Etcher-style status table: every condition of the slot under test against every input the scanner can give.
const TABLE: { condition: Condition; input: string; expected: unknown }[] = [
  // A new unit, no label scanned first: B (next after A) takes it unless it cannot, then A does.
  { condition: 'absent', input: 'unit', expected: { kind: 'assigned', slot: 0, unit: 'SN-NEW' } },
  { condition: 'empty', input: 'unit', expected: { kind: 'assigned', slot: 1, unit: 'SN-NEW' } },
  { condition: 'result', input: 'unit', expected: { kind: 'assigned', slot: 1, unit: 'SN-NEW' } },
  { condition: 'waiting', input: 'unit', expected: { kind: 'assigned', slot: 0, unit: 'SN-NEW' } },
  { condition: 'running', input: 'unit', expected: { kind: 'assigned', slot: 0, unit: 'SN-NEW' } },
  // B's label scanned.
  { condition: 'absent', input: 'label', expected: { kind: 'refused', code: 'slot-absent', slot: 1 } },
  { condition: 'empty', input: 'label', expected: { kind: 'label', slot: 1 } },
  { condition: 'result', input: 'label', expected: { kind: 'label', slot: 1 } },
  { condition: 'waiting', input: 'label', expected: { kind: 'label', slot: 1 } },
  { condition: 'running', input: 'label', expected: { kind: 'refused', code: 'slot-busy', slot: 1 } },
  // B's label, then a new unit: B gets it (replacing a waiting one); refused where the label was.
  { condition: 'empty', input: 'label+unit', expected: { kind: 'assigned', slot: 1, unit: 'SN-NEW' } },
  { condition: 'result', input: 'label+unit', expected: { kind: 'assigned', slot: 1, unit: 'SN-NEW' } },
  { condition: 'waiting', input: 'label+unit', expected: { kind: 'assigned', slot: 1, unit: 'SN-NEW', replaced: 'SN-WAIT' } },
  // The unit already on B scanned again.
  { condition: 'result', input: 'same unit', expected: { kind: 'assigned', slot: 1, unit: 'SN-OLD' } },
  { condition: 'waiting', input: 'same unit', expected: { kind: 'refused', code: 'unit-in-slot', slot: 1, unit: 'SN-WAIT' } },
  { condition: 'running', input: 'same unit', expected: { kind: 'refused', code: 'unit-in-slot', slot: 1, unit: 'SN-OLD' } },
  // Enter.
  { condition: 'absent', input: 'enter', expected: { kind: 'refused', code: 'nothing-waiting' } },
  { condition: 'empty', input: 'enter', expected: { kind: 'refused', code: 'nothing-waiting' } },
  { condition: 'result', input: 'enter', expected: { kind: 'refused', code: 'nothing-waiting' } },
  { condition: 'waiting', input: 'enter', expected: { kind: 'start', starts: [{ slot: 1, unit: 'SN-WAIT' }] } },
  { condition: 'running', input: 'enter', expected: { kind: 'refused', code: 'nothing-waiting' } },
]

describe('scanner flow status table (slot B in each condition, slot A free)', () => {
  for (const row of TABLE) {
    it(`${row.condition} × ${row.input}`, () => {
      const { slots, state } = station(row.condition)
      let outcome
      if (row.input === 'unit') outcome = scan(state, slots, 'SN-NEW').outcome
      else if (row.input === 'label') outcome = scan(state, slots, 'B').outcome
      else if (row.input === 'label+unit') outcome = scan(scan(state, slots, 'B').state, slots, 'SN-NEW').outcome
      else if (row.input === 'same unit') outcome = scan(state, slots, row.condition === 'waiting' ? 'SN-WAIT' : 'SN-OLD').outcome
      else outcome = enter(state, slots).outcome
      expect(outcome).toEqual(row.expected)
    })
  }

  it('covers every condition for every input that applies to it', () => {
    const conditions: Condition[] = ['absent', 'empty', 'result', 'waiting', 'running']
    for (const input of ['unit', 'label', 'enter']) for (const c of conditions) expect(TABLE.some((r) => r.condition === c && r.input === input)).toBe(true)
  })
})

const four = (): ScanSlot[] => ['A1', 'A2', 'A3', 'A4'].map((name, index) => ({ index, name, present: true, running: false }))

describe('scanner flow on a station of four', () => {
  it('four scans fill the four slots in order and one Enter starts all four', () => {
    const slots = four()
    let state = EMPTY_SCAN
    for (const serial of ['SN1', 'SN2', 'SN3', 'SN4']) state = scan(state, slots, serial).state
    expect(state.waiting).toEqual({ 0: 'SN1', 1: 'SN2', 2: 'SN3', 3: 'SN4' })
    expect(scan(state, slots, 'SN5').outcome).toEqual({ kind: 'refused', code: 'no-free-slot', unit: 'SN5' })
    const started = enter(state, slots)
    expect(started.outcome).toEqual({ kind: 'start', starts: ['SN1', 'SN2', 'SN3', 'SN4'].map((unit, slot) => ({ slot, unit })) })
    expect(started.state.waiting).toEqual({})
  })

  it('after the last slot the search wraps to the first free one, skipping running slots', () => {
    const slots = four().map((s) => ({ ...s, running: s.index === 0 || s.index === 2, unit: `SN${s.index}` }))
    expect(nextFreeSlot(slots, { waiting: {}, last: 3 })?.index).toBe(1)
    expect(scan({ waiting: {}, last: 3 }, slots, 'SN9').outcome).toEqual({ kind: 'assigned', slot: 1, unit: 'SN9' })
  })

  it('a slot label first sends the next unit there, then the flow goes on after that slot', () => {
    const slots = four()
    const picked = scan(EMPTY_SCAN, slots, 'A3')
    expect(picked.outcome).toEqual({ kind: 'label', slot: 2 })
    const placed = scan(picked.state, slots, 'SN1')
    expect(placed.outcome).toEqual({ kind: 'assigned', slot: 2, unit: 'SN1' })
    expect(placed.state.label).toBeUndefined()
    expect(scan(placed.state, slots, 'SN2').outcome).toEqual({ kind: 'assigned', slot: 3, unit: 'SN2' })
  })

  it('a waiting unit moves when its new slot label is scanned and the unit again', () => {
    const slots = four()
    const first = scan(EMPTY_SCAN, slots, 'SN1').state
    const moved = scan(scan(first, slots, 'A4').state, slots, 'SN1')
    expect(moved.outcome).toEqual({ kind: 'assigned', slot: 3, unit: 'SN1' })
    expect(moved.state.waiting).toEqual({ 3: 'SN1' })
  })

  it('labels match exactly, or without letter case when only one slot fits', () => {
    const slots: ScanSlot[] = [
      { index: 0, name: 'a1', present: true, running: false },
      { index: 1, name: 'A1', present: true, running: false },
      { index: 2, name: 'Left', present: true, running: false },
    ]
    expect(slotByLabel(slots, 'A1')?.index).toBe(1)
    expect(slotByLabel(slots, 'a1')?.index).toBe(0)
    expect(slotByLabel(slots, 'LEFT')?.index).toBe(2)
    expect(slotByLabel(slots, 'A2')).toBeUndefined()
  })

  it('names what is wrong with a scan that is not a serial', () => {
    for (const bad of ['', '   ', 'SN 1', 'x'.repeat(65), 'SN\u00e91']) expect(scan(EMPTY_SCAN, four(), bad).outcome).toEqual({ kind: 'refused', code: 'bad-serial' })
    expect(scan(EMPTY_SCAN, four(), '  SN1 \n').outcome).toEqual({ kind: 'assigned', slot: 0, unit: 'SN1' })
  })

  it('a slot that started running or was unplugged drops its waiting unit and its picked label', () => {
    const slots = four()
    const state: ScanState = { waiting: { 0: 'SN1', 1: 'SN2' }, label: 1, last: 1 }
    const now = slots.map((s) => (s.index === 0 ? { ...s, running: true, unit: 'SN1' } : s.index === 1 ? { ...s, present: false } : s))
    expect(settleScan(state, now)).toEqual({ waiting: {}, label: undefined, last: 1 })
  })

  it('Escape forgets waiting units and the label, not where the flow is', () => {
    expect(clearScan({ waiting: { 0: 'SN1' }, label: 2, last: 0 })).toEqual({ waiting: {}, last: 0 })
  })
})

describe('scanner flow invariants over random scan sequences', () => {
  const SEED = 1501
  const slotArb = fc.array(fc.record({ present: fc.boolean(), running: fc.boolean() }), { minLength: 1, maxLength: 8 })
  const inputArb = fc.array(fc.oneof(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'), fc.constantFrom('SN1', 'SN2', 'SN3', 'SN4', 'SN5', 'bad serial'), fc.constant('\n')), { maxLength: 30 })

  it('never puts a unit on a running or absent slot, never on two slots, and Enter starts exactly the waiting units', () => {
    fc.assert(
      fc.property(slotArb, inputArb, (conditions, inputs) => {
        const slots: ScanSlot[] = conditions.map((c, index) => ({ index, name: 'ABCDEFGH'[index], ...c, unit: c.running ? `RUN${index}` : undefined }))
        let state = EMPTY_SCAN
        for (const input of inputs) {
          const before = settleScan(state, slots)
          const step = input === '\n' ? enter(state, slots) : scan(state, slots, input)
          state = step.state
          const units = Object.values(state.waiting)
          expect(new Set(units).size).toBe(units.length)
          for (const index of Object.keys(state.waiting).map(Number)) {
            const slot = slots[index]
            expect(slot.present && !slot.running).toBe(true)
          }
          if (step.outcome.kind === 'start') {
            expect(Object.fromEntries(step.outcome.starts.map((s) => [s.slot, s.unit]))).toEqual(before.waiting)
            expect(state.waiting).toEqual({})
          }
          if (step.outcome.kind === 'assigned') expect(state.waiting[step.outcome.slot]).toBe(step.outcome.unit)
          if (step.outcome.kind === 'refused') expect(state).toEqual(before)
        }
      }),
      { seed: SEED, numRuns: 500, verbose: 1 },
    )
  })
})
