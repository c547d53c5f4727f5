import { afterEach, describe, expect, it } from 'vitest'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { SerialPort } from 'serialport'
import { connect, type Console } from '@engine/console'
import { createMicrocomAtChannel } from '@engine/at/index'
import { busyboxMissing, startBusyBox, until, type BusyBoxPty } from '../engine-session/helpers/busybox-pty'

const missing = busyboxMissing()
const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A scripted module on a second PTY pair: the board's side is `device` (microcom opens it), the module answers each CR-ended line with echo and `answers[line]`. */
async function startModule(dir: string, answers: Record<string, string>): Promise<{ device: string; heard: string[] }> {
  const device = join(dir, `modem${process.pid}`)
  const side = join(dir, 'module-side')
  const socat: ChildProcess = spawn('socat', [`PTY,raw,echo=0,link=${device}`, `PTY,raw,echo=0,link=${side}`], { stdio: 'ignore' })
  await until(() => (existsSync(device) && existsSync(side)) || socat.exitCode !== null, 10_000, 'socat to create the module PTY pair')
  const port = new SerialPort({ path: side, baudRate: 115200 })
  await new Promise<void>((resolve, reject) => port.once('open', resolve).once('error', reject))
  const heard: string[] = []
  let line = ''
  port.on('data', (chunk: Buffer) => {
    for (const ch of chunk.toString('latin1')) {
      if (ch !== '\r') {
        line += ch
        continue
      }
      const command = line.trim()
      line = ''
      if (!command) continue
      heard.push(command)
      port.write(`${command}\r`)
      const answer = answers[command.toUpperCase()]
      if (answer !== undefined) port.write(answer)
    }
  })
  cleanups.push(async () => {
    if (port.isOpen) await new Promise((resolve) => port.close(resolve))
    if (socat.exitCode === null && socat.signalCode === null) {
      const exited = new Promise((resolve) => socat.once('exit', resolve))
      socat.kill('SIGKILL')
      await exited
    }
  })
  return { device, heard }
}

describe.skipIf(missing)(`the held microcom on a real BusyBox shell and BusyBox microcom${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('commands answered on their final result code, Ctrl-X leaves microcom and the shell answers again', async () => {
    const bb: BusyBoxPty = await startBusyBox()
    cleanups.push(() => bb.close())
    symlinkSync(spawnSync('sh', ['-c', 'command -v busybox']).stdout.toString().trim(), join(bb.dir, 'bin', 'microcom'))
    const module = await startModule(bb.dir, {
      AT: '\r\nOK\r\n',
      'AT+CSQ': '\r\n+CSQ: 20,99\r\n\r\nOK\r\n',
      'AT+CPIN?': '\r\n+CME ERROR: 10\r\n',
    })
    const c: Console = await connect({ port: bb.path })
    cleanups.push(() => c.close())
    await c.session.attach({ timeout: 30_000 })
    const at = createMicrocomAtChannel(c.session, { device: module.device })
    const csq = await at.send('AT+CSQ')
    expect(csq).toMatchObject({ final: { kind: 'ok' }, lines: ['+CSQ: 20,99'] })
    const cpin = await at.send('AT+CPIN?')
    expect(cpin.final).toMatchObject({ kind: 'cme-error', code: 10 })
    expect((await at.send('AT+CSQ')).lines).toEqual(['+CSQ: 20,99'])
    await at.leave()
    expect(await c.session.run('echo shell-again; echo $((2+3))')).toMatchObject({ output: 'shell-again\n5\n', status: 0 })
    expect(module.heard.filter((h) => h !== 'AT')).toEqual(['AT+CSQ', 'AT+CPIN?', 'AT+CSQ'])
    expect(existsSync(`/var/lock/LCK..${module.device.split('/').pop()}`)).toBe(false)
  })
})
