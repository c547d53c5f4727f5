import { describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunRecord } from '@shared/record'
import { findRuns, loadIndex, summarizeYield, writeReports, parseRangeBound, renderYieldHtml } from '@engine/report/index'
import { main } from '../../src-cli/main'
import { failingRecord, passingRecord, erroredRecord } from './fixtures/records'
import { captureIo } from './helpers/io'

function shifted(record: RunRecord, day: number, id: string, serial?: string): RunRecord {
  const move = (iso: string) => new Date(Date.parse(iso) + day * 86_400_000).toISOString()
  return {
    ...record,
    id,
    unit: { ...record.unit, serial: serial ?? record.unit.serial },
    startedAt: move(record.startedAt),
    endedAt: record.endedAt ? move(record.endedAt) : undefined,
  }
}

async function fillResults(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-results-'))
  const runs = [
    shifted(passingRecord(), 0, 'run-01', 'SN-1'),
    shifted(failingRecord(), 0, 'run-02', 'SN-2'),
    shifted(passingRecord(), 1, 'run-03', 'SN-2'),
    shifted(failingRecord(), 1, 'run-04', 'SN-3'),
    shifted(erroredRecord(), 2, 'run-05', 'SN-4'),
    shifted(passingRecord(), 10, 'run-06', 'SN-5'),
  ]
  await Promise.all(runs.map((r) => writeReports(r, dir, ['json', 'csv'])))
  return dir
}

