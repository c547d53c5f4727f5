// `npm run soak [-- --units N] [--time-scale X]`: N units (default 1,000) back to back on the virtual board through one
// services instance; prints memory/handles first/last/max and slopes, judges them flat over the second half, ledger completeness, failures and the wall time.
import { median, slope, soak, type SoakSample } from './_soak'

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0) return fallback
  const value = Number(process.argv[i + 1])
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`soak: --${name} needs a positive number, got '${process.argv[i + 1] ?? ''}'`)
    process.exit(2)
  }
  return value
}

const units = Math.floor(flag('units', 1000))
/** What "flat" means over the second half of a soak: least-squares slopes per 100 units, handle and fd growth from the first to the last quarter. */
const FLAT = { heapMbPer100: 1, rssMbPer100: 5, handles: 2, fds: 2 }
const timeScale = flag('time-scale', 0.02)
console.log(
  `soak: ${units} units, time scale ${timeScale}, Node ${process.version}, gc ${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'exposed' : 'not exposed'}`,
)
async function main(): Promise<void> {
  const stop = new AbortController()
  process.once('SIGINT', () => {
    console.log('soak: interrupted, finishing the unit in flight and reporting the units done')
    stop.abort()
  })
  const result = await soak({
    units,
    timeScale,
    signal: stop.signal,
    onUnit: (s) => {
      if (s.unit === 1 || s.unit % Math.max(1, Math.floor(units / 20)) === 0)
        console.log(
          `unit ${s.unit}: ${s.ms.toFixed(0)} ms, rss ${s.rssMb.toFixed(1)} MB, heap ${s.heapMb.toFixed(1)} MB, handles ${s.handles}, fds ${s.fds}`,
        )
    },
  })
  const warm = result.samples.slice(Math.min(10, Math.floor(result.samples.length / 4)))
  const row = (name: string, v: (s: SoakSample) => number, unit: string) => {
    const first = v(warm[0])
    const last = v(warm[warm.length - 1])
    const max = Math.max(...warm.map(v))
    console.log(
      `${name}: first ${first.toFixed(1)} ${unit}, last ${last.toFixed(1)} ${unit}, max ${max.toFixed(1)} ${unit}, median ${median(warm, v).toFixed(1)} ${unit}, slope ${(slope(warm, v) * 100).toFixed(3)} ${unit} per 100 units`,
    )
  }
  row('rss', (s) => s.rssMb, 'MB')
  row('heap', (s) => s.heapMb, 'MB')
  row('external', (s) => s.externalMb, 'MB')
  row('handles', (s) => s.handles, '')
  row('fds', (s) => s.fds, '')
  const later = result.samples.filter((s) => s.unit > result.units / 2)
  const quarter = Math.max(1, Math.floor(warm.length / 4))
  const grows = (v: (s: SoakSample) => number) => Math.max(...warm.slice(-quarter).map(v)) - Math.max(...warm.slice(0, quarter).map(v))
  const flat = {
    heap: slope(later, (s) => s.heapMb) * 100,
    rss: slope(later, (s) => s.rssMb) * 100,
    handles: grows((s) => s.handles),
    fds: grows((s) => s.fds),
  }
  const memoryFlat = flat.heap < FLAT.heapMbPer100 && flat.rss < FLAT.rssMbPer100 && flat.handles <= FLAT.handles && flat.fds <= FLAT.fds
  console.log(
    `second half (units ${later[0]?.unit ?? '-'}-${later.at(-1)?.unit ?? '-'}): heap slope ${flat.heap.toFixed(3)} MB per 100 units (limit ${FLAT.heapMbPer100}), rss slope ${flat.rss.toFixed(3)} MB per 100 units (limit ${FLAT.rssMbPer100}); last quarter vs first quarter: handles ${flat.handles >= 0 ? '+' : ''}${flat.handles} (limit +${FLAT.handles}), fds ${flat.fds >= 0 ? '+' : ''}${flat.fds} (limit +${FLAT.fds}): ${memoryFlat ? 'flat' : 'NOT flat'}`,
  )
  for (const s of result.samples.filter((x) => x.unit % Math.max(1, Math.floor(units / 10)) === 0))
    console.log(`  unit ${s.unit}: heap ${s.heapMb.toFixed(1)} MB, external ${s.externalMb.toFixed(1)} MB, rss ${s.rssMb.toFixed(1)} MB, handles ${s.handles}, fds ${s.fds}`)
  const perUnit = result.samples.map((s) => s.ms).sort((a, b) => a - b)
  console.log(
    `time per unit: median ${perUnit[Math.floor(perUnit.length / 2)].toFixed(0)} ms, max ${perUnit[perUnit.length - 1].toFixed(0)} ms; whole soak ${(result.wallMs / 60000).toFixed(1)} min`,
  )
  console.log(
    `verdicts: ${JSON.stringify(result.verdicts)}; ledger rows ${result.ledgerRows}/${result.units} (of ${units} asked), missing ${result.ledgerSerialsMissing.length}, altered ${result.ledgerAltered}`,
  )
  for (const f of result.failed.slice(0, 10))
    console.log(`failed: ${f.serial} ${f.verdict} at ${f.first ?? '?'}`)
  const ok =
    memoryFlat &&
    result.units === units &&
    result.failed.length === 0 &&
    result.ledgerRows === result.units &&
    result.ledgerSerialsMissing.length === 0 &&
    result.ledgerAltered === 0
  console.log(ok ? 'soak: ok' : 'soak: FAILED')
  process.exit(ok ? 0 : 1)
}

main().catch((error: unknown) => {
  console.error(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exit(1)
})
