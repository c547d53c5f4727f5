import { afterEach, describe, expect, it } from 'vitest'
import { connect, type Console } from '@engine/console'
import { ShellStrategy } from '@engine/session/strategy'
import { SessionError } from '@engine/session/types'
import { busyboxMissing, until } from './helpers/busybox-pty'
import { startBoardPty, type BoardPty } from './helpers/board-pty'

const missing = busyboxMissing()
const open: { pty: BoardPty; c: Console; strategy: ShellStrategy }[] = []

async function start(options: { login?: boolean } = {}) {
  const pty = await startBoardPty({ scenario: 'healthy', seed: 5, ...options })
  const c = await connect({ port: pty.path })
  const strategy = new ShellStrategy(c.session, { timeScale: 0.01 })
  open.push({ pty, c, strategy })
  return { pty, c, strategy }
}

afterEach(async () => {
  for (const { pty, c, strategy } of open.splice(0)) {
    strategy.dispose()
    await c.close()
    await pty.close()
  }
})

describe.skipIf(missing)(`the session's shell strategy over the virtual board on a real PTY${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('unknown -> shell-ready through attach; the power-on banner before the first shell is not a reboot', async () => {
    const { c, strategy } = await start()
    expect(strategy.state).toBe('unknown')
    const reboots: string[] = []
    strategy.onReboot((line) => reboots.push(line))
    strategy.beginWork()
    await strategy.transition('shell-ready')
    expect(strategy.state).toBe('shell-ready')
    expect(strategy.rebootedDuringWork()).toBeUndefined()
    expect(reboots).toEqual([])
    expect(await c.session.run('echo ready')).toMatchObject({ output: 'ready\n', status: 0 })
    await strategy.transition('shell-ready')
    expect(strategy.state).toBe('shell-ready')
  })

  it('a reboot under the work is reported, the shell-losing fault moves to unknown and shell-ready logs in again', async () => {
    const { pty, c, strategy } = await start({ login: true })
    const reboots: string[] = []
    strategy.onReboot((line) => reboots.push(line))
    await strategy.transition('shell-ready')
    strategy.beginWork()
    const run = c.session.run('sleep 30', { timeout: 60_000 })
    pty.board.reboot()
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(SessionError)
    expect((error as SessionError).code).toBe('board-rebooted')
    strategy.failed((error as SessionError).code)
    expect(strategy.state).toBe('unknown')
    await until(() => reboots.length > 0, 30_000, 'the kernel banner of the new boot')
    expect(strategy.rebootedDuringWork()).toMatch(/Linux version/)
    expect(reboots).toHaveLength(1)
    await strategy.transition('shell-ready')
    expect(strategy.state).toBe('shell-ready')
    expect(strategy.rebootedDuringWork()).toBeUndefined()
    expect(await c.session.run('echo back')).toMatchObject({ output: 'back\n', status: 0 })
  })

  it('only shell-losing faults move to unknown; a failed command keeps the shell', async () => {
    const { strategy } = await start()
    await strategy.transition('shell-ready')
    strategy.failed('command-failed')
    expect(strategy.state).toBe('shell-ready')
    for (const code of ['timeout', 'no-prompt', 'kernel-panic', 'board-rebooted']) {
      await strategy.transition('shell-ready')
      strategy.failed(code)
      expect(strategy.state).toBe('unknown')
    }
    await strategy.transition('unknown')
    expect(strategy.state).toBe('unknown')
  })
})
