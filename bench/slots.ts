// A station of 1, 2, 4 and 8 virtual slots in REAL time through `k230-bringup run --sim ... --sim ...` (one process,
// one orchestrator, every slot in parallel). Prints, for each station size, units per hour and each slot's wall time
// divided by a lone slot's. Goal: with 4 slots every slot within 1.1x of a lone slot (4 units in the time of one).
// SLOTS=1,2,4,8 TIME_SCALE=1 SCENARIO=healthy override the defaults.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { RunRecord } from '@shared/record'
import { main } from '../src-cli/main'

const sizes = (process.env.SLOTS ?? '1,2,4,8').split(',').map(Number)
const timeScale = process.env.TIME_SCALE ?? '1'
const scenario = process.env.SCENARIO ?? 'healthy'
const GOAL = 1.1

function sink(into: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      into.push(String(chunk))
      done()
    },
  })
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')

async function station(size: number): Promise<{ wallMs: number; slotMs: number[]; verdicts: string[]; code: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-bench-slots-'))
  const out: string[] = []
  const err: string[] = []
  const args = ['run', ...Array.from({ length: size }, () => ['--sim', scenario]).flat(), '--time-scale', timeScale, '--out', dir, '--json']
  const started = performance.now()
  const code = await main(args, { stdout: sink(out), stderr: sink(err), env: { ...process.env, K230_KEY_DIR: join(dir, 'keys') }, cwd: dir })
  const wallMs = performance.now() - started
  const parsed = JSON.parse(out.join('')) as RunRecord | Array<RunRecord | null>
  const records = (Array.isArray(parsed) ? parsed : [parsed]).filter((r): r is RunRecord => r !== null)
  if (records.length !== size) throw new Error(`${size} slots gave ${records.length} records (exit ${code}):\n${err.join('').slice(-2000)}`)
  rmSync(dir, { recursive: true, force: true })
  return { wallMs, slotMs: records.map((r) => Date.parse(r.endedAt ?? r.startedAt) - Date.parse(r.startedAt)), verdicts: records.map((r) => r.verdict), code }
}

async function run(): Promise<void> {
  console.log(`slots bench: scenario ${scenario}, time scale ${timeScale}, station sizes ${sizes.join(', ')}; load average at start ${load()}`)
  let lone: number | undefined
  const worst = new Map<number, number>()
  for (const size of sizes) {
    const r = await station(size)
    lone ??= size === 1 ? r.slotMs[0] : undefined
    const base = lone ?? Math.min(...r.slotMs)
    const ratios = r.slotMs.map((ms) => ms / base)
    worst.set(size, Math.max(...ratios))
    const perHour = (size * 3_600_000) / r.wallMs
    console.log(
      `${size} slot${size > 1 ? 's' : ''}: station wall ${(r.wallMs / 1000).toFixed(1)} s, ${perHour.toFixed(1)} units per hour, verdicts ${[...new Set(r.verdicts)].join('/')} (exit ${r.code}); ` +
        `slot wall / lone slot: ${ratios.map((x) => x.toFixed(3)).join(' ')} (worst ${Math.max(...ratios).toFixed(3)}); load average ${load()}`,
    )
  }
  if (lone) console.log(`lone slot wall time ${(lone / 1000).toFixed(1)} s`)
  for (const size of sizes.filter((s) => s > 1)) {
    const ratio = worst.get(size) as number
    const verdict = size === 4 ? ` (goal <= ${GOAL}: ${ratio <= GOAL ? 'meets' : 'misses'} it)` : ''
    console.log(`${size} slots: worst slot wall time ratio ${ratio.toFixed(3)} of a lone slot${verdict}`)
  }
}

run().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
