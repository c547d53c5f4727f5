import { afterEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { connect, type Console } from '@engine/console'
import { pushFile, PushError } from '@engine/push/index'
import { SessionError } from '@engine/session/types'
import { listScenarios } from '@board/scenarios/index'
import { busyboxMissing, until } from './helpers/busybox-pty'
import { startBoardPty, type BoardPty } from './helpers/board-pty'

const missing = busyboxMissing()
const open: { pty: BoardPty; c: Console }[] = []
const CONSOLE_SCENARIOS = new Set(['reboot-mid-run', 'unplug-mid-transfer', 'noisy-line', 'readonly-rootfs'])
const plainScenarios = listScenarios()
  .map((s) => s.name)
  .filter((name) => !CONSOLE_SCENARIOS.has(name))

async function start(scenario: string, seed = 7) {
  const pty = await startBoardPty({ scenario, seed })
  const c = await connect({ port: pty.path })
  open.push({ pty, c })
  return { pty, c }
}

afterEach(async () => {
  for (const { pty, c } of open.splice(0)) {
    await c.close()
    await pty.close()
  }
})

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex')
const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i)
const fewKb = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) & 0xff)

describe.skipIf(missing)(`engine on the virtual board over a real PTY${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it.each(plainScenarios)('%s: attach, run with exit codes, push and verify files', async (scenario) => {
    const { c } = await start(scenario)
    await c.session.attach({ timeout: 30_000 })
    expect(await c.session.run('echo hello')).toMatchObject({ output: 'hello\n', status: 0 })
    expect((await c.session.run('false')).status).toBe(1)
    expect((await c.session.run('ls /no/such/dir')).status).not.toBe(0)
    for (const [path, data] of [
      ['/tmp/few-kb.bin', fewKb],
      ['/tmp/every byte.bin', everyByte],
    ] as const) {
      const pushed = await pushFile(c.session, path, data)
      expect(pushed.method).toBe('base64')
      const board = await c.session.run(`md5sum <'${path}'`)
      expect(board.output.split(/\s+/)[0]).toBe(md5(data))
    }
  })

  it('dmesg output is not mistaken for a reboot; keepKernelLines keeps it in the output', async () => {
    const { c } = await start('healthy')
    await c.session.attach({ timeout: 30_000 })
    const lifted = await c.session.run('dmesg')
    expect(lifted.status).toBe(0)
    expect(lifted.kernel.some((l) => /Linux version/.test(l))).toBe(true)
    const kept = await c.session.run('dmesg', { keepKernelLines: true })
    expect(kept.output).toMatch(/^\[\s*0\.000000\] Linux version/m)
    expect(kept.output).toMatch(/idVendor=2c7c, idProduct=6005/)
    expect(kept.kernel).toEqual([])
  })

  it('lifts a kernel message printed in the middle of a long output', async () => {
    const { c, pty } = await start('healthy')
    await c.session.attach({ timeout: 30_000 })
    const text = Array.from({ length: 60 }, (_, i) => `line ${i} of the output\n`).join('')
    await pushFile(c.session, '/tmp/long.txt', text)
    const running = c.session.run('cat /tmp/long.txt', { timeout: 20_000 })
    await until(() => c.transcript.tail(4000).includes('line 10 of'), 10_000, 'the output to be flowing')
    pty.board.services.klog('usb 1-1: USB disconnect, device number 2', 0)
    const r = await running
    expect(r.output).toBe(text)
    expect(r.kernel.some((l) => l.includes('USB disconnect'))).toBe(true)
  })

  it('reboot-mid-run: attach rides out the reboot; a reboot during a command is reported as board-rebooted', async () => {
    const { c, pty } = await start('reboot-mid-run')
    await c.session.attach({ timeout: 30_000 })
    for (let i = 0; i < 5; i++) {
      const r = await c.session.run(`echo step${i}`, { timeout: 10_000 }).catch((e: unknown) => e)
      if (r instanceof SessionError) expect(r.code).toBe('board-rebooted')
      else expect(r).toMatchObject({ output: `step${i}\n`, status: 0 })
    }
    await c.session.attach({ timeout: 30_000 })
    const running = c.session.run('sleep 100', { timeout: 30_000 }).catch((e: unknown) => e)
    await until(() => c.transcript.entries().some((e) => e.dir === 'tx' && e.text.includes('sleep 100')), 5000, 'the command to be sent')
    pty.board.reboot()
    const error = await running
    expect(error).toBeInstanceOf(SessionError)
    expect((error as SessionError).code).toBe('board-rebooted')
    await c.session.attach({ timeout: 30_000 })
    expect(await c.session.run('echo back')).toMatchObject({ output: 'back\n', status: 0 })
  })

  it('unplug-mid-transfer: the push fails once with link-lost', async () => {
    const { c } = await start('unplug-mid-transfer')
    await c.session.attach({ timeout: 30_000 })
    const closes: unknown[] = []
    c.link.onClose((e) => closes.push(e))
    const error = await pushFile(c.session, '/tmp/big.bin', new Uint8Array(8192).fill(0x41)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SessionError)
    expect((error as SessionError).code).toBe('link-lost')
    await until(() => closes.length > 0, 5000, 'the link to report the close')
    expect(closes).toHaveLength(1)
  })

  it('readonly-rootfs: a push to /etc fails with a reason and the old file stays', async () => {
    const { c } = await start('readonly-rootfs')
    await c.session.attach({ timeout: 30_000 })
    const before = await c.session.run('md5sum </etc/hostname')
    const error = await pushFile(c.session, '/etc/hostname', 'other\n').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PushError)
    expect((error as PushError).message).toMatch(/\/etc\/hostname/)
    expect((await c.session.run('md5sum </etc/hostname')).output).toBe(before.output)
  })

  it('noisy-line: attach gives up with a message that names the garbled line, in time', async () => {
    const { c } = await start('noisy-line', 3)
    const error = await c.session.attach({ timeout: 8000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SessionError)
    expect((error as SessionError).message).toMatch(/garbles or drops characters/)
  })
})
