/** AT channel and parser costs: parsing speed against the 115200-baud line rate, and microcom round trips against their idle window. */
import '../src-services/virtual-boards'
import { connect } from '@engine/console'
import { AtResponseParser, createBoardAtChannel } from '@engine/at/index'
import { parseDmesg, parseUsbDevices } from '@engine/parsers/index'

const LINE_BYTES_PER_SEC = 115200 / 10

function parserRatio(): void {
  const answer = 'AT+CSQ\r\r\n+CSQ: 31,99\r\n\r\nOK\r\n\r\n+QIND: "csq",31,99\r\n'
  const stream = answer.repeat(Math.ceil((1024 * 1024) / answer.length))
  const bytes = new TextEncoder().encode(stream)
  const parser = new AtResponseParser()
  let responses = 0
  const started = performance.now()
  for (let at = 0; at < bytes.length; at += 64) {
    if (!parser.pending) parser.expect('AT+CSQ')
    responses += parser.feed(bytes.subarray(at, at + 64)).length
  }
  const seconds = (performance.now() - started) / 1000
  console.log(
    `AT parser: ${(bytes.length / 1024 / 1024).toFixed(1)} MiB in 64-byte chunks, ${responses} responses in ${seconds.toFixed(3)} s: ratio ${(bytes.length / seconds / LINE_BYTES_PER_SEC).toFixed(0)} x the line rate`,
  )
}

function textParserRatio(name: string, sample: string, parse: (t: string) => unknown): void {
  const text = sample.repeat(Math.ceil((1024 * 1024) / sample.length))
  const started = performance.now()
  parse(text)
  const seconds = (performance.now() - started) / 1000
  console.log(
    `${name} parser: 1 MiB in ${seconds.toFixed(3)} s: ratio ${(text.length / seconds / LINE_BYTES_PER_SEC).toFixed(0)} x the line rate`,
  )
}

async function roundTrips(): Promise<void> {
  const idleMs = 300
  const c = await connect({ sim: { scenario: 'healthy', seed: 1, timeScale: 1, lineRate: true } })
  try {
    await c.session.attach({ timeout: 120_000 })
    const at = createBoardAtChannel(c.session, { idleMs })
    await at.send('AT')
    const commands = ['AT+CSQ', 'AT+CPIN?', 'AT+COPS?', 'AT+CEREG?', 'AT+QCFG="usbnet"']
    let started = performance.now()
    for (const command of commands) await at.send(command)
    const single = (performance.now() - started) / commands.length
    started = performance.now()
    await at.sendAll(commands)
    const batched = (performance.now() - started) / commands.length
    console.log(
      `board transport, real time at 115200 baud, microcom -t ${idleMs}: ${single.toFixed(0)} ms per command alone, ${batched.toFixed(0)} ms per command in a batch of ${commands.length}`,
    )
    console.log(
      `board transport time per command: ratio ${(single / idleMs).toFixed(2)} (alone) and ${(batched / idleMs).toFixed(2)} (batched) of the idle window`,
    )
  } finally {
    await c.close()
  }
}

parserRatio()
textParserRatio(
  'dmesg',
  "[    3.224776] usb 1-1: GSM modem (1-port) converter now attached to ttyUSB0\n[    3.206045] cdc_ether 1-1:1.0 usb0: register 'cdc_ether' at usb-91500000.usb-otg-1, CDC Ethernet Device, 02:0c:29:a3:9b:6d\n",
  parseDmesg,
)
textParserRatio(
  'usb/devices',
  'T:  Bus=01 Lev=01 Prnt=01 Port=00 Cnt=01 Dev#=  2 Spd=480  MxCh= 0\nP:  Vendor=2c7c ProdID=6005 Rev= 3.18\nC:* #Ifs= 6 Cfg#= 1 Atr=e0 MxPwr=500mA\nI:* If#= 2 Alt= 0 #EPs= 2 Cls=ff(vend.) Sub=00 Prot=00 Driver=option\nE:  Ad=82(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms\n',
  parseUsbDevices,
)
roundTrips().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
