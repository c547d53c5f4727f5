/**
 * How long a hostile console keeps the session waiting, as ratios of the timeout it was given
 * (silent console, random bytes, 64 MB flood). Goal: every ratio at most 1.3 (the tests only check
 * the error itself; the wall-clock goal lives here). Exits 1 when a ratio is above the goal.
 */
import { attachOutcome, everyTick, hostileBoard } from '../test/evidence/hostile-board'

const GOAL = 1.3

async function main(): Promise<number> {
  let seed = 7
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff)
  const line = Buffer.from('[ 1234.567890] usb 1-1: flooding flooding flooding flooding flooding flooding\r\n'.repeat(64))
  let sent = 0
  const cases = [
    { name: 'silent console', timeout: 1500, board: hostileBoard('silent', () => undefined) },
    { name: 'random bytes', timeout: 1500, board: hostileBoard('random', () => undefined, (emit) => everyTick(() => emit(Uint8Array.from({ length: 256 }, () => rnd() & 0xff)))) },
    {
      name: '64 MB flood',
      timeout: 3000,
      board: hostileBoard('flood', () => undefined, (emit) =>
        everyTick(() => {
          if (sent < 64 * 2 ** 20) {
            emit(line)
            sent += line.length
          }
        }),
      ),
    },
  ]
  let worst = 0
  for (const c of cases) {
    const { error, ms } = await attachOutcome(c.board, c.timeout)
    c.board.stop()
    const ratio = ms / c.timeout
    worst = Math.max(worst, ratio)
    process.stdout.write(`${c.name}: gave up after ${ms.toFixed(0)} ms of a ${c.timeout} ms timeout, ratio ${ratio.toFixed(2)} (${error ? 'error' : 'no error!'})\n`)
  }
  process.stdout.write(`worst time-to-error ratio ${worst.toFixed(2)} (goal <= ${GOAL})\n`)
  return worst <= GOAL ? 0 : 1
}

main().then((code) => process.exit(code))
