/** File push throughput to the virtual board over a real PTY at 115200 baud with line-rate pacing, as a ratio of the line rate. */
import '../src-services/virtual-boards'
import { randomBytes } from 'node:crypto'
import { connect } from '@engine/console'
import { pushFile } from '@engine/push/index'
import { startBoardPty } from '../test/engine-session/helpers/board-pty'

const BAUD = 115200
const LINE_BYTES_PER_SEC = BAUD / 10
const KiB = 1024
const size = Number(process.env.PUSH_BENCH_KIB ?? 24) * KiB

async function measure(encoding: 'base64' | 'printf', bytes: number, batchBytes?: number): Promise<number> {
  const pty = await startBoardPty({ scenario: 'healthy', seed: 1, baud: BAUD, lineRate: true, timeScale: 0.01 })
  const c = await connect({ port: pty.path, baudRate: BAUD })
  try {
    await c.session.attach({ timeout: 60_000 })
    await pushFile(c.session, '/tmp/warm-up.bin', randomBytes(4 * KiB), { encoding })
    const data = randomBytes(bytes)
    let txBytes = 0
    const off = c.transcript.onEntry((e) => {
      if (e.dir === 'tx') txBytes += Buffer.byteLength(e.text)
    })
    const r = await pushFile(c.session, '/tmp/bench.bin', data, { encoding, batchBytes, force: true })
    off()
    const seconds = r.durationMs / 1000
    const ratio = r.encodedBytes / seconds / LINE_BYTES_PER_SEC
    const wire = txBytes / seconds / LINE_BYTES_PER_SEC
    console.log(
      `${encoding.padEnd(7)} batch ${String(batchBytes ?? 'default').padStart(7)}  ${(bytes / KiB).toFixed(0)} KiB in ${seconds.toFixed(2)} s  ` +
        `${(r.bytesPerSecond / 1000).toFixed(2)} KB/s raw  encoded-stream ratio ${ratio.toFixed(3)} of the line rate  (all bytes sent: ${wire.toFixed(3)})  retries ${r.retries}`,
    )
    return ratio
  } finally {
    await c.close()
    await pty.close()
  }
}

async function main(): Promise<void> {
  console.log(`push throughput, virtual board over a PTY at ${BAUD} baud (line rate ${LINE_BYTES_PER_SEC} B/s), target ratio >= 0.8`)
  const base64 = await measure('base64', size)
  await measure('base64', size, 2304)
  await measure('printf', Math.min(size, 8 * KiB)).catch((error: unknown) => console.log(`printf  fallback not measured: ${error instanceof Error ? error.message : String(error)}`))
  console.log(`push ratio ${base64.toFixed(3)} of the line rate (base64, default batch) — ${base64 >= 0.8 ? 'meets' : 'MISSES'} the 0.8 target`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
