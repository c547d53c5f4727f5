import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, type Console } from '@engine/console'
import { AtError, createMicrocomAtChannel, type Urc } from '@engine/at/index'
import { createEc200aHardware, type Ec200aHardwareModel } from '@board/hardware/index'
import { loadScenario } from '@board/scenarios/index'
import { createServices, type Services } from '../../src-services/index'
import { busyboxMissing } from '../engine-session/helpers/busybox-pty'
import { startBoardPty, type BoardPty } from '../engine-session/helpers/board-pty'

const missing = busyboxMissing()
const open: { pty: BoardPty; c?: Console; services?: Services; dir?: string }[] = []

/** A healthy board whose EC200A the test can reach (its hardware model is handed in, as src-board/board.ts `opts.hardware` allows). */
async function start() {
  const hardware = createEc200aHardware(loadScenario('healthy'))
  const pty = await startBoardPty({ scenario: 'healthy', hardware, seed: 3 })
  const entry: (typeof open)[number] = { pty }
  open.push(entry)
  return { pty, hardware, entry }
}

/** The module, with `answer(line, emit)` saying what it answers to one command line instead of the EC200A model (false: the model answers); bytes are held until CR, then echoed. */
function scriptModule(hardware: Ec200aHardwareModel, answer: (line: string, emit: (text: string, atBoardMs: number) => void) => boolean) {
  const hw = hardware.context!
  const modem = hw.modem
  const port = hw.ports.get('/dev/ttyUSB2')!
  const real = modem.receive.bind(modem)
  let held = ''
  modem.receive = (bytes: Uint8Array) => {
    held += Buffer.from(bytes).toString('latin1')
    const cr = held.indexOf('\r')
    if (cr < 0) return
    const line = held.slice(0, cr + 1)
    held = held.slice(cr + 1)
    const emit = (out: string, atBoardMs: number) => void hw.board.clock.setTimer(atBoardMs, () => port.emit(out))
    if (answer(line.trim(), emit)) port.emit(line)
    else real(Buffer.from(line, 'latin1'))
  }
}

/** Polls `read` until `test` passes or `timeoutMs` ends; returns the last value read. */
async function eventually<T>(read: () => Promise<T>, test: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await read()
  while (!test(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25))
    value = await read()
  }
  return value
}

afterEach(async () => {
  for (const e of open.splice(0)) {
    await e.services?.dispose()
    await e.c?.close()
    await e.pty.close()
    if (e.dir) rmSync(e.dir, { recursive: true, force: true })
  }
})

