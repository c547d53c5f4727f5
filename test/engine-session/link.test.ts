import { afterEach, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SerialPort } from 'serialport'
import { LinkLostError, openSerialLink, openVirtualLink, describePort, normalizePortPath, interfaceNumber, watchPorts, type PortInfo } from '@engine/link/index'
import { connect } from '@engine/console'
import { createVirtualBoard } from '@board/board'
import { busyboxMissing, until } from './helpers/busybox-pty'

const missing = busyboxMissing()
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function ptyPair(): Promise<{ a: string; b: string; socat: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-link-'))
  const a = join(dir, 'a')
  const b = join(dir, 'b')
  const socat = spawn('socat', [`PTY,raw,echo=0,link=${a}`, `PTY,raw,echo=0,link=${b}`], { stdio: 'ignore' })
  cleanups.push(async () => {
    if (socat.exitCode === null && socat.signalCode === null) {
      const exited = new Promise((r) => socat.once('exit', r))
      socat.kill('SIGKILL')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  })
  await until(() => existsSync(a) && existsSync(b), 10_000, 'the PTY pair')
  return { a, b, socat }
}

describe.skipIf(missing)('serial link over a real PTY', () => {
  it('moves bytes both ways and reports an unplug exactly once as LinkLostError', async () => {
    const { a, b, socat } = await ptyPair()
    const link = await openSerialLink({ path: a, baudRate: 115200 })
    const peer = new SerialPort({ path: b, baudRate: 115200 })
    await new Promise((r) => peer.once('open', r))
    cleanups.push(() => new Promise<void>((r) => (peer.isOpen ? peer.close(() => r()) : r())))
    let received = Buffer.alloc(0)
    peer.on('data', (d: Buffer) => (received = Buffer.concat([received, d])))
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    await link.write(all)
    await until(() => received.length >= 256, 5000, 'the peer to receive 256 bytes')
    expect(received.equals(Buffer.from(all))).toBe(true)

    let got = ''
    link.onData((c) => (got += Buffer.from(c).toString('latin1')))
    peer.write('hello from the board')
    await until(() => got === 'hello from the board', 5000, 'the link to receive')

    const closes: unknown[] = []
    link.onClose((e) => closes.push(e))
    peer.on('error', () => undefined)
    socat.kill('SIGKILL')
    await until(() => closes.length > 0, 20_000, 'the unplug to surface')
    await expect(link.write('x')).rejects.toBeInstanceOf(LinkLostError)
    await new Promise((r) => setImmediate(r))
    expect(closes).toHaveLength(1)
    expect(closes[0]).toBeInstanceOf(LinkLostError)
    expect(link.isOpen).toBe(false)
  })

  it('closes quietly when asked, and names the port when it cannot open', async () => {
    const { a } = await ptyPair()
    const link = await openSerialLink({ path: a })
    const closes: unknown[] = []
    link.onClose((e) => closes.push(e ?? 'clean'))
    await link.close()
    await until(() => closes.length === 1, 2000, 'the close event')
    expect(closes).toEqual(['clean'])
    await expect(openSerialLink({ path: '/dev/does-not-exist-k230' })).rejects.toThrow(/\/dev\/does-not-exist-k230/)
    await expect(openSerialLink({ path: a, baudRate: -5 })).rejects.toThrow(/baud/)
    await expect(openSerialLink({ path: '  ' })).rejects.toThrow(/empty/)
  })
})

describe('virtual link and connect()', () => {
  it('connect({ sim }) starts a board, attaches and restores the console on detach', async () => {
    const c = await connect({ sim: { scenario: 'healthy', timeScale: 0.01, seed: 2 } })
    cleanups.push(() => c.close())
    await c.session.attach({ timeout: 30_000 })
    expect(await c.session.run('echo sim')).toMatchObject({ output: 'sim\n', status: 0 })
    expect((await c.session.run('cat /proc/sys/kernel/printk')).output.split(/\s+/)[0]).toBe('1')
    await c.session.detach()
    await c.session.attach({ timeout: 30_000 })
    expect(c.session.state).toBe('ready')
  })

  it('surfaces the board being unplugged once as LinkLostError', async () => {
    const board = createVirtualBoard({ timeScale: 0.01 })
    cleanups.push(() => board.close())
    const link = openVirtualLink(board)
    const closes: unknown[] = []
    link.onClose((e) => closes.push(e))
    board.unplug()
    board.unplug()
    await until(() => closes.length > 0, 2000, 'the unplug')
    expect(closes).toHaveLength(1)
    expect(closes[0]).toBeInstanceOf(LinkLostError)
    await expect(link.write('x')).rejects.toBeInstanceOf(LinkLostError)
  })
})

describe('port listing', () => {
  it('names the common USB-serial bridges and the EC200A interfaces', () => {
    expect(describePort({ path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', serialNumber: 'A1' })).toMatchObject({ friendlyName: 'WCH CH340', usbId: '1a86:7523', kind: 'bridge', serialNumber: 'A1' })
    expect(describePort({ path: 'COM5', vendorId: '10C4', productId: 'EA60' }).friendlyName).toBe('Silicon Labs CP210x')
    expect(describePort({ path: '/dev/ttyUSB1', vendorId: '0403', productId: '6010' }).friendlyName).toBe('FTDI FT2232')
    expect(describePort({ path: '/dev/ttyUSB3', vendorId: '067b', productId: '2303' }).friendlyName).toBe('Prolific PL2303')
    expect(describePort({ path: '/dev/ttyACM0', vendorId: '1a86', productId: '55d3' }).friendlyName).toBe('WCH CH343')
    const at = describePort({ path: '/dev/ttyUSB2', vendorId: '2c7c', productId: '6005', pnpId: 'usb-Android_Android_0000-if04-port0' })
    expect(at).toMatchObject({ kind: 'modem', interface: 4 })
    expect(at.friendlyName).toMatch(/EC200A.*AT commands/)
    expect(describePort({ path: 'COM9', vendorId: '2c7c', productId: '6005', pnpId: 'USB\\VID_2C7C&PID_6005&MI_02\\6&1' }).friendlyName).toMatch(/DM/)
    expect(describePort({ path: '/dev/ttyS0' })).toMatchObject({ friendlyName: '/dev/ttyS0', kind: 'other', usbId: undefined })
    expect(describePort({ path: '/dev/ttyX', vendorId: 'zz', productId: '1' }).usbId).toBeUndefined()
  })

  it('accepts Windows COM names in any spelling', () => {
    expect(normalizePortPath('com12')).toBe('COM12')
    expect(normalizePortPath('\\\\.\\COM12')).toBe('COM12')
    expect(normalizePortPath(' /dev/ttyUSB0 ')).toBe('/dev/ttyUSB0')
    expect(interfaceNumber(undefined)).toBeUndefined()
  })

  it('reports ports appearing and disappearing, and degrades to polling where USB cannot be read', async () => {
    let ports: PortInfo[] = []
    const ch340 = describePort({ path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', serialNumber: 'S1' })
    const watcher = await watchPorts({ list: async () => ports, pollMs: 20 })
    cleanups.push(() => watcher.close())
    expect(['usb-events', 'polling']).toContain(watcher.mode)
    const changes: { added: string[]; removed: string[] }[] = []
    watcher.onChange((c) => changes.push({ added: c.added.map((p) => p.path), removed: c.removed.map((p) => p.path) }))
    const appeared = watcher.waitFor((p) => p.serialNumber === 'S1', 5000)
    ports = [ch340]
    expect((await appeared).path).toBe('/dev/ttyUSB0')
    ports = []
    await until(() => changes.length === 2, 5000, 'the removal')
    expect(changes).toEqual([
      { added: ['/dev/ttyUSB0'], removed: [] },
      { added: [], removed: ['/dev/ttyUSB0'] },
    ])
    await expect(watcher.waitFor((p) => p.path === 'never', 50)).rejects.toThrow(/No matching port/)
  })
})
