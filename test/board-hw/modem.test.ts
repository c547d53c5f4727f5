import { describe, expect, it } from 'vitest'
import { createStubBoard, waitUntil, type StubBoard } from './stub-board'
import type { PortHandle } from '@board/hardware/serial-port'

/** A terminal on /dev/ttyUSB2: everything the module sends, and a way to wait for text. */
function atPort(board: StubBoard) {
  const port = board.hw.ports.get('/dev/ttyUSB2')!
  let handle: PortHandle = port.open()
  let text = ''
  const attach = (h: PortHandle) => h.onData((c) => (text += Buffer.from(c).toString('latin1')))
  attach(handle)
  return {
    get text() {
      return text
    },
    clear() {
      text = ''
    },
    send(s: string) {
      handle.write(s)
    },
    reopen() {
      handle = port.open()
      attach(handle)
    },
    handle: () => handle,
    async waitFor(needle: string | RegExp, timeoutMs = 10_000) {
      await waitUntil(
        () => (typeof needle === 'string' ? text.includes(needle) : needle.test(text)),
        `module output ${String(needle)} (got ${JSON.stringify(text)})`,
        timeoutMs,
      )
    },
  }
}

describe('EC200A AT interpreter on /dev/ttyUSB2', () => {
  it('echoes by default, answers AT with CRLF framing, and stops echoing after ATE0', async () => {
    const at = atPort(createStubBoard())
    at.send('AT\r')
    await at.waitFor('OK\r\n')
    expect(at.text).toBe('AT\r\r\nOK\r\n')
    at.clear()
    at.send('ATE0\r')
    await at.waitFor('OK\r\n')
    at.clear()
    at.send('AT+CSQ\r')
    await at.waitFor('OK\r\n')
    expect(at.text).toBe('\r\n+CSQ: 31,99\r\n\r\nOK\r\n')
  })

  it('identifies itself like a Quectel EC200A (ATI, CGMI/CGMM/CGMR, CGSN/GSN, QCCID, CIMI)', async () => {
    const board = createStubBoard()
    const at = atPort(board)
    at.send('ATE0\r')
    await at.waitFor('OK')
    for (const [cmd, answer] of [
      ['ATI', `\r\nQuectel\r\nEC200A\r\nRevision: ${board.scenario.modem.revision}\r\n\r\nOK\r\n`],
      ['AT+CGMI', '\r\nQuectel\r\n\r\nOK\r\n'],
      ['AT+CGMM', '\r\nEC200A\r\n\r\nOK\r\n'],
      ['AT+CGMR', `\r\n${board.scenario.modem.revision}\r\n\r\nOK\r\n`],
      ['AT+CGSN', `\r\n${board.scenario.modem.imei}\r\n\r\nOK\r\n`],
      ['AT+GSN', `\r\n${board.scenario.modem.imei}\r\n\r\nOK\r\n`],
      ['AT+QCCID', `\r\n+QCCID: ${board.scenario.modem.iccid}\r\n\r\nOK\r\n`],
      ['AT+CIMI', `\r\n${board.scenario.modem.imsi}\r\n\r\nOK\r\n`],
    ]) {
      at.clear()
      at.send(cmd + '\r')
      await at.waitFor(/(OK|ERROR)\r\n$/)
      expect(at.text, cmd).toBe(answer)
    }
    expect(board.scenario.modem.revision).toMatch(/^EC200A\w+R0\dA\d\d/)
  })

  it('runs compound lines case-insensitively and stops at the first error', async () => {
    const at = atPort(createStubBoard('no-sim'))
    at.send('at+csq;+cops?\r')
    await at.waitFor('OK\r\n')
    expect(at.text).toBe('at+csq;+cops?\r\r\n+CSQ: 31,99\r\n\r\n+COPS: 0\r\n\r\nOK\r\n')
    at.clear()
    at.send('at+cpin?;+csq;+cops?\r')
    await at.waitFor('+CME ERROR: 10\r\n')
    expect(at.text).toBe('at+cpin?;+csq;+cops?\r\r\n+CME ERROR: 10\r\n')
  })

  it('reports SIM, signal, operator and registration from the scenario', async () => {
    const at = atPort(createStubBoard())
    at.send('ATE0\r')
    await at.waitFor('OK')
    at.clear()
    at.send('AT+CPIN?;+CSQ;+COPS?;+CREG?;+CGREG?;+CEREG?\r')
    await at.waitFor('OK\r\n')
    expect(at.text).toBe(
      '\r\n+CPIN: READY\r\n\r\n+CSQ: 31,99\r\n\r\n+COPS: 0,0,"CHINA MOBILE",7\r\n\r\n+CREG: 0,1\r\n\r\n+CGREG: 0,1\r\n\r\n+CEREG: 0,1\r\n\r\nOK\r\n',
    )
  })

  it('answers unknown commands with ERROR and bad parameters with +CME ERROR (verbose with CMEE=2)', async () => {
    const at = atPort(createStubBoard())
    at.send('ATE0\r')
    await at.waitFor('OK')
    at.clear()
    at.send('AT+FOO\r')
    await at.waitFor('ERROR\r\n')
    expect(at.text).toBe('\r\nERROR\r\n')
    at.clear()
    at.send('AT+QCFG="usbnet",7\r')
    await at.waitFor('ERROR: 50\r\n')
    at.clear()
    at.send('AT+CMEE=2;+QCFG="usbnet",7\r')
    await at.waitFor('incorrect parameters\r\n')
    expect(at.text).toBe('\r\n+CME ERROR: incorrect parameters\r\n')
  })

  it('keeps only a bounded input line: an overlong line is answered with ERROR and the next line works', async () => {
    const at = atPort(createStubBoard())
    at.send('ATE0\r')
    await at.waitFor('OK')
    at.clear()
    at.send('AT' + 'X'.repeat(5000) + '\r')
    await at.waitFor('ERROR\r\n')
    at.clear()
    at.send('AT\r')
    await at.waitFor('OK\r\n')
    expect(at.text).toBe('\r\nOK\r\n')
  })

  it('edits the line with backspace (S5) as a terminal user types', async () => {
    const at = atPort(createStubBoard())
    at.send('AT+CSX\bQ\r')
    await at.waitFor('OK\r\n')
    expect(at.text).toBe('AT+CSX\bQ\r\r\n+CSQ: 31,99\r\n\r\nOK\r\n')
  })

  it('defines PDP contexts with AT+CGDCONT and lists them', async () => {
    const at = atPort(createStubBoard())
    at.send('ATE0\r')
    await at.waitFor('OK')
    at.clear()
    at.send('AT+CGDCONT=1,"IP","CMNET",,0,0;+CGDCONT?\r')
    await at.waitFor('OK\r\n')
    expect(at.text).toBe('\r\n+CGDCONT: 1,"IP","CMNET","0.0.0.0",0,0,0,0\r\n\r\nOK\r\n')
  })

  it('runs the reference document’s LF-terminated `echo -e` line: sets usbnet, resets, re-enumerates in RNDIS with RDY', async () => {
    const board = createStubBoard('healthy', 0.02)
    const fs = board.services.fs
    fs.writeFile('/dev/ttyUSB2', 'AT+QCFG="usbnet",3\n\n;AT+CFUN=1,1\n\n\n')
    await waitUntil(
      () => board.klog.some((l) => l.includes('USB disconnect, device number 2')),
      'USB disconnect',
    )
    expect(fs.exists('/dev/ttyUSB2')).toBe(false)
    expect(board.hw.usb.usb0Present()).toBe(false)
    expect(board.klog).toContain(
      'option1 ttyUSB0: GSM modem (1-port) converter now disconnected from ttyUSB0',
    )
    expect(board.klog).toContain(
      "cdc_ether 1-1:1.0 usb0: unregister 'cdc_ether' usb-91500000.usb-otg-1, CDC Ethernet Device",
    )
    await waitUntil(() => fs.exists('/dev/ttyUSB2'), 're-enumeration', 20_000)
    const loggedAt = (text: string) => board.klogAt[board.klog.findIndex((l) => l.includes(text))]
    const offBus =
      loggedAt('new high-speed USB device number 3') - loggedAt('USB disconnect, device number 2')
    expect(offBus, 'board ms off the bus').toBeGreaterThanOrEqual(11_000)
    expect(offBus, 'board ms off the bus').toBeLessThan(20_000)
    expect(board.klog).toContain(
      "rndis_host 1-1:1.0 usb0: register 'rndis_host' at usb-91500000.usb-otg-1, RNDIS device, 02:0c:29:a3:9b:6d",
    )
    expect(board.klog).toContain('usb 1-1: new high-speed USB device number 3 using dwc2')
    const at = atPort(board)
    await at.waitFor('+QIND: SMS DONE\r\n')
    expect(at.text).toBe(
      '\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\n+QUSIM: 1\r\n\r\n+QIND: SMS DONE\r\n',
    )
    at.clear()
    at.send('AT+QCFG="usbnet"\r')
    await at.waitFor('OK\r\n')
    expect(at.text).toContain('+QCFG: "usbnet",3')
  })

  it('keeps the usbnet mode across a board power cycle (module NV)', async () => {
    const board = createStubBoard()
    board.services.fs.writeFile('/dev/ttyUSB2', 'AT+QCFG="usbnet",3\r')
    await waitUntil(() => board.hw.modem.nv.usbnet === 3, 'usbnet set')
    board.hardware.install(board.services)
    expect(board.hardware.bootLog!()).toContain(
      "rndis_host 1-1:1.0 usb0: register 'rndis_host' at usb-91500000.usb-otg-1, RNDIS device, 02:0c:29:a3:9b:6d",
    )
  })

  it('cancels its pending reset at board power-off (HardwareModel.shutdown)', async () => {
    const board = createStubBoard('healthy', 0.01)
    board.services.fs.writeFile('/dev/ttyUSB2', 'AT+CFUN=1,1\r')
    await waitUntil(() => board.klog.some((l) => l.includes('USB disconnect')), 'the reset')
    board.hardware.shutdown!()
    await board.services.clock.sleep(20_000)
    expect(board.klog.some((l) => l.includes('New USB device found'))).toBe(false)
  })

  it('hangs up an open port when the module resets, and never comes back when stuck', async () => {
    const board = createStubBoard('module-stuck-after-reset')
    const at = atPort(board)
    let hungUp = false
    at.handle().onHangup(() => (hungUp = true))
    at.send('AT+CFUN=1,1\r')
    await waitUntil(() => hungUp, 'hang-up')
    await board.services.clock.sleep(30_000)
    expect(board.services.fs.exists('/dev/ttyUSB2')).toBe(false)
    expect(board.hw.usb.lsusb()).not.toContain('2c7c:6005')
  })

  it('dials the network device with AT+QNETDEVCTL=3,1,1 and reports it by URC and query', async () => {
    const board = createStubBoard()
    const at = atPort(board)
    at.send('ATE0\r')
    await at.waitFor('OK')
    at.clear()
    at.send('AT+QNETDEVCTL=3,1,1\r')
    await at.waitFor('+QNETDEVSTATUS: 1,1,4,1\r\n')
    expect(at.text).toBe('\r\nOK\r\n\r\n+QNETDEVSTATUS: 1,1,4,1\r\n')
    expect(board.hw.modem.netdevUp).toBe(true)
    at.clear()
    at.send('AT+QNETDEVCTL?\r')
    await at.waitFor('OK\r\n')
    expect(at.text).toBe('\r\n+QNETDEVCTL: 3,1,1,1\r\n\r\nOK\r\n')
  })

  it('keeps re-dialling with AT+QNETDEVCTL=3 until the network registers after a reset', async () => {
    const board = createStubBoard('healthy', 0.01)
    board.services.fs.writeFile('/dev/ttyUSB2', 'AT+CFUN=1,1\r')
    await waitUntil(() => board.klog.some((l) => l.includes('USB disconnect')), 'the reset')
    await waitUntil(() => board.services.fs.exists('/dev/ttyUSB2'), 're-enumeration', 20_000)
    const at = atPort(board)
    await at.waitFor('RDY')
    at.send('AT+QNETDEVCTL=3,1,1;+CEREG?\r')
    await at.waitFor('+CEREG: 0,2\r\n')
    expect(board.hw.modem.netdevUp).toBe(false)
    await at.waitFor('+QNETDEVSTATUS: 1,1,4,1\r\n')
    expect(board.hw.modem.netdevUp).toBe(true)
  })

  it('answers ATD*99# with CONNECT 150000000, enters data mode, and leaves it on +++', async () => {
    const board = createStubBoard()
    const at = atPort(board)
    at.send('ATE0\r')
    await at.waitFor('OK')
    at.clear()
    at.send('ATD*99#\r')
    await at.waitFor('CONNECT 150000000\r\n')
    expect(board.hw.modem.inDataMode).toBe(true)
    at.clear()
    at.send('AT\r')
    at.send('+++')
    await at.waitFor('OK\r\n')
    expect(at.text).toBe('\r\nOK\r\n')
    expect(board.hw.modem.inDataMode).toBe(false)
  })

  it('answers NO CARRIER to a dial with an APN the network rejects, or without a SIM', async () => {
    for (const [scenario, setup] of [
      ['healthy', 'AT+CGDCONT=1,"IP","wrongapn"\r'],
      ['no-sim', ''],
    ]) {
      const at = atPort(createStubBoard(scenario))
      at.send('ATE0\r')
      await at.waitFor('OK')
      if (setup) at.send(setup)
      at.clear()
      at.send('ATD*99#\r')
      await at.waitFor('NO CARRIER\r\n')
      expect(at.text, scenario).toContain('\r\nNO CARRIER\r\n')
    }
  })

  it('shows +CSQ: 99,99 and +COPS: 0 without signal', async () => {
    const at = atPort(createStubBoard('no-signal'))
    at.send('AT+CSQ;+COPS?;+CEREG?\r')
    await at.waitFor('OK\r\n')
    expect(at.text).toContain('+CSQ: 99,99\r\n\r\n+COPS: 0\r\n\r\n+CEREG: 0,2\r\n')
  })
})
