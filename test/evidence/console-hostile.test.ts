import { describe, expect, it } from 'vitest'
import type { VirtualBoard } from '@board/types'
import { attachOutcome, everyTick, hostileBoard } from './hostile-board'
import { createVirtualBoard } from '@board/board'
import { connect } from '@engine/console'
import { SessionError } from '@engine/session/types'

const heapMb = () => {
  ;(globalThis as { gc?: () => void }).gc?.()
  return process.memoryUsage().heapUsed / 2 ** 20
}

describe('a hostile console: clear errors within the timeout, bounded memory', () => {
  it('a console that never shows a prompt: no-prompt error, within the timeout', async () => {
    const board = hostileBoard('silent', () => undefined)
    const { error } = await attachOutcome(board, 1500)
    expect(error).toBeInstanceOf(SessionError)
    expect((error as SessionError).code).toMatch(/no-prompt|timeout/)
    expect((error as Error).message.length).toBeGreaterThan(10)
  })

  it('a console that only sends random bytes: clear error within the timeout', async () => {
    let seed = 7
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff)
    const board = hostileBoard(
      'random',
      () => undefined,
      (emit) => everyTick(() => emit(Uint8Array.from({ length: 256 }, () => rnd() & 0xff))),
    )
    const { error } = await attachOutcome(board, 1500)
    board.stop()
    expect(error).toBeInstanceOf(SessionError)
    expect((error as Error).message).toMatch(/prompt|garbl|noise|answer|respond|timed out|timeout/i)
  })

  it('a console flooding 64 MB of output: attach gives up within the timeout and the heap stays bounded', async () => {
    const line = Buffer.from(
      '[ 1234.567890] usb 1-1: flooding flooding flooding flooding flooding flooding flooding flooding\r\n'.repeat(
        6400,
      ),
    )
    let sent = 0
    const before = heapMb()
    const board = hostileBoard(
      'flood',
      () => undefined,
      (emit) =>
        everyTick(() => {
          if (sent < 64 * 2 ** 20) {
            emit(line)
            sent += line.length
          }
        }),
    )
    const console = await connect({ board })
    const error = await console.session.attach({ timeout: 3000 }).then(
      () => undefined,
      (e: unknown) => e,
    )
    board.stop()
    const grown = heapMb() - before
    const entries = console.transcript.entries().length
    await console.close()
    expect(error).toBeInstanceOf(SessionError)
    expect(sent, 'the flood did not get going').toBeGreaterThan(4 * 2 ** 20)
    expect(entries, 'the transcript keeps at most its 200,000 entries').toBeLessThanOrEqual(200_000)
    expect(
      grown,
      `heap grew ${grown.toFixed(1)} MB after ${(sent / 2 ** 20).toFixed(0)} MB of output`,
    ).toBeLessThan(256)
  })

  it('a console that stops mid-line: the command times out with a clear error and the text so far is kept', async () => {
    const real = createVirtualBoard({ scenario: 'healthy', timeScale: 0.01, lineRate: false })
    let cut = false
    const board: VirtualBoard = {
      ...real,
      options: real.options,
      services: real.services,
      write: (data) => {
        if (/uname -a/.test(typeof data === 'string' ? data : Buffer.from(data).toString('latin1')))
          cut = true
        real.write(data)
      },
      onData: (l) =>
        real.onData((chunk) => {
          if (!cut) return l(chunk)
          const text = Buffer.from(chunk).toString('latin1')
          const at = text.indexOf('Linux canaan')
          if (at >= 0) l(Buffer.from(text.slice(0, at + 12), 'latin1'))
        }),
      onUnplug: (l) => real.onUnplug(l),
    }
    const console = await connect({ board })
    try {
      await console.session.attach({ timeout: 5000 })
      const outcome = await console.session.run('uname -a', { timeout: 1000 }).then(
        () => 'answered',
        (e: unknown) => e,
      )
      expect(outcome).toBeInstanceOf(SessionError)
      expect((outcome as SessionError).code).toBe('timeout')
      expect((outcome as Error).message).toMatch(/uname/)
      expect(console.transcript.tail(2000)).toContain('Linux canaan')
    } finally {
      await console.close()
      real.close()
    }
  })
})
