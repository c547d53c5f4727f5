/**
 * The EC200A's reset window and ping pacing at time-scale 1 (the demo), as ratios of what the scenario
 * promises: USB off the bus for `resetOffMs` after AT+CFUN=1,1, and one echo request per second.
 * Exits 1 when a ratio is outside 0.95..1.2.
 */
import { createVirtualBoard } from '../src-board/board'
import { loadScenario } from '../src-board/scenarios/index'

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

async function main(): Promise<number> {
  const scenario = loadScenario('healthy')
  const board = createVirtualBoard({ scenario: 'healthy', timeScale: 1, lineRate: false })
  let screen = ''
  board.onData((c) => (screen += Buffer.from(c).toString('latin1')))
  await board.whenReady()
  const fs = board.services.fs
  fs.writeFile('/dev/ttyUSB2', 'AT+CFUN=1,1\r')
  await until(() => !fs.exists('/dev/ttyUSB2'), 5_000)
  const gone = performance.now()
  await until(() => fs.exists('/dev/ttyUSB2'), 30_000)
  const offMs = performance.now() - gone
  const resetRatio = offMs / scenario.modem.resetOffMs
  process.stdout.write(
    `module reset: off the bus ${offMs.toFixed(0)} ms real for ${scenario.modem.resetOffMs} ms promised, ratio ${resetRatio.toFixed(3)}\n`,
  )

  fs.writeFile('/dev/ttyUSB2', 'AT+QNETDEVCTL=3,1,1\r')
  const from = screen.length
  board.write('udhcpc -i usb0 -q; ping -c 5 -I usb0 www.163.com\r')
  await until(() => screen.slice(from).includes('PING www.163.com'), 30_000)
  const t0 = performance.now()
  await until(() => screen.slice(from).includes('round-trip'), 30_000)
  const pingMs = performance.now() - t0
  const pingRatio = pingMs / 4000
  process.stdout.write(
    `ping pacing: 5 packets in ${pingMs.toFixed(0)} ms real for ~4000 ms expected (+ last RTT), ratio ${pingRatio.toFixed(3)}\n`,
  )
  board.close()
  const ok = [resetRatio, pingRatio].every((r) => r >= 0.95 && r <= 1.2)
  return ok ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench/module-reset: ${error instanceof Error ? error.message : String(error)}\n`,
    )
    process.exit(1)
  },
)
