import { afterEach, describe, expect, it } from 'vitest'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClock } from '@board/clock'
import { loadScenario } from '@board/scenarios/index'
import { createModemNv, Ec200aModem } from '@board/hardware/modem/ec200a'
import { writeSdkOverlay } from '@engine/sdk-overlay/index'

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0
const chatBinary = ['/usr/sbin/chat', '/usr/bin/chat'].find((p) => existsSync(p))
const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setImmediate(r))
  }
}

/** The virtual board's EC200A on a real pseudo-terminal, as a module's AT port would be. */
async function modemOnPty(scenario: string) {
  const dir = mkdtempSync(join(tmpdir(), 'k230-modem-'))
  const link = join(dir, 'ttyUSB2')
  const socat = spawn('socat', [`PTY,raw,echo=0,link=${link}`, 'STDIO'], { stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(socat)
  const s = loadScenario(scenario)
  const modem = new Ec200aModem(s.modem, createModemNv(s.modem), {
    clock: createClock(0.01),
    emit: (text) => socat.stdin!.write(Buffer.from(text, 'latin1')),
    usbDetach: () => {},
    usbAttach: () => {},
    dataCall: () => {},
  })
  socat.stdout!.on('data', (chunk: Buffer) => modem.receive(chunk))
  await waitFor(() => existsSync(link), 'the modem PTY')
  return { link, modem }
}

function runChat(script: string, tty: string) {
  return new Promise<{ code: number | null; log: string }>((resolve) => {
    const chat = spawn('sh', ['-c', `exec "$0" -s -v -t 10 -f "$1" <"$2" >"$2"`, chatBinary!, script, tty], { stdio: ['ignore', 'ignore', 'pipe'] })
    children.push(chat)
    let log = ''
    chat.stderr!.on('data', (b: Buffer) => (log += b.toString()))
    chat.on('close', (code) => resolve({ code, log }))
  })
}

describe.skipIf(!has('socat') || !chatBinary)('the overlay’s chat script under Debian’s real chat', () => {
  it('reaches CONNECT against the virtual board’s EC200A over a PTY', async () => {
    const out = mkdtempSync(join(tmpdir(), 'k230-overlay-'))
    writeSdkOverlay(out, { device: '/dev/ttyUSB2', apn: 'CMNET', user: 'test', password: 'test' })
    const { link, modem } = await modemOnPty('healthy')
    const result = await runChat(join(out, 'board/common/post_copy_rootfs/etc/ppp/peers/quectel-chat-connect'), link)
    expect(result.log).toContain('CONNECT')
    expect(result.log).toMatch(/AT\+CGDCONT=1,"IP","CMNET",,0,0/)
    expect(result.code).toBe(0)
    expect(modem.inDataMode).toBe(true)
  })

  it('stops at the SIM check’s ERROR abort when the module has no SIM', async () => {
    const out = mkdtempSync(join(tmpdir(), 'k230-overlay-'))
    writeSdkOverlay(out, { device: '/dev/ttyUSB2', apn: 'CMNET', user: 'test', password: 'test' })
    const { link, modem } = await modemOnPty('no-sim')
    const result = await runChat(join(out, 'board/common/post_copy_rootfs/etc/ppp/peers/quectel-chat-connect'), link)
    expect(result.log).toContain('+CME ERROR')
    expect(result.log).toContain('Failed (ERROR)')
    const abortedOnFourthAbortString = 4 + 3
    expect(result.code).toBe(abortedOnFourthAbortString)
    expect(modem.inDataMode).toBe(false)
  })
})