describe('results folder, lookup and yield', () => {
  it('indexes every run even when written concurrently, and finds a unit by serial, IMEI or ICCID', async () => {
    const dir = await fillResults()
    const index = await loadIndex(dir)
    expect(index.entries.map((e) => e.id).sort()).toEqual(['run-01', 'run-02', 'run-03', 'run-04', 'run-05', 'run-06'])
    expect(findRuns(index, { serial: 'sn-2' }).map((e) => e.id)).toEqual(['run-02', 'run-03'])
    expect(findRuns(index, { imei: '868371050123457' }).map((e) => e.id)).toEqual(['run-02', 'run-04'])
    expect(findRuns(index, { iccid: '89860121801234567890' }).map((e) => e.id)).toEqual(['run-01', 'run-03', 'run-06'])
    expect(findRuns(index, { any: '868371050123458' }).map((e) => e.id)).toEqual(['run-05'])
    expect(findRuns(index, { serial: 'nobody' })).toEqual([])
  })

  it('leaves runs made on the virtual board out of lookup, yield and the CLI unless asked, and marks them SIMULATED', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-results-sim-'))
    const real = shifted(passingRecord(), 0, 'run-real', 'SN-R')
    const sim = { ...shifted(passingRecord(), 0, 'run-sim', 'SN-S'), simulated: true }
    const oldSim = shifted(passingRecord(), 0, 'run-oldsim', 'SN-O')
    oldSim.station = { ...oldSim.station, port: 'virtual:healthy' }
    await Promise.all([real, sim, oldSim].map((r) => writeReports(r, dir, ['json', 'csv'])))
    const index = await loadIndex(dir)
    expect(findRuns(index, { any: 'SN-S' })).toEqual([])
    expect(findRuns(index, { any: 'SN-O' })).toEqual([])
    expect(findRuns(index, { any: 'SN-S', includeSimulated: true }).map((e) => e.id)).toEqual(['run-sim'])
    expect(summarizeYield(index.entries).units).toBe(1)
    expect(summarizeYield(index.entries, { includeSimulated: true }).units).toBe(3)
    const io = captureIo(dir)
    expect(await main(['history', 'find', 'SN-S', '--results', dir], io)).toBe(1)
    expect(await main(['history', 'find', 'SN-S', '--results', dir, '--include-simulated'], io)).toBe(0)
    expect(io.out()).toMatch(/SN-S .* SIMULATED/)
    const ledger = readFileSync(join(dir, 'ledger.csv'), 'utf8').split('\n')
    expect(ledger.find((l) => l.includes('run-sim'))).toContain(',SIMULATED,')
    expect(ledger.find((l) => l.includes('run-real'))).not.toContain('SIMULATED')
  })

  it('per step, the yield counts passed, ran and skipped apart: a step skipped on a unit is not a pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-results-skip-'))
    const skippedEcm = (r: RunRecord): RunRecord => ({
      ...r,
      steps: r.steps.map((s) => (s.id.startsWith('ecm') ? { ...s, verdict: 'skipped' as const, attempts: s.attempts.map((a) => ({ ...a, verdict: 'skipped' as const })) } : s)),
    })
    const runs = [shifted(passingRecord(), 0, 'u1', 'SN-A'), skippedEcm(shifted(failingRecord(), 0, 'u2', 'SN-B')), skippedEcm(shifted(failingRecord(), 0, 'u3', 'SN-C'))]
    await Promise.all(runs.map((r) => writeReports(r, dir, ['json'])))
    const summary = summarizeYield((await loadIndex(dir)).entries)
    const ecm = summary.steps.find((s) => s.id.startsWith('ecm')) as (typeof summary.steps)[number]
    expect(ecm).toMatchObject({ passed: 1, tested: 1, skipped: 2 })
    expect(summary.passedRuns).toBe(1)
  })

  it('rebuilds a damaged index from the record files', async () => {
    const dir = await fillResults()
    writeFileSync(join(dir, 'index.json'), '{"version":1,"entr')
    const index = await loadIndex(dir)
    expect(index.entries).toHaveLength(6)
    expect(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).entries).toHaveLength(6)
  })

  it('yield over a date range: first-pass and final yield, pass rate per step, top causes', async () => {
    const dir = await fillResults()
    const { entries } = await loadIndex(dir)
    const summary = summarizeYield(entries, { from: parseRangeBound('2026-11-24', 'from'), to: parseRangeBound('2026-11-26', 'to') })
    expect(summary.runs).toBe(5)
    expect(summary.units).toBe(4)
    expect(summary.firstPassYield).toBeCloseTo(1 / 4)
    expect(summary.finalYield).toBeCloseTo(2 / 4)
    const drivers = summary.steps.find((s) => s.id === 'drivers')!
    expect(drivers).toMatchObject({ tested: 5, passed: 3, failed: 2 })
    expect(drivers.passRate).toBeCloseTo(0.6)
    expect(summary.causes[0]).toMatchObject({ code: 'option-vidpid-missing', count: 2 })
    expect(summary.causes.map((c) => c.code)).toEqual(['option-vidpid-missing', 'weak-signal', 'link-lost', 'ppp-config:aborted'])
    expect(summarizeYield(entries, { from: parseRangeBound('2026-12-01', 'from') }).runs).toBe(1)
    expect(() => parseRangeBound('last tuesday', 'from')).toThrow(/not a date/)
  })

  it('yield page has a table and an inline SVG chart, in both languages', async () => {
    const dir = await fillResults()
    const summary = summarizeYield((await loadIndex(dir)).entries)
    const html = renderYieldHtml(summary)
    expect(html).toMatch(/<svg class="chart" role="img" aria-label="Pass rate per step"/)
    expect(html).toContain('60.0 % (3/5)')
    expect(html).toContain('option-vidpid-missing')
    expect(html).not.toMatch(/<script|<link|<img/)
    expect(renderYieldHtml(summary, { lang: 'zh-CN' })).toContain('各步骤通过率')
    expect(renderYieldHtml(summarizeYield([]))).toContain('No runs in this range.')
  })

  it('CLI history find and yield', async () => {
    const dir = await fillResults()
    let io = captureIo(dir)
    expect(await main(['history', 'find', '--serial', 'SN-3', '--results', dir], io)).toBe(0)
    expect(io.out()).toMatch(/SN-3\s+FAIL\s+completed\s+drivers:option-vidpid-missing ecm\.net:weak-signal/)
    io = captureIo(dir)
    expect(await main(['history', 'find', 'nobody', '--results', dir], io)).toBe(1)
    expect(io.out()).toMatch(/no runs found/)
    io = captureIo(dir)
    expect(await main(['history', 'yield', '--from', '2026-11-24', '--to', '2026-11-26', '--results', dir, '--html', 'yield.html'], io)).toBe(0)
    expect(io.out()).toMatch(/runs 5, units 4, first-pass yield 25\.0%, final yield 50\.0%/)
    expect(io.out()).toMatch(/2\s+33\.3%\s+option-vidpid-missing {2}\(drivers\)/)
    expect(readFileSync(join(dir, 'yield.html'), 'utf8')).toContain('<svg')
    io = captureIo(dir)
    expect(await main(['history', 'yield', '--from', 'soon', '--results', dir], io)).toBe(2)
    expect(io.err()).toMatch(/'soon' is not a date/)
    io = captureIo(dir)
    expect(await main(['history', 'find', 'SN-1', '--results', join(dir, 'typo')], io)).toBe(2)
    expect(io.err()).toMatch(/no results folder at .*typo/)
    expect(existsSync(join(dir, 'typo'))).toBe(false)
  })
})
