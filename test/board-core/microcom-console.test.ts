import { afterEach, describe, expect, it } from 'vitest'
import type { VirtualBoardHandle } from '@board/board'
import { createEc200aHardware, type Ec200aHardwareModel } from '@board/hardware/index'
import { loadScenario } from '@board/scenarios/index'
import { PROMPT, startBoard, type Terminal } from './harness'

/**
 * microcom on the board's own console, as BusyBox miscutils/microcom.c (mirror/busybox 371fe9f) behaves there:
 * stdin is a tty, so it is put raw with TCSAFLUSH (lines 125-129) and restored with TCSAFLUSH (184-185); ISIG is
 * cleared (line 37), so Ctrl-C is a byte for the module; Ctrl-X exits with status 0 (157-158); the lock file
 * /var/lock/LCK..ttyUSB2 refuses a second opener (82-86).
 */
describe('microcom on the console of the in-process board (modelled on BusyBox microcom.c)', () => {
  let board: VirtualBoardHandle | undefined
  afterEach(() => board?.close())

  async function start(): Promise<{ term: Terminal; hardware: Ec200aHardwareModel; heard: () => string }> {
    const hardware = createEc200aHardware(loadScenario('healthy'))
    const started = await startBoard({ scenario: 'healthy', hardware, login: false })
    board = started.board
    await started.term.capture.waitFor(PROMPT, 0, 30_000)
    const modem = hardware.context!.modem
    const real = modem.receive.bind(modem)
    let heard = ''
    modem.receive = (bytes: Uint8Array) => {
      heard += Buffer.from(bytes).toString('latin1')
      real(bytes)
    }
    return { term: started.term, hardware, heard: () => heard }
  }

  it('drops input typed before it took the console (TCSAFLUSH), passes Ctrl-C to the module, exits on Ctrl-X with status 0', async () => {
    const { term, hardware, heard } = await start()
    await term.write('microcom -s 115200 /dev/ttyUSB2\rATI\r')
    const port = hardware.context!.ports.get('/dev/ttyUSB2')!
    const deadline = Date.now() + 10_000
    while (port.openCount === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(port.openCount).toBe(1)
    let from = term.capture.text.length
    await term.write('AT+CSQ\r')
    await term.capture.waitFor('OK\r\n', from, 10_000)
    expect(heard()).not.toContain('ATI')
    expect(term.capture.text.slice(from)).toBe('AT+CSQ\r\r\n+CSQ: 31,99\r\n\r\nOK\r\n')
    await term.write('\x03')
    const deadline2 = Date.now() + 10_000
    while (!heard().includes('\x03') && Date.now() < deadline2) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(heard()).toContain('\x03')
    expect(port.openCount).toBe(1)
    from = term.capture.text.length
    await term.write('\x18')
    await term.capture.waitFor(PROMPT, from, 10_000)
    expect(port.openCount).toBe(0)
    from = term.capture.text.length
    await term.write('echo status=$?\r')
    await term.capture.waitFor(PROMPT, from + 1, 10_000)
    expect(term.capture.text.slice(from)).toContain('status=0\r\n')
  })

  it('a second microcom on a locked port says the lock file exists and exits 1', async () => {
    const { term, hardware } = await start()
    hardware.context!.locks.set('/dev/ttyUSB2', 4242)
    const from = term.capture.text.length
    await term.write('microcom -t 100 -s 115200 /dev/ttyUSB2; echo status=$?\r')
    await term.capture.waitFor('status=', from, 10_000)
    await term.capture.waitFor(PROMPT, from + 1, 10_000)
    const out = term.capture.text.slice(from)
    expect(out).toContain("microcom: can't create '/var/lock/LCK..ttyUSB2': File exists")
    expect(out).toContain('status=1')
  })
})
