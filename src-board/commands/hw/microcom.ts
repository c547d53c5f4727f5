import type { CommandImpl } from '../../types'
import { portAt, type HwContext } from '../../hardware/context'
import type { PortHandle } from '../../hardware/serial-port'
import { getopt, parseCount } from './getopt'
import { stdinReader } from './stdin'
import { signalStatus } from './signals'

const USAGE = `BusyBox v1.33.0 (2023-06-21 10:18:42 CST) multi-call binary.

Usage: microcom [-d DELAY] [-t TIMEOUT] [-s SPEED] [-X] TTY

Copy bytes for stdin to TTY and from TTY to stdout

	-d	Wait up to DELAY ms for TTY output before sending every
		next byte to it
	-t	Exit if both stdin and TTY are silent for TIMEOUT ms
	-s	Set serial line to SPEED
	-X	Disable special meaning of NUL and Ctrl-X from stdin
`

const CTRL_X = 0x18
const NUL = 0x00
/** SIGHUP: microcom's status when the device reads EOF/error (microcom.c line 175: `bb_got_signal = SIGHUP`). */
const SIGHUP = 1

/**
 * `microcom [-d DELAY] [-t MS] [-s BAUD] [-X] TTY`, modelled on BusyBox miscutils/microcom.c (mirror/busybox 371fe9f):
 * lock file before the device (lines 79-97), device opened (111) and put raw (117-121), stdin put raw with TCSAFLUSH
 * when it is a tty (125-129: typed-ahead input is dropped), then the poll loop (140): NUL sends a break and Ctrl-X exits
 * unless -X (150-159), each stdin byte is written and, with -d, followed by a wait of up to DELAY ms for device output
 * (160-162), device EOF exits with SIGHUP (173-176), and -t ends it after MS ms with no event on either side (poll's
 * timeout; without -t it waits forever). On the way out the tty is restored with TCSAFLUSH (184-185) and the lock removed (188-189).
 */
export function microcomCommand(hw: HwContext): CommandImpl {
  return async (ctx) => {
    const opts = getopt(ctx.argv.slice(1), 'Xd:s:t:')
    const timeoutText = opts.values.get('t')
    const timeout = timeoutText === undefined ? null : parseCount(timeoutText)
    const delayText = opts.values.get('d')
    const delay = delayText === undefined ? null : parseCount(delayText)
    if (
      opts.error ||
      opts.operands.length !== 1 ||
      (timeoutText !== undefined && timeout === null) ||
      (delayText !== undefined && delay === null)
    ) {
      if (opts.error) ctx.stderr(`microcom: ${opts.error}\n`)
      else if (timeoutText !== undefined && timeout === null)
        ctx.stderr(`microcom: invalid number '${timeoutText}'\n`)
      else if (delayText !== undefined && delay === null)
        ctx.stderr(`microcom: invalid number '${delayText}'\n`)
      ctx.stderr(USAGE)
      return 1
    }
    const path = opts.operands[0]
    const full = path.startsWith('/') ? path : `/dev/${path}`
    const lockFile = `/var/lock/LCK..${full.slice(full.lastIndexOf('/') + 1)}`
    if (hw.locks.has(full)) {
      ctx.stderr(`microcom: can't create '${lockFile}': File exists\n`)
      return 1
    }
    const pid = Math.floor(1000 + hw.board.rng.next() * 8000)
    hw.locks.set(full, pid)
    const unlock = (): void => {
      if (hw.locks.get(full) === pid) hw.locks.delete(full)
    }
    const port = portAt(hw, path)
    let handle: PortHandle
    try {
      if (!port) throw new Error('absent')
      handle = port.open()
    } catch {
      ctx.stderr(`microcom: can't open '${path}': No such file or directory\n`)
      unlock()
      return 1
    }
    const special = !opts.flags.has('X')
    const clock = hw.board.clock
    if (ctx.stdinIsTty) ctx.ttyRaw?.(true, true)
    const reader = stdinReader(ctx.stdin)
    return new Promise<number>((resolve) => {
      let finished = false
      let cancelIdle: () => void = () => undefined
      let deviceSpoke: (() => void) | null = null
      const arm = (): void => {
        if (timeout === null) return
        cancelIdle()
        cancelIdle = clock.setTimer(timeout, () => finish(0))
      }
      const offData = handle.onData((chunk) => {
        if (finished) return
        ctx.stdout(chunk)
        deviceSpoke?.()
        arm()
      })
      const offHangup = handle.onHangup(() => finish(SIGHUP))
      const onAbort = (): void => finish(signalStatus(ctx.signal))
      ctx.signal.addEventListener('abort', onAbort, { once: true })
      function finish(code: number): void {
        if (finished) return
        finished = true
        cancelIdle()
        deviceSpoke?.()
        offData()
        offHangup()
        ctx.signal.removeEventListener('abort', onAbort)
        reader.stop()
        handle.close()
        if (ctx.stdinIsTty) ctx.ttyRaw?.(false, true)
        unlock()
        resolve(code)
      }
      const waitForDevice = (ms: number): Promise<void> =>
        new Promise<void>((done) => {
          const cancel = clock.setTimer(ms, () => {
            deviceSpoke = null
            done()
          })
          deviceSpoke = () => {
            cancel()
            deviceSpoke = null
            done()
          }
        })
      const pump = async (): Promise<void> => {
        for (;;) {
          const chunk = await reader.next()
          if (finished || chunk === null) return
          arm()
          for (const c of chunk) {
            if (finished) return
            if (special && c === NUL) continue
            if (special && c === CTRL_X) return finish(0)
            try {
              handle.write(Uint8Array.of(c))
            } catch {
              return finish(1)
            }
            if (delay !== null) await waitForDevice(delay)
          }
        }
      }
      arm()
      if (ctx.signal.aborted) return finish(signalStatus(ctx.signal))
      pump().catch(() => finish(1))
    })
  }
}
