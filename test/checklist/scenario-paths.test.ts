import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { FlashResult } from '@shared/flash'
import type { RunRecord } from '@shared/record'
import type { RunSnapshot } from '@shared/ipc'
import { listScenarios } from '@board/scenarios/index'
import { handOverToBringup } from '@engine/flash/handover'
import { exitCodeOf } from '../../src-cli/command'
import { createServices, type Services } from '../../src-services/index'
import { firmwareImage, flashVirtual, put } from '../flash/helpers'
import { TABLE, type Expectation } from './support/scenario-table'

const roots: string[] = []
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })))
function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `k230-paths-${tag}-`))
  roots.push(dir)
  return dir
}

let flashed: FlashResult | undefined
async function verifiedFlash(): Promise<FlashResult> {
  if (!flashed) flashed = (await flashVirtual(put(tempDir('image'), 'fw.kdimg', firmwareImage('emmc')), 'emmc', 'healthy', { reboot: true })).result
  expect(flashed.outcome).toBe('verified')
  return flashed
}

function runEnds(s: Services, timeoutMs = 120_000): Promise<RunSnapshot> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('run did not end')), timeoutMs)
    const off = s.events.on('run:update', (u) => {
      if (u.running) return
      clearTimeout(timer)
      off()
      resolve(u)
    })
  })
}

async function throughServices(scenario: string): Promise<RunRecord> {
  const dir = tempDir(`svc-${scenario}`)
  const s = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), simTimeScale: 0.01, appVersion: 'test', host: 'browser' })
  try {
    await s.handlers['settings:set']({ operator: 'paths-op' })
    await s.handlers['console:open']({ kind: 'sim', scenario })
    const ended = runEnds(s)
    await s.handlers['run:start']({ serial: `SVC-${scenario}` })
    const done = await ended
    expect(done.error).toBeUndefined()
    expect(await s.handlers['reports:list']({ query: `SVC-${scenario}`, includeSimulated: true })).toHaveLength(1)
    return done.record as RunRecord
  } finally {
    await s.dispose()
  }
}

async function throughHandover(scenario: string): Promise<RunRecord> {
  const { record } = await handOverToBringup({ flash: await verifiedFlash(), sim: { scenario, timeScale: 0.01 }, appVersion: 'test', unitSerial: `HO-${scenario}`, outDir: tempDir(`ho-${scenario}`) })
  expect(record.steps[0]).toMatchObject({ id: 'flash', verdict: 'pass' })
  return { ...record, steps: record.steps.slice(1) }
}

function expectOutcome(record: RunRecord, expected: Expectation): void {
  const summary = record.steps.map((s) => `${s.id}=${s.verdict}:${s.attempts.at(-1)?.remediation?.code ?? s.attempts.at(-1)?.reason ?? ''}`).join(' ')
  expect(exitCodeOf(record.verdict), summary).toBe(expected.exit)
  expect(record.simulated).toBe(true)
  const first = record.steps.find((s) => s.verdict !== 'pass' && s.verdict !== 'skipped')
  if (expected.exit === 0) expect(first, summary).toBeUndefined()
  else {
    expect(first, summary).toBeDefined()
    if (expected.step) expect(first!.id, summary).toBe(expected.step)
    expect(first!.verdict, summary).toBe(expected.verdict)
    expect(expected.codes, summary).toContain(first!.attempts.at(-1)?.remediation?.code)
    expect(first!.attempts.at(-1)?.remediation?.fix).toMatch(expected.fixSays as RegExp)
    expect(record.verdict).toBe(expected.verdict)
  }
  expected.also?.(record)
}

describe('every virtual-board scenario gives the CLI table\'s outcome through the services and the flash hand-over (one orchestrator)', () => {
  it('the table covers every scenario of the board', () => {
    expect(Object.keys(TABLE).sort()).toEqual(listScenarios().map((s) => s.name).sort())
  })

  for (const scenario of listScenarios().map((s) => s.name)) {
    it(scenario, async () => {
      expectOutcome(await throughServices(scenario), TABLE[scenario])
      expectOutcome(await throughHandover(scenario), TABLE[scenario])
    }, 240_000)
  }
})
