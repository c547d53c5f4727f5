import type { Clock } from '../../types'
import type { ModemSettings } from '../../scenarios/types'
import { commandBody, splitCommands, splitParams, unquote } from './at-syntax'

/** Board ms between automatic re-dial attempts of `AT+QNETDEVCTL=3,...` while the network refuses. */
const RECONNECT_MS = 5000

/** Longest command line the module buffers; longer lines are answered with ERROR. */
export const AT_MAX_LINE = 1024

const CME_TEXT: Record<number, string> = {
  3: 'operation not allowed',
  4: 'operation not supported',
  10: 'SIM not inserted',
  21: 'invalid index',
  30: 'no network service',
  50: 'incorrect parameters',
}

/** A PDP context defined with AT+CGDCONT. */
export interface PdpContext {
  type: string
  apn: string
}

/** What the module keeps in NV across resets and board power cycles. */
export interface ModemNv {
  usbnet: number
  contexts: Map<number, PdpContext>
}

/** Creates the module's NV store from scenario settings. */
export function createModemNv(settings: ModemSettings): ModemNv {
  return { usbnet: settings.usbnet, contexts: new Map([[1, { type: 'IP', apn: '' }]]) }
}

/** What the modem needs from the rest of the hardware. */
export interface ModemHooks {
  clock: Clock
  /** Bytes from the module to whoever holds /dev/ttyUSB2 open. */
  emit(text: string): void
  /** The module drops off USB (start of a reset). */
  usbDetach(): void
  /** The module enumerates again in the NV usbnet mode. */
  usbAttach(): void
  /** A data call (ECM/RNDIS network device or PPP data mode) went up or down. */
  dataCall(kind: 'netdev' | 'ppp', up: boolean): void
}

type Result = { lines: string[] } | { error: number | 'ERROR' } | { final: string }

/** The EC200A's AT interpreter on ttyUSB2: echo, V.250 framing, compound lines, CME errors, reset and dial; trusts its settings. */
export class Ec200aModem {
  private echo = true
  private cmee = 1
  private cfun = 1
  private regN = { creg: 0, cgreg: 0, cereg: 0 }
  private line = ''
  private overflow = false
  private queue: string[] = []
  private busy = false
  private dataMode = false
  private escapeBuffer = ''
  private netdev = { op: 0, cid: 1, urc: 0, up: false }
  private settleUntil = 0
  private offline = false
  private epoch = 0
  private readonly timers = new Set<() => void>()

  constructor(
    private readonly settings: ModemSettings,
    readonly nv: ModemNv,
    private readonly hooks: ModemHooks,
  ) {}

  /** True between CONNECT and the end of the PPP call. */
  get inDataMode(): boolean {
    return this.dataMode
  }

  /** True while the ECM/RNDIS data call (AT+QNETDEVCTL) is up. */
  get netdevUp(): boolean {
    return this.netdev.up
  }

  /** True while the module is resetting or hung (not answering). */
  get isOffline(): boolean {
    return this.offline
  }

  /** Bytes from the host (written to /dev/ttyUSB2). */
  receive(bytes: Uint8Array): void {
    if (this.offline) return
    const text = Buffer.from(bytes).toString('latin1')
    if (this.dataMode) return this.receiveData(text)
    if (this.echo) this.hooks.emit(text)
    for (const ch of text) {
      if (ch === '\r' || ch === '\n') {
        const line = this.line
        const overflowed = this.overflow
        this.line = ''
        this.overflow = false
        if (overflowed) this.queue.push('\u0000overflow')
        else if (line.trim() !== '') this.queue.push(line)
      } else if (ch === '\b' || ch === '\x7f') this.line = this.line.slice(0, -1)
      else if (this.line.length < AT_MAX_LINE) this.line += ch
      else this.overflow = true
    }
    void this.drain()
  }

  /** Ends a PPP call from the host side (pppd hung up); the module returns to command mode. */
  hangupData(): void {
    if (!this.dataMode) return
    this.dataMode = false
    this.hooks.dataCall('ppp', false)
  }

  /** Powers the module down for good (board power-off); cancels pending timers. */
  shutdown(): void {
    this.epoch++
    for (const cancel of this.timers) cancel()
    this.timers.clear()
    this.offline = true
  }

