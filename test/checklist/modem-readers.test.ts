import { describe, expect, it } from 'vitest'
import { connect } from '@engine/console'
import { Checklist, buildPlan } from '@engine/checklist/index'
import { checklistBoardFor } from '@engine/checklist/from-console'
import { rssiToDbm } from '@engine/at/index'
import { resolveProfile } from '@engine/profile/index'
import { createVirtualBoard } from '@board/board'
import { loadScenario } from '@board/scenarios/index'
import type { Measurement } from '@shared/record'

/**
 * AT+CSQ <rssi> per 3GPP TS 27.007 §8.5 as the Quectel EC2x/EC200 AT manuals restate it: 0 is -113 dBm or less,
 * 1 -111, 2..30 -109..-53, 31 -51 or more, 99 unknown; 100 -116 dBm or less, 101 -115, 102..190 -114..-26,
 * 191 -25 or more (TD-SCDMA RSCP), 199 unknown.
 */
const TABLE: [number, number | undefined][] = [
  [0, -113], [1, -111], [2, -109], [15, -83], [30, -53], [31, -51], [32, undefined], [99, undefined],
  [100, -116], [101, -115], [102, -114], [150, -66], [190, -26], [191, -25], [192, undefined], [199, undefined], [-1, undefined], [1.5, undefined],
]

describe('one CSQ to dBm conversion', () => {
  it.each(TABLE)('rssi %s is %s dBm', (rssi, dbm) => {
    expect(rssiToDbm(rssi)).toBe(dbm)
  })
})

async function modemMeasurements(modem: Record<string, unknown>): Promise<{ verdict: string; reason?: string; measured: Record<string, Measurement['value']> }> {
  const scenario = loadScenario({ name: 'modem-readers', summary: 'test', modem } as never)
  const board = createVirtualBoard({ scenario: scenario as never, timeScale: 0.01 })
  const console = await connect({ board })
  try {
    const profile = resolveProfile(undefined)
    const steps = buildPlan(profile).filter((s) => ['console', 'usb', 'drivers', 'userland', 'modem'].includes(s.id))
    const checklist = new Checklist({ board: checklistBoardFor(console, 0.01), profile, steps, appVersion: '0.0.0-test' })
    const record = await checklist.run()
    const step = record.steps.find((s) => s.id === 'modem')!
    const attempt = step.attempts.at(-1)!
    return { verdict: step.verdict, reason: attempt.reason, measured: Object.fromEntries(attempt.measurements.map((m) => [m.name, m.value])) }
  } finally {
    await console.close()
    board.close?.()
  }
}

describe('the modem step reads answers with the typed AT readers', () => {
  it('a TD-SCDMA rssi (100-191) is a signal in dBm, as the readers say, not "no signal"', async () => {
    const result = await modemMeasurements({ csq: { rssi: 150, ber: 99 } })
    expect(result.measured.signal).toBe(-66)
    expect(result.measured.csq).toBe(150)
    expect(result.verdict, result.reason).toBe('pass')
  }, 60_000)
  it('reads model, firmware, IMEI, ICCID, registration and operator of the healthy module', async () => {
    const result = await modemMeasurements({})
    expect(result.verdict, result.reason).toBe('pass')
    expect(result.measured).toMatchObject({ imei: '868371051234567', iccid: '89860022102050123456', sim: 'READY', registration: 1, operator: 'CHINA MOBILE' })
    expect(result.measured.model).toBe('EC200A')
  }, 60_000)
})
