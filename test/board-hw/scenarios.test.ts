import { describe, expect, it } from 'vitest'
import {
  applyScenarioState,
  listScenarios,
  loadScenario,
  ScenarioError,
} from '@board/scenarios/index'
import type { BoardState } from '@board/types'

describe('scenario files', () => {
  it('complete every file over healthy, keeping only what the file changes', () => {
    const noSim = loadScenario('no-sim')
    expect(noSim.modem.simPresent).toBe(false)
    expect(noSim.modem.imei).toBe(loadScenario('healthy').modem.imei)
    expect(noSim.network.lease.ip).toBe('10.232.182.16')
    expect(listScenarios()[0]).toEqual({
      name: 'healthy',
      summary: loadScenario('healthy').summary,
    })
  })

  it('accepts an inline scenario and names an unknown one with the known names', () => {
    const inline = loadScenario({
      name: 'custom',
      summary: 'weak and lossy',
      modem: { csq: { rssi: 5, ber: 99 } },
    })
    expect(inline.modem.csq.rssi).toBe(5)
    expect(inline.modem.operator).toBe('CHINA MOBILE')
    expect(() => loadScenario('no-such')).toThrow(ScenarioError)
    expect(() => loadScenario('no-such')).toThrow(
      /unknown scenario 'no-such' \(known: healthy, no-sim, /,
    )
  })

  it('applies build facts to the board state, drivers as a set without the removed ones', () => {
    const state = { drivers: new Set(['x']) } as unknown as BoardState
    applyScenarioState(state, loadScenario('no-rndis-driver'))
    expect(state.drivers.has('rndis_host')).toBe(false)
    expect(state.drivers.has('cdc_ether')).toBe(true)
    expect(state.drivers.has('x')).toBe(false)
    applyScenarioState(state, loadScenario('readonly-rootfs'))
    expect(state.readonlyRootfs).toBe(true)
  })
})
