// Whole bring-up on the virtual board in REAL time, divided by the board's own waits (module reset, boot/attach,
import '../src-services/virtual-boards'
// dial, DHCP, ping, pppd, the reference scripts' sleeps). Target: ratio <= 1.1. Prints the ratio.
import { createVirtualBoard } from '@board/board'
import type { Clock } from '@board/types'
import { connect } from '@engine/console'
import { checklistBoardFor } from '@engine/checklist/index'
import { runBringup } from '@engine/bringup/index'
import { resolveProfile } from '@engine/profile/index'

const INHERENT = /src-board[\\/](hardware[\\/]|board\.ts|commands[\\/]hw[\\/](udhcpc|ping|pppd|chat)\.ts|commands[\\/]core[\\/]system\.ts)/
const EXCLUDED = /commands[\\/]hw[\\/]microcom\.ts/

/** After RDY the EC200A model searches for the network this long (board ms) before it registers again. */
const REGISTRATION_SETTLE_MS = 2000

interface Interval {
  start: number
  end?: number
}

/** Wraps the board clock so every wait started by the board's own models is recorded as a real-time interval. */
function instrument(clock: Clock): Interval[] {
  const intervals: Interval[] = []
  const inherent = (): boolean => {
    const stack = new Error().stack ?? ''
    return INHERENT.test(stack) && !EXCLUDED.test(stack)
  }
  const sleep = clock.sleep.bind(clock)
  const setTimer = clock.setTimer.bind(clock)
  Object.assign(clock, {
    sleep(ms: number, signal?: AbortSignal) {
      if (!inherent()) return sleep(ms, signal)
      const interval: Interval = { start: performance.now() }
      intervals.push(interval)
      return sleep(ms, signal).finally(() => (interval.end = performance.now()))
    },
    setTimer(ms: number, fn: () => void) {
      if (/announceReady/.test(new Error().stack ?? '')) intervals.push({ start: performance.now(), end: performance.now() + REGISTRATION_SETTLE_MS * clock.timeScale })
      if (!inherent()) return setTimer(ms, fn)
      const interval: Interval = { start: performance.now() }
      intervals.push(interval)
      const cancel = setTimer(ms, () => {
        interval.end = performance.now()
        fn()
      })
      return () => {
        interval.end ??= performance.now()
        cancel()
      }
    },
  })
  return intervals
}

function unionMs(intervals: Interval[], from: number, to: number): number {
  const spans = intervals
    .map((i) => [Math.max(from, i.start), Math.min(to, i.end ?? to)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0])
  let total = 0
  let [curStart, curEnd] = [-1, -1]
  for (const [a, b] of spans) {
    if (a > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart
      ;[curStart, curEnd] = [a, b]
    } else curEnd = Math.max(curEnd, b)
  }
  if (curEnd > curStart) total += curEnd - curStart
  return total
}

async function main(): Promise<void> {
  const timeScale = Number(process.env.TIME_SCALE ?? 1)
  const scenario = process.env.SCENARIO ?? 'healthy'
  const profile = resolveProfile(undefined)
  const board = createVirtualBoard({ scenario, timeScale, autoPowerOn: false })
  const intervals = instrument(board.services.clock)
  const started = performance.now()
  board.powerOn()
  const console = await connect({ board, secrets: [profile.password] })
  const { record } = await runBringup({ board: checklistBoardFor(console, timeScale), profile, appVersion: 'bench', unitSerial: 'BENCH', outputs: [] })
  const ended = performance.now()
  await console.close()
  board.close()
  const wall = ended - started
  const waits = unionMs(intervals, started, ended)
  const toPerf = (iso: string): number => Date.parse(iso) - performance.timeOrigin
  for (const step of record.steps) {
    const a = step.attempts.at(-1)
    const own = a ? unionMs(intervals, toPerf(a.startedAt), toPerf(a.endedAt)) : 0
    process.stdout.write(`${step.id.padEnd(11)} ${step.verdict.padEnd(7)} ${((a?.durationMs ?? 0) / 1000).toFixed(2)} s, board waits ${(own / 1000).toFixed(2)} s ${step.verdict === 'pass' ? '' : (a?.reason ?? '')}\n`)
  }
  process.stdout.write(`scenario ${scenario}, time scale ${timeScale}, verdict ${record.verdict}\n`)
  process.stdout.write(`wall time ${(wall / 1000).toFixed(2)} s, board's own waits ${(waits / 1000).toFixed(2)} s\n`)
  process.stdout.write(`ratio wall/waits ${(wall / waits).toFixed(3)} (target <= 1.1)\n`)
  process.exit(record.verdict === 'pass' ? 0 : 1)
}

void main()
