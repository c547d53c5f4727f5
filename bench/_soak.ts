// Soak core shared by `npm run soak` (bench/soak.ts) and the CI test (test/evidence/soak.test.ts):
// units back to back on the virtual board through one services instance, as the app drives them.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunSnapshot } from '@shared/ipc'
import { readLedger } from '@engine/report/index'
import { createServices } from '../src-services/index'

/** One sample taken after a unit finished. */
export interface SoakSample {
  unit: number
  rssMb: number
  heapMb: number
  /** Memory of ArrayBuffers and other objects outside the JS heap (Buffers, TextDecoder state). */
  externalMb: number
  handles: number
  fds: number
  ms: number
}

/** What a soak found. */
export interface SoakResult {
  units: number
  samples: SoakSample[]
  verdicts: Record<string, number>
  failed: { serial: string; verdict: string; first?: string }[]
  ledgerRows: number
  ledgerSerialsMissing: string[]
  ledgerAltered: number
  wallMs: number
  resultsDir: string
}

/** Options of soak(). */
export interface SoakOptions {
  units: number
  timeScale?: number
  scenario?: string
  onUnit?: (sample: SoakSample) => void
  keepDir?: boolean
  /** Stops after the unit in flight (the result then covers the units done). */
  signal?: AbortSignal
}

const gc = (globalThis as { gc?: () => void }).gc

function fdCount(): number {
  try {
    return readdirSync('/proc/self/fd').length
  } catch {
    return -1
  }
}

/** Takes one memory/handle sample (after a GC when the process was started with --expose-gc). */
export function sample(unit: number, ms: number): SoakSample {
  gc?.()
  const m = process.memoryUsage()
  return {
    unit,
    rssMb: m.rss / 2 ** 20,
    heapMb: m.heapUsed / 2 ** 20,
    externalMb: m.external / 2 ** 20,
    handles: process.getActiveResourcesInfo().length,
    fds: fdCount(),
    ms,
  }
}

/** Least-squares slope of `value` per unit over the samples. */
export function slope(samples: SoakSample[], value: (s: SoakSample) => number): number {
  const n = samples.length
  if (n < 2) return 0
  const mx = samples.reduce((a, s) => a + s.unit, 0) / n
  const my = samples.reduce((a, s) => a + value(s), 0) / n
  let num = 0
  let den = 0
  for (const s of samples) {
    num += (s.unit - mx) * (value(s) - my)
    den += (s.unit - mx) ** 2
  }
  return den ? num / den : 0
}

/** Median of a metric over the samples. */
export function median(samples: SoakSample[], value: (s: SoakSample) => number): number {
  const v = samples.map(value).sort((a, b) => a - b)
  return v.length ? v[Math.floor(v.length / 2)] : 0
}

function waitForRunEnd(
  services: ReturnType<typeof createServices>,
  timeoutMs: number,
): Promise<RunSnapshot> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`a unit did not finish within ${timeoutMs} ms`))
    }, timeoutMs)
    const off = services.events.on('run:update', (snapshot) => {
      if (snapshot.running || !snapshot.record || snapshot.record.verdict === 'running') return
      clearTimeout(timer)
      off()
      resolve(snapshot)
    })
  })
}

/** Runs `units` units back to back (console opened per unit, as when boards are swapped) and checks the ledger. */
export async function soak(options: SoakOptions): Promise<SoakResult> {
  const root = mkdtempSync(join(tmpdir(), 'k230-soak-'))
  const resultsDir = join(root, 'results')
  const services = createServices({
    dataDir: join(root, 'data'),
    resultsDir,
    simTimeScale: options.timeScale ?? 0.02,
    appVersion: '0.0.0-soak',
    host: 'browser',
  })
  const scenario = options.scenario ?? 'healthy'
  const samples: SoakSample[] = []
  const verdicts: Record<string, number> = {}
  const failed: SoakResult['failed'] = []
  const serials: string[] = []
  const started = performance.now()
  try {
    await services.handlers['settings:set']({ scenario, operator: 'soak-op' })
    for (let unit = 1; unit <= options.units && !options.signal?.aborted; unit++) {
      const t0 = performance.now()
      const serial = `SOAK-${String(unit).padStart(5, '0')}`
      serials.push(serial)
      await services.handlers['console:open']({ kind: 'sim', scenario })
      const done = waitForRunEnd(services, 120_000)
      await services.handlers['run:start']({ serial })
      const snapshot = await done
      const record = snapshot.record
      const verdict = record?.verdict ?? 'none'
      verdicts[verdict] = (verdicts[verdict] ?? 0) + 1
      if (verdict !== 'pass')
        failed.push({ serial, verdict, first: record?.steps.find((s) => s.verdict !== 'pass')?.id })
      await waitUntilStored(services, serial)
      await services.handlers['console:close'](undefined)
      const s = sample(unit, performance.now() - t0)
      samples.push(s)
      options.onUnit?.(s)
    }
    const ledger = await readLedger(join(resultsDir, 'ledger.csv'))
    const inLedger = new Set(ledger.rows.map((r) => r.serial))
    return {
      units: samples.length,
      samples,
      verdicts,
      failed,
      ledgerRows: ledger.rows.length,
      ledgerSerialsMissing: serials.filter((s) => !inLedger.has(s)),
      ledgerAltered: ledger.alteredLines.length,
      wallMs: performance.now() - started,
      resultsDir,
    }
  } finally {
    await services.dispose()
    if (!options.keepDir) rmSync(root, { recursive: true, force: true })
  }
}

async function waitUntilStored(
  services: ReturnType<typeof createServices>,
  serial: string,
): Promise<void> {
  const deadline = performance.now() + 30_000
  for (;;) {
    if (
      (await services.handlers['reports:list']({ query: serial, includeSimulated: true })).some((e) => e.serial === serial)
    )
      return
    if (performance.now() > deadline)
      throw new Error(`the record of ${serial} never reached the results index`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
