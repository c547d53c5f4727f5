import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describePort, watchPorts, type PortWatcher } from '@engine/link/index'
import type { ConsoleState } from '@shared/ipc'
import { ConsoleService } from '../../src-services/console'
import { EventHub, type SlotEventPayloads } from '../../src-services/events'
import { busyboxMissing, startBusyBox, until, type BusyBoxPty } from '../engine-session/helpers/busybox-pty'
import { stampLines, newStampState } from '../../src-renderer/console/timestamps'

const missing = busyboxMissing()
const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

function service(watcher?: PortWatcher): { svc: ConsoleService; events: EventHub<SlotEventPayloads>; states: ConsoleState[]; text: () => string } {
  const events = new EventHub<SlotEventPayloads>()
  const states: ConsoleState[] = []
  let text = ''
  events.on('console:state', (s) => states.push(s))
  events.on('console:data', (t) => (text += t))
  const svc = new ConsoleService(events, mkdtempSync(join(tmpdir(), 'k230-console-journal-')), { timeScale: 0.01 }, () => false, () => false, async () => watcher ?? null)
  cleanup.push(() => svc.close().then(() => undefined))
  return { svc, events, states, text: () => text }
}

describe.skipIf(missing)(`console on a real BusyBox PTY${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('shows port and baud, reconnects by itself when the unplugged adapter comes back, and logs to a file', async () => {
    let bb: BusyBoxPty = await startBusyBox()
    cleanup.push(() => bb.close())
    const path = bb.path
    const watcher = await watchPorts({ list: async () => (existsSync(path) ? [describePort({ path })] : []), pollMs: 20 })
    cleanup.push(() => watcher.close())
    const { svc, states, text } = service(watcher)
    expect(await svc.open({ kind: 'port', path, baud: 115200 })).toMatchObject({ open: true, target: path, baud: 115200 })
    const logDir = mkdtempSync(join(tmpdir(), 'k230-console-log-'))
    const logging = await svc.log(logDir)
    expect(logging.logFile).toMatch(/console-.*\.log$/)
    await expect(svc.sendBreak()).rejects.toMatchObject({ code: 'break-failed', message: expect.stringMatching(/^The break could not be sent: Break on .*console failed: .*ioctl/) })
    await svc.write('echo before-$((20+1))\r')
    await until(() => text().includes('before-21'), 10_000, 'the first echo')

    bb.process.kill('SIGKILL')
    await until(() => states.some((s) => !s.open && s.reconnecting), 10_000, 'the unplug to show as reconnecting')
    expect(svc.current()).toMatchObject({ open: false, target: path, reconnecting: true })
    bb = await startBusyBox({ path })
    await until(() => svc.current().open, 20_000, 'the console to reopen by itself')
    expect(svc.current()).toMatchObject({ open: true, target: path, baud: 115200 })
    expect(svc.current().reconnecting).toBeUndefined()
    await svc.write('\recho after-$((40+2))\r')
    await until(() => text().includes('after-42'), 10_000, 'the echo after the reconnect')

    const stopped = await svc.log(null)
    expect(stopped.logFile).toBeUndefined()
    const logged = readFileSync(logging.logFile as string, 'utf8')
    expect(logged).toContain('before-21')
    expect(logged).toContain('after-42')
  })

  it('a port the system no longer lists counts as unplugged even while the driver says nothing, and comes back when listed again', async () => {
    const bb = await startBusyBox()
    cleanup.push(() => bb.close())
    const path = bb.path
    let listed = true
    const watcher = await watchPorts({ list: async () => (listed && existsSync(path) ? [describePort({ path })] : []), pollMs: 20 })
    cleanup.push(() => watcher.close())
    const { svc, states, text } = service(watcher)
    await svc.open({ kind: 'port', path, baud: 115200 })
    await svc.write('echo listed-$((3+4))\r')
    await until(() => text().includes('listed-7'), 10_000, 'the shell to answer')
    listed = false
    await until(() => states.some((s) => !s.open && s.reconnecting), 10_000, 'the vanished port to show as reconnecting')
    expect(svc.current()).toMatchObject({ open: false, target: path, reconnecting: true, error: expect.stringContaining('no longer listed') })
    listed = true
    await until(() => svc.current().open, 20_000, 'the console to reopen when the port is listed again')
    await svc.write('\recho back-$((5+6))\r')
    await until(() => text().includes('back-11'), 10_000, 'the echo after the port came back')
  })

  it('a close while waiting for the adapter stops the reconnecting', async () => {
    const bb = await startBusyBox()
    cleanup.push(() => bb.close())
    const path = bb.path
    const watcher = await watchPorts({ list: async () => (existsSync(path) ? [describePort({ path })] : []), pollMs: 20 })
    cleanup.push(() => watcher.close())
    const { svc, text } = service(watcher)
    await svc.open({ kind: 'port', path, baud: 115200 })
    await svc.write('echo ready-$((1+1))\r')
    await until(() => text().includes('ready-2'), 10_000, 'the shell to answer before the unplug')
    bb.process.kill('SIGKILL')
    await until(() => !!svc.current().reconnecting, 10_000, 'reconnecting')
    expect(await svc.close()).toMatchObject({ open: false, target: path })
    expect(svc.current().reconnecting).toBeUndefined()
    const back = await startBusyBox({ path })
    cleanup.push(() => back.close())
    await watcher.waitFor((p) => p.path === path, 10_000)
    await until(() => watcher.ports.some((p) => p.path === path), 10_000, 'the watcher to list the port again')
    expect(svc.current()).toMatchObject({ open: false })
    expect(svc.peek()).toBeNull()
  })
})

describe('console tools on the virtual board', () => {
  it('refuses a break with a clear message and does not reconnect a virtual board', async () => {
    const { svc } = service()
    const state = await svc.open({ kind: 'sim', scenario: 'healthy' })
    expect(state).toMatchObject({ open: true, target: 'virtual:healthy' })
    expect(state.baud).toBeUndefined()
    await expect(svc.sendBreak()).rejects.toMatchObject({ code: 'not-supported' })
  })
})

describe('time stamps at line starts', () => {
  it('stamps each line once, across chunk boundaries, and not an empty line end', () => {
    const st = newStampState()
    const at = new Date(2026, 0, 2, 3, 4, 5, 6)
    const out = stampLines('boot\nline', st, at) + stampLines(' two\r\n', st, at) + stampLines('\nx', st, at)
    const stamp = '\x1b[2m[03:04:05.006]\x1b[22m '
    expect(out).toBe(`${stamp}boot\n${stamp}line two\r\n\n${stamp}x`)
  })
})
