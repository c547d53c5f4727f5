import { SerialPort } from 'serialport'

/** What the fake EC200A answers to one command. */
export interface ModemReply {
  lines?: string[]
  /** Final result line; default `OK`. */
  final?: string
  /** Modem-side processing time before the answer (a modem property, not test synchronisation). */
  delayMs?: number
  /** URCs sent before the answer. */
  urcsBefore?: string[]
  /** URCs sent after the final result. */
  urcsAfter?: string[]
  /** Send nothing at all (a hung modem). */
  silent?: boolean
}

export type ModemScript = (command: string) => ModemReply

/** EC200A-like answers of a healthy module with a SIM (Quectel formats). */
export const healthyModem: ModemScript = (command) => {
  const c = command.toUpperCase()
  if (c === 'AT' || c === 'ATE0' || c === 'ATE1') return {}
  if (c === 'ATI') return { lines: ['Quectel', 'EC200A', 'Revision: EC200ACNDAR01A08M16'] }
  if (c === 'AT+CGSN') return { lines: ['490154203237518'] }
  if (c === 'AT+QCCID') return { lines: ['+QCCID: 89014103211118510720'] }
  if (c === 'AT+CIMI') return { lines: ['460001234567890'] }
  if (c === 'AT+CPIN?') return { lines: ['+CPIN: READY'] }
  if (c === 'AT+CSQ') return { lines: ['+CSQ: 31,99'] }
  if (c === 'AT+COPS?') return { lines: ['+COPS: 0,0,"CHINA MOBILE",7'] }
  if (c === 'AT+CREG?') return { lines: ['+CREG: 0,1'] }
  if (c === 'AT+CGREG?') return { lines: ['+CGREG: 0,1'] }
  if (c === 'AT+CEREG?') return { lines: ['+CEREG: 0,1'] }
  if (c === 'AT+QCFG="USBNET"') return { lines: ['+QCFG: "usbnet",1'] }
  if (/^AT\+QCFG="USBNET",\d$/.test(c)) return {}
  if (c === 'AT+QNETDEVCTL?') return { lines: ['+QNETDEVCTL: 3,1,1,1'] }
  if (/^AT\+QNETDEVCTL=\d,\d,\d$/.test(c)) return { urcsAfter: ['+QNETDEVSTATUS: 1'] }
  return { final: 'ERROR' }
}

/** A scripted modem on one end of a PTY pair: reads `AT...\r`, echoes (ATE1) and answers. */
export class FakeModem {
  readonly received: string[] = []
  private buffer = ''
  echo = true
  private busy = false
  private constructor(
    private readonly port: SerialPort,
    private script: ModemScript,
  ) {
    port.on('data', (chunk: Buffer) => this.onData(chunk.toString('latin1')))
  }

  static async open(path: string, script: ModemScript = healthyModem): Promise<FakeModem> {
    const port = await new Promise<SerialPort>((resolve, reject) => {
      const p: SerialPort = new SerialPort({ path, baudRate: 115200 }, (error) =>
        error ? reject(error) : resolve(p),
      )
    })
    return new FakeModem(port, script)
  }

  /** Resolves once no delayed answer is pending. */
  async whenIdle(): Promise<void> {
    while (this.busy) await new Promise((resolve) => setTimeout(resolve, 10))
  }

  setScript(script: ModemScript): void {
    this.script = script
  }

  /** Sends raw bytes as the modem (URCs, garbage). */
  send(text: string): void {
    this.port.write(text)
  }

  private onData(text: string): void {
    this.buffer += text
    this.drain()
  }

  /** Like a real module, takes the next command line only once the previous answer is out. */
  private drain(): void {
    let index: number
    while (!this.busy && (index = this.buffer.indexOf('\r')) >= 0) {
      const command = this.buffer.slice(0, index).replace(/^\n+/, '').trim()
      this.buffer = this.buffer.slice(index + 1)
      if (command) this.answer(command)
    }
  }

  private answer(command: string): void {
    this.received.push(command)
    if (this.echo) this.port.write(`${command}\r`)
    const reply = this.script(command)
    if (reply.silent) return
    const body =
      (reply.urcsBefore ?? []).map((u) => `\r\n${u}\r\n`).join('') +
      (reply.lines ?? []).map((l) => `\r\n${l}`).join('') +
      (reply.lines?.length ? '\r\n' : '') +
      `\r\n${reply.final ?? 'OK'}\r\n` +
      (reply.urcsAfter ?? []).map((u) => `\r\n${u}\r\n`).join('')
    if (reply.delayMs) {
      this.busy = true
      setTimeout(() => {
        this.port.write(body)
        this.busy = false
        this.drain()
      }, reply.delayMs)
    } else this.port.write(body)
  }

  async close(): Promise<void> {
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()))
  }
}
