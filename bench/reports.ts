// Report rendering figures: HTML/JUnit render time (small and 50k-line transcript), ledger append rate, verify time, PDF print time; ratios are measured / goal (below 1 meets the goal).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { appendLedger, findChromium, renderHtml, renderJunit, verifyFile, writePdf, writeReports } from '@engine/report/index'
import { passingRecord } from '../test/reports/fixtures/records'

function time<T>(fn: () => T, runs: number): number {
  for (let i = 0; i < Math.min(runs, 5); i++) fn()
  const start = performance.now()
  for (let i = 0; i < runs; i++) fn()
  return (performance.now() - start) / runs
}

async function timeAsync(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const start = performance.now()
  for (let i = 0; i < runs; i++) await fn()
  return (performance.now() - start) / runs
}

function line(name: string, ms: number, goalMs: number): void {
  console.log(`${name}: ${ms.toFixed(1)} ms (goal ${goalMs} ms, ratio ${(ms / goalMs).toFixed(3)})`)
}

async function main(): Promise<void> {
  const small = passingRecord()
  const big = passingRecord()
  big.transcript = Array.from({ length: 50_000 }, (_, i) => ({ t: i * 10, dir: i % 7 === 0 ? 'kmsg' : i % 2 ? 'rx' : 'tx', text: i % 7 === 0 ? `[ ${(i / 100).toFixed(6)}] usb 1-1: line ${i}` : `console output line ${i} with some text and numbers 0123456789` })) as typeof big.transcript
  line('HTML render, 15 steps, 30 transcript lines', time(() => renderHtml(small), 50), 20)
  line('JUnit render, 15 steps', time(() => renderJunit(small), 50), 10)
  line('HTML render, 50k-line transcript', time(() => renderHtml(big), 3), 2000)
  const dir = mkdtempSync(join(tmpdir(), 'k230-bench-'))
  const ledger = join(dir, 'ledger.csv')
  const perRow = await timeAsync(() => appendLedger(ledger, small), 300)
  line(`ledger append (lock + fsync), ${(1000 / perRow).toFixed(0)} rows/s`, perRow, 50)
  const written = await writeReports(big, dir, ['json', 'html', 'junit'])
  line('verify HTML with 50k-line transcript', await timeAsync(() => verifyFile(written.files.html!), 3), 1000)
  if (findChromium().path) {
    const started = performance.now()
    await writePdf(small, join(dir, 'bench.pdf'))
    line('PDF print (Chromium launch + A4 print)', performance.now() - started, 10_000)
    const long = passingRecord()
    long.transcript = Array.from({ length: 12_000 }, (_, i) => ({ t: i * 5, dir: 'rx' as const, text: `console line ${i} with some ordinary text` }))
    const startedLong = performance.now()
    await writePdf(long, join(dir, 'bench-long.pdf'))
    line('PDF print, 12k-line transcript (5000 printed)', performance.now() - startedLong, 30_000)
  } else console.log('PDF print: skipped, no Chromium found')
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