  private receiveData(text: string): void {
    this.escapeBuffer = (this.escapeBuffer + text).slice(-8)
    if (this.escapeBuffer.includes('+++')) {
      this.escapeBuffer = ''
      this.dataMode = false
      this.hooks.dataCall('ppp', false)
      this.later(1000, () => this.hooks.emit('\r\nOK\r\n'))
    }
  }

  private later(ms: number, fn: () => void): void {
    const epoch = this.epoch
    const cancel = this.hooks.clock.setTimer(ms, () => {
      this.timers.delete(cancel)
      if (epoch === this.epoch) fn()
    })
    this.timers.add(cancel)
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.hooks.clock.setTimer(ms, () => {
        this.timers.delete(cancel)
        resolve()
      })
      this.timers.add(cancel)
    })
  }

  private async drain(): Promise<void> {
    if (this.busy) return
    this.busy = true
    try {
      while (this.queue.length > 0 && !this.offline && !this.dataMode) {
        const line = this.queue.shift() as string
        const epoch = this.epoch
        const out = await this.runLine(line)
        if (epoch !== this.epoch) break
        if (out) this.hooks.emit(out)
      }
    } finally {
      this.busy = false
    }
  }

  private async runLine(line: string): Promise<string> {
    if (line === '\u0000overflow') return '\r\nERROR\r\n'
    const body = commandBody(line)
    if (body === null) return ''
    const commands = splitCommands(body)
    if (commands === null) return '\r\nERROR\r\n'
    await this.wait(5)
    let out = ''
    for (const command of commands) {
      const result = await this.execute(command)
      if ('error' in result) return out + this.errorText(result.error)
      if ('final' in result) return out + `\r\n${result.final}\r\n`
      if (result.lines.length > 0) out += `\r\n${result.lines.join('\r\n')}\r\n`
    }
    return out + '\r\nOK\r\n'
  }

  private errorText(error: number | 'ERROR'): string {
    if (error === 'ERROR' || this.cmee === 0) return '\r\nERROR\r\n'
    return `\r\n+CME ERROR: ${this.cmee === 2 ? (CME_TEXT[error] ?? String(error)) : error}\r\n`
  }

  private registration(): number {
    if (!this.settings.simPresent || this.cfun !== 1) return 0
    if (this.hooks.clock.now() < this.settleUntil) return 2
    return this.settings.registration
  }

  private registered(): boolean {
    const stat = this.registration()
    return stat === 1 || stat === 5
  }

  private apnAccepted(cid: number): boolean {
    const ctx = this.nv.contexts.get(cid)
    if (!ctx) return false
    return this.settings.acceptedApns.some((a) => a.toLowerCase() === ctx.apn.toLowerCase())
  }

  private async execute(raw: string): Promise<Result> {
    const upper = raw.toUpperCase()
    const ok: Result = { lines: [] }
    const s = this.settings
    const needSim = (lines: string[]): Result => (s.simPresent ? { lines } : { error: 10 })
    if (upper === 'E0' || upper === 'E1' || upper === 'E') {
      this.echo = upper === 'E1'
      return ok
    }
    if (upper === 'I' || upper === 'I0')
      return { lines: ['Quectel', 'EC200A', `Revision: ${s.revision}`] }
    if (
      /^[VQXZ]\d*$/.test(upper) ||
      /^&[CDFWK]\d*$/.test(upper) ||
      /^S\d+(=\d*|\?)$/.test(upper) ||
      upper === 'H' ||
      upper === 'H0'
    ) {
      return upper.startsWith('S') && upper.endsWith('?') ? { lines: ['000'] } : ok
    }
    if (upper.startsWith('D')) return this.dial(upper.slice(1))
    if (upper === 'O' || upper === 'O0') return { final: 'NO CARRIER' }
    if (upper === '+CGMI' || upper === '+GMI') return { lines: ['Quectel'] }
    if (upper === '+CGMM' || upper === '+GMM') return { lines: ['EC200A'] }
    if (upper === '+CGMR' || upper === '+GMR') return { lines: [s.revision] }
    if (upper === '+CGSN' || upper === '+GSN') return { lines: [s.imei] }
    if (upper === '+CSUB') return { lines: ['SubEdition: V03'] }
    if (upper === '+QCCID') return needSim([`+QCCID: ${s.iccid}`])
    if (upper === '+CIMI') return needSim([s.imsi])
    if (upper === '+CPIN?') return needSim(['+CPIN: READY'])
    if (upper === '+CSQ') {
      const live = this.cfun === 1
      return { lines: [`+CSQ: ${live ? s.csq.rssi : 99},${live ? s.csq.ber : 99}`] }
    }
    if (upper === '+COPS?')
      return {
        lines: [
          this.registered() ? `+COPS: 0,0,"${s.operator}",${s.accessTechnology}` : '+COPS: 0',
        ],
      }
    if (upper === '+COPS=?') {
      if (this.cfun !== 1) return { error: 3 }
      await this.wait(3000)
      return { lines: [`+COPS: (2,"${s.operator}","${s.operator}","46000",7),,(0-4),(0-2)`] }
    }
    if (/^\+COPS=/.test(upper)) return ok
    const reg = /^\+C(E|G)?REG(\?|=(\d))$/.exec(upper)
    if (reg) {
      const key = (
        reg[1] === 'E' ? 'cereg' : reg[1] === 'G' ? 'cgreg' : 'creg'
      ) as keyof typeof this.regN
      if (reg[2] === '?')
        return { lines: [`+${key.toUpperCase()}: ${this.regN[key]},${this.registration()}`] }
      const n = Number(reg[3])
      if (n > 2) return { error: 50 }
      this.regN[key] = n
      return ok
    }
    if (upper === '+CMEE?') return { lines: [`+CMEE: ${this.cmee}`] }
    if (/^\+CMEE=[012]$/.test(upper)) {
      this.cmee = Number(upper.slice(-1))
      return ok
    }
    if (upper === '+CFUN?') return { lines: [`+CFUN: ${this.cfun}`] }
    if (upper.startsWith('+CFUN=')) return this.cfunSet(splitParams(raw.slice(6)))
    if (upper.startsWith('+QCFG=')) return this.qcfg(splitParams(raw.slice(6)))
    if (upper === '+CGDCONT?') {
      return {
        lines: [...this.nv.contexts]
          .sort((a, b) => a[0] - b[0])
          .map(([cid, c]) => `+CGDCONT: ${cid},"${c.type}","${c.apn}","0.0.0.0",0,0,0,0`),
      }
    }
    if (upper === '+CGDCONT=?')
      return {
        lines: [
          '+CGDCONT: (1-15),"IP",,,(0-2),(0-4),(0,1),(0,1)',
          '+CGDCONT: (1-15),"IPV6",,,(0-2),(0-4),(0,1),(0,1)',
          '+CGDCONT: (1-15),"IPV4V6",,,(0-2),(0-4),(0,1),(0,1)',
        ],
      }
    if (upper.startsWith('+CGDCONT=')) return this.cgdcont(splitParams(raw.slice(9)))
    if (upper === '+QNETDEVCTL?') {
      const d = this.netdev
      return { lines: [`+QNETDEVCTL: ${d.op},${d.cid},${d.urc},${d.up ? 1 : 0}`] }
    }
    if (upper.startsWith('+QNETDEVCTL=')) return this.qnetdevctl(splitParams(raw.slice(12)))
    return { error: 'ERROR' }
  }

  private cfunSet(params: string[]): Result {
    const fun = Number(params[0])
    const rst = params[1] === undefined ? 0 : Number(params[1])
    if (![0, 1, 4].includes(fun) || ![0, 1].includes(rst) || params.length > 2) return { error: 50 }
    if (rst === 1) {
      this.later(300, () => this.reset())
      return { lines: [] }
    }
    this.cfun = fun
    if (fun !== 1) this.dropCalls()
    return { lines: [] }
  }

  private qcfg(params: string[]): Result {
    const key = unquote(params[0])?.toLowerCase()
    if (key !== 'usbnet') return { error: 'ERROR' }
    if (params.length === 1) return { lines: [`+QCFG: "usbnet",${this.nv.usbnet}`] }
    const mode = Number(params[1])
    if (params.length !== 2 || ![1, 3].includes(mode)) return { error: 50 }
    this.nv.usbnet = mode
    return { lines: [] }
  }

  private cgdcont(params: string[]): Result {
    const cid = Number(params[0])
    if (!Number.isInteger(cid) || cid < 1 || cid > 15) return { error: 50 }
    if (params.length === 1) {
      this.nv.contexts.delete(cid)
      return { lines: [] }
    }
    const type = unquote(params[1])?.toUpperCase()
    const apn = params[2] === undefined || params[2] === '' ? '' : unquote(params[2])
    if (!type || !['IP', 'IPV6', 'IPV4V6', 'PPP'].includes(type) || apn === null)
      return { error: 50 }
    this.nv.contexts.set(cid, { type, apn })
    return { lines: [] }
  }

  private qnetdevctl(params: string[]): Result {
    const op = Number(params[0])
    const cid = Number(params[1] ?? 1)
    const urc = Number(params[2] ?? 0)
    if (
      ![0, 1, 2, 3].includes(op) ||
      !Number.isInteger(cid) ||
      cid < 1 ||
      cid > 15 ||
      ![0, 1].includes(urc)
    )
      return { error: 50 }
    if (op !== 0 && !this.settings.simPresent) return { error: 10 }
    this.netdev = { op, cid, urc, up: this.netdev.up }
    if (op === 0) {
      if (this.netdev.up) {
        this.netdev.up = false
        this.hooks.dataCall('netdev', false)
        if (urc) this.later(200, () => this.hooks.emit(`\r\n+QNETDEVSTATUS: ${cid},0,4,1\r\n`))
      }
      return { lines: [] }
    }
    const attempt = (): void => {
      if (this.netdev.up || this.offline || this.netdev.op === 0) return
      if (!this.registered() || !this.apnAccepted(cid)) {
        if (this.netdev.op === 3) this.later(RECONNECT_MS, attempt)
        return
      }
      this.netdev.up = true
      this.hooks.dataCall('netdev', true)
      if (this.netdev.urc) this.hooks.emit(`\r\n+QNETDEVSTATUS: ${cid},1,4,1\r\n`)
    }
    this.later(this.settings.dialMs, attempt)
    return { lines: [] }
  }

  private async dial(number: string): Promise<Result> {
    const target = number.replace(/^[TP]/, '')
    const m = /^\*99(?:\*\*\*(\d+))?#$/.exec(target)
    if (!m || !this.settings.simPresent || !this.registered()) {
      await this.wait(500)
      return { final: 'NO CARRIER' }
    }
    await this.wait(this.settings.dialMs)
    if (!this.apnAccepted(Number(m[1] ?? 1)) || this.offline) return { final: 'NO CARRIER' }
    this.dataMode = true
    this.escapeBuffer = ''
    this.hooks.dataCall('ppp', true)
    return { final: 'CONNECT 150000000' }
  }

  private dropCalls(): void {
    if (this.netdev.up) {
      this.netdev.up = false
      this.hooks.dataCall('netdev', false)
    }
    if (this.dataMode) {
      this.dataMode = false
      this.hooks.dataCall('ppp', false)
    }
  }

  private reset(): void {
    this.epoch++
    this.offline = true
    this.queue = []
    this.line = ''
    this.dropCalls()
    this.netdev = { op: 0, cid: 1, urc: 0, up: false }
    this.hooks.usbDetach()
    if (this.settings.stuckAfterReset) return
    this.later(this.settings.resetOffMs, () => {
      this.echo = true
      this.cmee = 1
      this.cfun = 1
      this.regN = { creg: 0, cgreg: 0, cereg: 0 }
      this.offline = false
      this.hooks.usbAttach()
      this.later(this.settings.readyAfterEnumMs, () => this.announceReady())
    })
  }

  private announceReady(): void {
    const urcs = this.settings.simPresent
      ? ['RDY', '+CFUN: 1', '+CPIN: READY', '+QUSIM: 1', '+QIND: SMS DONE']
      : ['RDY', '+CFUN: 1', '+CPIN: NOT INSERTED']
    this.settleUntil = this.hooks.clock.now() + 2000
    urcs.forEach((urc, i) => this.later(i * 150, () => this.hooks.emit(`\r\n${urc}\r\n`)))
  }
}