describe.skipIf(missing)(`the AT console through one held microcom, virtual board on a real PTY${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('answers each command on its final result code (OK, +CME ERROR, ERROR) while microcom stays open between them', async () => {
    const { pty, entry } = await start()
    const c = (entry.c = await connect({ port: pty.path }))
    await c.session.attach({ timeout: 30_000 })
    const at = createMicrocomAtChannel(c.session)
    const csq = await at.send('AT+CSQ')
    expect(csq.final?.kind).toBe('ok')
    expect(csq.lines).toEqual(['+CSQ: 31,99'])
    const ati = await at.send('ATI')
    expect(ati.lines).toEqual(['Quectel', 'EC200A', 'Revision: EC200ACNDAR01A10M16'])
    const bad = await at.send('AT+CGDCONT=99')
    expect(bad.final?.kind).toMatch(/error/)
    const again = await at.send('AT+CPIN?')
    expect(again).toMatchObject({ final: { kind: 'ok' }, lines: ['+CPIN: READY'] })
    expect(at.open).toBe(true)
    await at.leave()
  })

  it('an answer that arrives in pieces with an unsolicited code in the middle is one response, the URC reported apart', async () => {
    const { pty, hardware, entry } = await start()
    const c = (entry.c = await connect({ port: pty.path }))
    await c.session.attach({ timeout: 30_000 })
    const at = createMicrocomAtChannel(c.session)
    await at.send('AT')
    scriptModule(hardware, (line, emit) => {
      if (line !== 'AT+CSQ') return false
      emit('\r\n+CS', 20)
      emit('Q: 18,', 60)
      emit('99\r\n\r\n+QIND: "csq",18,99\r\n', 120)
      emit('\r\nO', 200)
      emit('K\r\n', 260)
      return true
    })
    const urcs: Urc[] = []
    at.onUrc((u) => urcs.push(u))
    const r = await at.send('AT+CSQ')
    expect(r.final?.kind).toBe('ok')
    expect(r.lines).toEqual(['+CSQ: 18,99'])
    expect(r.urcs).toHaveLength(1)
    expect(JSON.stringify(r.urcs[0])).toContain('QIND')
    expect(urcs).toEqual(r.urcs)
    await at.leave()
  })

  it('a command the module never answers times out with a message naming it; the console stays usable', async () => {
    const { pty, hardware, entry } = await start()
    const c = (entry.c = await connect({ port: pty.path }))
    await c.session.attach({ timeout: 30_000 })
    const at = createMicrocomAtChannel(c.session)
    await at.send('AT')
    scriptModule(hardware, (line) => line === 'AT+QSILENT')
    const error = await at.send('AT+QSILENT', { timeout: 800 }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(AtError)
    expect((error as AtError).code).toBe('timeout')
    expect((error as AtError).message).toMatch(/AT\+QSILENT: no final result within 800 ms/)
    expect((await at.send('AT+CSQ')).final?.kind).toBe('ok')
    await at.leave()
  })

  it('after leaving (Ctrl-X) the console line is the shell\'s again and the AT port is free', async () => {
    const { pty, hardware, entry } = await start()
    const c = (entry.c = await connect({ port: pty.path }))
    await c.session.attach({ timeout: 30_000 })
    const at = createMicrocomAtChannel(c.session)
    await at.send('AT+CSQ')
    const port = hardware.context!.ports.get('/dev/ttyUSB2')!
    expect(port.openCount).toBe(1)
    await at.leave()
    expect(at.open).toBe(false)
    expect(await c.session.run('echo back-in-the-shell; echo $((6*7))')).toMatchObject({ output: 'back-in-the-shell\n42\n', status: 0 })
    expect(port.openCount).toBe(0)
    expect(hardware.context!.locks.size).toBe(0)
    expect((await at.send('AT+CPIN?')).lines).toEqual(['+CPIN: READY'])
    expect(await c.session.run('true; echo $?')).toMatchObject({ output: '0\n' })
    expect(at.open).toBe(false)
  })

  it('microcom that cannot open the port is reported as the missing port, not as a silent module', async () => {
    const { pty, entry } = await start()
    const c = (entry.c = await connect({ port: pty.path }))
    await c.session.attach({ timeout: 30_000 })
    const at = createMicrocomAtChannel(c.session, { device: '/dev/ttyUSB7' })
    const error = await at.send('AT').then(
      () => null,
      (e: unknown) => e,
    )
    expect((error as AtError).code).toBe('port-missing')
    expect((error as AtError).message).toMatch(/cannot open the AT port \/dev\/ttyUSB7/)
    expect(await c.session.run('echo ok')).toMatchObject({ output: 'ok\n', status: 0 })
  })

  it('services: the AT console answers, typing in the Console leaves microcom and reaches the shell, the AT console comes back', async () => {
    const { pty, entry } = await start()
    const dir = (entry.dir = mkdtempSync(join(tmpdir(), 'k230-at-svc-')))
    const s = (entry.services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), appVersion: 'test', host: 'browser' }))
    await s.handlers['console:open']({ kind: 'port', path: pty.path, baud: 115200 })
    const csq = await s.handlers['at:send']({ command: 'AT+CSQ' })
    expect(csq).toMatchObject({ ok: true, final: 'OK', lines: ['+CSQ: 31,99'] })
    const cpin = await s.handlers['at:send']({ command: 'AT+CPIN?' })
    expect(cpin).toMatchObject({ ok: true, lines: ['+CPIN: READY'] })
    await s.handlers['console:write']({ data: 'echo typed-$((40+2))\n' })
    const transcript = await eventually(() => s.handlers['console:transcript'](undefined), (t) => /typed-42/.test(t), 20_000)
    expect(transcript).toMatch(/typed-42/)
    const ati = await s.handlers['at:send']({ command: 'ATI' })
    expect(ati).toMatchObject({ ok: true, lines: ['Quectel', 'EC200A', 'Revision: EC200ACNDAR01A10M16'] })
    await s.handlers['at:leave'](undefined)
  })
})
