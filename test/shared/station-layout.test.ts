import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { defaultStationLayout, layoutProblemMessage, MAX_SLOTS, parseStationLayout, SLOT_BAUDS } from '../../src-shared/station-layout'
import { keyedText } from '../../src-shared/i18n/render'
import { translator } from '../../src-shared/i18n/translate'
import { fcSeed } from '../setup/fast-check'

const english = translator('en')
const chinese = translator('zh-CN')
const errorsOf = (value: unknown, t = english): string[] => {
  const r = parseStationLayout(value)
  return r.ok ? [] : r.problems.map((p) => keyedText(t, layoutProblemMessage(p)))
}

describe('parseStationLayout', () => {
  it('accepts a four-slot layout of ports and scenarios and returns exactly the given fields', () => {
    const input = {
      version: 1,
      locked: true,
      slots: [
        { name: 'A1', port: '/dev/serial/by-path/pci-0000:00:14.0-usb-0:1.1:1.0-port0', baud: 115200 },
        { name: 'A2', port: '1-1.3' },
        { name: 'B1', scenario: 'no-sim' },
        { name: 'B2' },
      ],
    }
    expect(parseStationLayout(input)).toEqual({ ok: true, layout: input })
  })

  it('the default station is one slot named "1" on the given scenario, and it parses', () => {
    const layout = defaultStationLayout('healthy')
    expect(layout).toEqual({ version: 1, locked: false, slots: [{ name: '1', scenario: 'healthy' }] })
    expect(parseStationLayout(layout)).toEqual({ ok: true, layout })
  })

  it('names the field that is wrong', () => {
    expect(errorsOf(null)).toEqual(['layout: expected an object, got null'])
    expect(errorsOf({ version: 2, locked: false, slots: [{ name: 'A' }] })).toEqual(['layout.version: expected 1, got 2'])
    expect(errorsOf({ version: 1, locked: 'no', slots: [{ name: 'A' }] })).toEqual(['layout.locked: expected a boolean, got string'])
    expect(errorsOf({ version: 1, locked: false, slots: [] })).toEqual(['layout.slots: expected 1 to 8 slots, got 0'])
    expect(errorsOf({ version: 1, locked: false, slots: {} })).toEqual(['layout.slots: expected an array, got object'])
    expect(errorsOf({ version: 1, locked: false, slots: [{ name: 'A', prot: '1-1' }] })).toEqual(['layout.slots[0].prot: unexpected field'])
    expect(errorsOf({ version: 1, locked: false, slots: [{ name: 'A' }], extra: 1 })).toEqual(['layout.extra: unexpected field'])
    expect(errorsOf({ version: 1, locked: false, slots: [{ name: 'A', 'bau d': 1 }] })).toEqual(['layout.slots[0]["bau d"]: unexpected field'])
    expect(errorsOf({ version: 1, locked: false, slots: [{ name: '' }] })).toEqual(['layout.slots[0].name: expected 1 to 32 characters, got 0'])
    expect(errorsOf({ version: 1, locked: false, slots: [{ name: 'x'.repeat(33) }] })).toEqual(['layout.slots[0].name: expected 1 to 32 characters, got 33'])
    expect(errorsOf({ version: 1, locked: false, slots: [{ name: 'a\tb' }] })).toEqual(['layout.slots[0].name: only printable characters, no leading or trailing spaces'])
    expect(errorsOf({ version: 1, locked: false, slots: [{ name: 'A', baud: 115201 }] })[0]).toMatch(/^layout\.slots\[0\]\.baud: expected one of 9600/)
    expect(errorsOf({ version: 1, locked: false, slots: [{ name: 'A', scenario: 'no sim' }] })[0]).toMatch(/^layout\.slots\[0\]\.scenario:/)
    expect(errorsOf({ version: 1, locked: false, slots: [{ name: 'A', port: '1-1', scenario: 'healthy' }] })).toEqual([
      'layout.slots[0].scenario: a slot has a port or a virtual scenario, not both',
    ])
  })

  it('says each problem in Chinese too, naming the same field, and keeps a code line for logs', () => {
    expect(errorsOf({ version: 1, locked: 'no', slots: [{ name: 'A', port: 'COM3' }, { name: 'A' }] }, chinese)).toEqual([
      'layout.locked：应为 true 或 false，实际为文本',
      'layout.slots[0].port：COM 编号在重新插拔后会变化；请填写 USB 位置（例如 Port_#0003.Hub_#0001）',
      'layout.slots[1].name：“A”已是 slots[0] 的名称',
    ])
    const r = parseStationLayout({ version: 1, locked: false, slots: [{ name: 'A', baud: 'fast' }] })
    expect(r.ok ? [] : r.errors).toEqual(['layout.slots[0].baud: notInteger (got=string)'])
  })

  it('refuses a bare COM number, which changes on replug', () => {
    for (const port of ['COM3', 'com12', '\\\\.\\COM7']) expect(errorsOf({ version: 1, locked: false, slots: [{ name: 'A', port }] })[0]).toMatch(/^layout\.slots\[0\]\.port: a COM number changes on replug/)
    expect(errorsOf({ version: 1, locked: false, slots: [{ name: 'A', port: 'Port_#0003.Hub_#0001' }] })).toEqual([])
  })

  it('refuses duplicate names and ports, naming the later slot and the first', () => {
    expect(
      errorsOf({ version: 1, locked: false, slots: [{ name: 'A', port: '1-1.1' }, { name: 'B', port: '1-1.1' }, { name: 'A', scenario: 'healthy' }] }),
    ).toEqual(['layout.slots[1].port: "1-1.1" is already the port of slots[0]', 'layout.slots[2].name: "A" is already the name of slots[0]'])
  })

  it('refuses more than eight slots and lists every wrong field at once', () => {
    const nine = Array.from({ length: MAX_SLOTS + 1 }, (_, i) => ({ name: `S${i}` }))
    expect(errorsOf({ version: 1, locked: false, slots: nine })).toEqual(['layout.slots: expected 1 to 8 slots, got 9'])
    expect(errorsOf({ version: 1, locked: false, slots: [{ name: 1 }, { name: 'B', baud: 'fast' }] })).toEqual([
      'layout.slots[0].name: expected a string, got number',
      'layout.slots[1].baud: expected an integer, got string',
    ])
  })

  it('property: any layout of 1..8 uniquely named slots round-trips unchanged, and any arbitrary JSON is either accepted or refused with field-naming errors', () => {
    const slot = fc.record(
      {
        name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .-]{0,30}[A-Za-z0-9]$/),
        port: fc.stringMatching(/^[0-9]-[0-9](\.[0-9]){0,3}$/),
        baud: fc.constantFrom(...SLOT_BAUDS),
      },
      { requiredKeys: ['name'] },
    )
    const layout = fc.record({
      version: fc.constant(1 as const),
      locked: fc.boolean(),
      slots: fc.uniqueArray(slot, { minLength: 1, maxLength: MAX_SLOTS, selector: (s) => s.name, comparator: 'IsStrictlyEqual' }).filter(
        (slots) => new Set(slots.filter((s) => s.port !== undefined).map((s) => s.port)).size === slots.filter((s) => s.port !== undefined).length,
      ),
    })
    fc.assert(
      fc.property(layout, (l) => {
        expect(parseStationLayout(JSON.parse(JSON.stringify(l)))).toEqual({ ok: true, layout: l })
      }),
      { seed: fcSeed() },
    )
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parseStationLayout(v)
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0)
          for (const e of r.errors) expect(e).toMatch(/^layout(\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*: /u)
        }
      }),
      { seed: fcSeed() },
    )
  })
})
