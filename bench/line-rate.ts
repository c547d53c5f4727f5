/**
 * Throughput of the virtual board's console over a real PTY at 115200 baud, as a ratio of the line rate
 * (baud / 10 bytes per second), in both directions. Exits 1 when a ratio is outside 0.9..1.1.
 */
import { createVirtualBoard } from '../src-board/board'
import { createPty } from '../src-board/pty'
import { closeSerial, openSerial, PROMPT, run } from '../test/board-core/harness'

const BAUD = 115200
const LINE_RATE = BAUD / 10

async function main(): Promise<number> {
  const board = createVirtualBoard({ hardware: null, timeScale: 0.01, baud: BAUD, lineRate: true, autoPowerOn: false })
  const pty = await createPty(board)
  const { port, term } = await openSerial(pty.path, BAUD)
  board.powerOn()
  await term.capture.waitFor(PROMPT, 0, 30_000)
  try {
    await run(term, 'seq 1 16000 > /tmp/big; stty cols 1024')
    const outStart = term.capture.text.length
    await term.write('cat /tmp/big\r')
    const first = await term.capture.waitFor('1\r\n2\r\n', outStart, 30_000)
    const t0 = performance.now()
    const end = await term.capture.waitFor('16000\r\n' + PROMPT, first, 60_000)
    const seconds = (performance.now() - t0) / 1000
    const outBytes = end - first
    const outRate = outBytes / seconds
    console.log(`board->host: ${outBytes} bytes in ${seconds.toFixed(3)} s = ${(outRate / 1000).toFixed(2)} KB/s, ratio ${(outRate / LINE_RATE).toFixed(3)} of ${LINE_RATE} B/s`)

    const line = 'y'.repeat(99) + '\r'
    const lines = 200
    const inStart = term.capture.text.length
    await term.write('cat > /dev/null\r')
    await term.capture.waitFor('cat > /dev/null\r\n', inStart)
    const t1 = performance.now()
    const sent = term.write(line.repeat(lines))
    const echoed = await term.capture.waitFor(('y'.repeat(99) + '\r\n').repeat(lines), inStart, 60_000)
    const inSeconds = (performance.now() - t1) / 1000
    await sent
    const inRate = (line.length * lines) / inSeconds
    console.log(`host->board: ${line.length * lines} bytes in ${inSeconds.toFixed(3)} s = ${(inRate / 1000).toFixed(2)} KB/s, ratio ${(inRate / LINE_RATE).toFixed(3)} of ${LINE_RATE} B/s (echo ${echoed - inStart} bytes)`)
    await term.write('\x04')
    await term.capture.waitFor(PROMPT, echoed)
    const ok = [outRate, inRate].every((r) => r / LINE_RATE >= 0.9 && r / LINE_RATE <= 1.1)
    console.log(ok ? 'line rate: within 10% both ways' : 'line rate: OUTSIDE 10%')
    return ok ? 0 : 1
  } finally {
    await closeSerial(port)
    await pty.close()
    board.close()
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
