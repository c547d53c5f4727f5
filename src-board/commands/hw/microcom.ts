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

/** `microcom [-d DELAY] [-t MS] [-s BAUD] [-X] TTY`: BusyBox's terminal to a ttyUSB port; exits after MS ms of silence both ways or on Ctrl-X. */
export function microcomCommand(hw: HwContext): CommandImpl {
  return async (ctx) => {
    const opts = getopt(ctx.argv.slice(1), 'Xd:s:t:')
    const timeoutText = opts.values.get('t')
    const timeout = timeoutText === undefined ? null : parseCount(timeoutText)
    if (
      opts.error ||
      opts.operands.length !== 1 ||
      (timeoutText !== undefined && timeout === null)
    ) {
      if (opts.error) ctx.stderr(`microcom: ${opts.error}\n`)
      else if (timeoutText !== undefined && timeout === null)
        ctx.stderr(`microcom: invalid number '${timeoutText}'\n`)
      ctx.stderr(USAGE)
      return 1
    }
    const path = opts.operands[0]
    const port = portAt(hw, path)
    let handle: PortHandle
    try {
      if (!port) throw new Error('absent')
      handle = port.open()
    } catch {
      ctx.stderr(`microcom: can't open '${path}': No such file or directory\n`)
      return 1
    }
    const special = !opts.flags.has('X')
    const clock = hw.board.clock
    const reader = stdinReader(ctx.stdin)
    return new Promise<number>((resolve) => {
      let finished = false
      let cancelIdle: () => void = () => undefined
      const arm = (): void => {
        if (timeout === null) return
        cancelIdle()
        cancelIdle = clock.setTimer(timeout, () => finish(0))
      }
      const offData = handle.onData((chunk) => {
        if (finished) return
        ctx.stdout(chunk)
        arm()
      })
      const offHangup = handle.onHangup(() => finish(0))
      const onAbort = (): void => finish(signalStatus(ctx.signal))
      ctx.signal.addEventListener('abort', onAbort, { once: true })
      function finish(code: number): void {
        if (finished) return
        finished = true
        cancelIdle()
        offData()
        offHangup()
        ctx.signal.removeEventListener('abort', onAbort)
        reader.stop()
        handle.close()
        resolve(code)
      }
      const pump = async (): Promise<void> => {
        for (;;) {
          const chunk = await reader.next()
          if (finished || chunk === null) return
          arm()
          const stop = special ? chunk.indexOf(CTRL_X) : -1
          const toSend = stop >= 0 ? chunk.subarray(0, stop) : chunk
          try {
            if (toSend.length > 0) handle.write(toSend)
          } catch {
            return finish(1)
          }
          if (stop >= 0) return finish(0)
        }
      }
      arm()
      if (ctx.signal.aborted) return finish(signalStatus(ctx.signal))
      pump().catch(() => finish(1))
    })
  }
}
