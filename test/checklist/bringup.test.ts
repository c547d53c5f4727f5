import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { flashStepRecord, type FlashResult } from '@shared/flash'
import type { RunRecord } from '@shared/record'
import { connect } from '@engine/console'
import { checklistBoardFor } from '@engine/checklist/index'
import { resolveProfile } from '@engine/profile/index'
import { loadIndex } from '@engine/report/index'
import { parseJournal, replayJournal } from '@engine/record/index'
import { runBringup, type BringupSink } from '@engine/bringup/index'
import { handOverToBringup } from '@engine/flash/handover'
import { createChecklistDriver } from '../../src-services/checklist'
import { defaultSettings } from '../../src-services/settings'
import { firmwareImage, flashVirtual, put } from '../flash/helpers'

const roots: string[] = []
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })))
function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `k230-bringup-${tag}-`))
  roots.push(dir)
  return dir
}

let flashed: FlashResult | undefined
async function verifiedFlash(): Promise<FlashResult> {
  if (flashed) return flashed
  const image = put(tempDir('image'), 'fw.kdimg', firmwareImage('emmc'))
  flashed = (await flashVirtual(image, 'emmc', 'healthy', { reboot: true })).result
  expect(flashed.outcome).toBe('verified')
  return flashed
}

async function serviceRun(scenario: string, runsDir: string, flash?: FlashResult): Promise<{ record: RunRecord; stored: RunRecord[] }> {
  const console = await connect({ sim: { scenario, timeScale: 0.01 } })
  const stored: RunRecord[] = []
  const driver = createChecklistDriver({ appVersion: 'test', runsDir, profile: () => resolveProfile(undefined), finished: async (r) => void stored.push(structuredClone(r)) })
  try {
    const record = await driver.run({ connection: Object.assign(console, { timeScale: 0.01 }), serial: `SVC-${scenario}`, modes: [], settings: { ...defaultSettings(runsDir), operator: 'op' }, flash, signal: new AbortController().signal, onUpdate: () => undefined })
    return { record, stored }
  } finally {
    await console.close()
  }
}

describe('one bring-up orchestrator: sinks, the record written once', () => {
  it('every sink sees the events and the final record once; a sink that fails to store is named, the others still run, and the journal is kept for recovery', async () => {
    const dir = tempDir('sinks')
    const console = await connect({ sim: { scenario: 'no-sim', timeScale: 0.01 } })
    const seen: string[] = []
    const finals: RunRecord[] = []
    const counting: BringupSink = { name: 'counting', event: (e) => void seen.push(e.type), finished: async (r) => void finals.push(structuredClone(r)) }
    const broken: BringupSink = { name: 'disk', finished: async () => { throw new Error(`ENOSPC: no space left on device, write '${dir}/x.json'`) } }
    let result
    try {
      result = await runBringup({ board: checklistBoardFor(console, 0.01), profile: resolveProfile(undefined), unitSerial: 'SINK-1', appVersion: 'test', journalDir: dir, outputs: [broken, counting] })
    } finally {
      await console.close()
    }
    expect(result.record.verdict).toBe('fail')
    expect(finals).toHaveLength(1)
    expect(finals[0]).toMatchObject({ id: result.record.id, verdict: 'fail', status: 'completed' })
    expect(seen.filter((t) => t === 'step-end')).toHaveLength(result.record.steps.length)
    expect(seen.at(-1)).toBe('run-end')
    expect(result.failed.map((f) => f.message)).toEqual([expect.stringMatching(/^disk: ENOSPC: no space left on device/)])
    expect(result.warnings).toEqual([])
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([])
    const journals = readdirSync(dir).filter((f) => f.endsWith('.journal.jsonl'))
    expect(journals).toHaveLength(1)
    const replayed = replayJournal(parseJournal(readFileSync(join(dir, journals[0]), 'utf8')))
    expect(replayed).toMatchObject({ id: result.record.id, verdict: 'fail', unit: { serial: 'SINK-1' } })
  }, 120_000)

  it('services: the record is written once, by the results sink; the journal folder is left empty after the run', async () => {
    const runsDir = tempDir('runs')
    const { record, stored } = await serviceRun('healthy', runsDir)
    expect(record.verdict).toBe('pass')
    expect(stored.map((r) => r.id)).toEqual([record.id])
    expect(readdirSync(runsDir)).toEqual([])
  }, 120_000)

  it('services: a run after a verified flash carries the flash step of the flash itself (its times and duration), exactly as the hand-over does', async () => {
    const result = await verifiedFlash()
    const { record } = await serviceRun('healthy', tempDir('svc-flash'), result)
    const handover = await handOverToBringup({ flash: result, sim: { scenario: 'healthy', timeScale: 0.01 }, appVersion: 'test' })
    expect(record.steps[0]).toEqual(flashStepRecord(result))
    expect(handover.record.steps[0]).toEqual(flashStepRecord(result))
    expect(record.flash).toEqual(handover.record.flash)
  }, 180_000)

  it('hand-over: the record goes through the same results sink as `run` (JSON, HTML, JUnit, results index)', async () => {
    const outDir = tempDir('handover')
    const { record, recordPath } = await handOverToBringup({ flash: await verifiedFlash(), sim: { scenario: 'healthy', timeScale: 0.01 }, appVersion: 'test', unitSerial: 'HO-1', outDir })
    expect(record.verdict).toBe('pass')
    expect(recordPath).toBe(join(outDir, readdirSync(outDir).find((f) => f.startsWith('HO-1_') && f.endsWith('.json')) as string))
    expect(readdirSync(outDir).filter((f) => f.startsWith('HO-1_')).map((f) => f.replace(/^HO-1_\w+_\w+/, '')).sort()).toEqual(['.html', '.json', '.junit.xml'])
    expect(readdirSync(outDir)).toContain('index.json')
    const index = await loadIndex(outDir)
    expect(index.entries.map((e) => [e.id, e.serial, e.verdict])).toEqual([[record.id, 'HO-1', 'pass']])
  }, 180_000)
})
