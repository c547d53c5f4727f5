import { describe, expect, it } from 'vitest'
import { draftOf, draftProblems, layoutOf, type SlotDraft } from '../../src-shared/layout-draft'
import { parseStationLayout } from '../../src-shared/station-layout'
import { en } from '../../src-shared/i18n/catalogue'

const sim = (name: string, scenario = 'healthy'): SlotDraft => ({ name, source: 'sim', port: '', baud: 0, scenario })
const port = (name: string, path: string, baud = 0): SlotDraft => ({ name, source: 'port', port: path, baud, scenario: 'healthy' })

describe('station layout draft', () => {
  it('a problem-free draft saves as a layout the shared validator accepts, and reads back as the same draft', () => {
    const draft = [sim('A1'), sim('A2', 'no-sim'), port('B1', '/dev/serial/by-path/pci-0000:00:14.0-usb-0:1.3:1.0-port0', 115200), port('B2', '1-1.4')]
    expect(draftProblems(draft)).toEqual([])
    const layout = layoutOf(draft, true)
    expect(parseStationLayout(layout)).toEqual({ ok: true, layout })
    expect(layout.slots[2]).toEqual({ name: 'B1', port: '/dev/serial/by-path/pci-0000:00:14.0-usb-0:1.3:1.0-port0', baud: 115200 })
    expect(layout.slots[3]).toEqual({ name: 'B2', port: '1-1.4' })
    expect(draftOf(layout, 'healthy')).toEqual(draft)
  })

  it('names each wrong slot, counting from 1, with a code the catalogue has', () => {
    const problems = draftProblems([sim(''), sim('x'.repeat(33)), sim(' A'), sim('A'), sim('A'), port('P', ''), port('Q', '1-1.2'), port('R', '1-1.2'), sim('S', '')])
    expect(problems).toEqual([
      { code: 'name-empty', params: { n: 1 } },
      { code: 'name-long', params: { n: 2 } },
      { code: 'name-chars', params: { n: 3 } },
      { code: 'name-twice', params: { n: 5, name: 'A', first: 4 } },
      { code: 'port-missing', params: { n: 6 } },
      { code: 'port-twice', params: { n: 8, first: 7 } },
      { code: 'scenario-missing', params: { n: 9 } },
      { code: 'too-many', params: { max: 8 } },
    ].sort((a, b) => (a.code === 'too-many' ? -1 : b.code === 'too-many' ? 1 : 0)))
    for (const p of problems) expect(en.slots.layout.problem[p.code]).toBeTruthy()
  })

  it('every draft without problems passes the shared validator', () => {
    const drafts: SlotDraft[][] = [[sim('1')], Array.from({ length: 8 }, (_, i) => sim(`S${i}`)), [port('中文槽位', 'Port_#0003.Hub_#0001'), sim('2')]]
    for (const d of drafts) {
      expect(draftProblems(d)).toEqual([])
      expect(parseStationLayout(layoutOf(d, false)).ok).toBe(true)
    }
  })
})
