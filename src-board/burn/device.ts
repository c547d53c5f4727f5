/**
 * A virtual K230 in burning mode: the BootROM and the kburn loader at the protocol level, with named faults.
 *
 * The loader behaves as the public source does, medium by medium (canmv-k230/u-boot commit d061f60,
 * drivers/usb/gadget/f_kburn.c and drivers/kburn/*.c; kendryte/k230_flash commit 1dacfdb):
 * | behaviour                                                                      | source line                         |
 * |--------------------------------------------------------------------------------|-------------------------------------|
 * | SPI-NOR read is a stub returning -1: READ START, then `READ ERROR, 0xFFFFFFFF`  | kburn_sf.c:38-41, f_kburn.c:825-833 |
 * | SPI-NAND read is the same stub                                                 | kburn_mtd.c:62-65, f_kburn.c:825-833|
 * | OTP read returns 0 without filling the buffer: success, data never read         | kburn_otp.c:33-37, f_kburn.c:836-842|
 * | eMMC / SD read the medium                                                      | kburn_mmc.c:94, 110, 192            |
 * | WRITE config must be exactly 16 bytes (offset, size) on the public loader       | f_kburn.c:723-726                   |
 * | newer loaders take 24 bytes (offset, size, max) and 32 (…, part flag)           | k230_flash burner_uboot.cpp:468-469 |
 * | the version request (wValue 1) gets a zero-length reply: version 0              | f_kburn.c:276-290                   |
 * | OUT chunk 128 KiB, IN chunk 32 KiB, announced on probe                          | kburn.h:12-14, f_kburn.c:591        |
 * | a write completes on the byte count; a ZLP after a chunk that is a multiple of  | f_kburn.c:549-552, 578; k230_flash  |
 * |   the packet size reaches the command handler, which decodes the stale buffer   |   burner_uboot.cpp:156-161 (ZLP)    |
 * |   (first byte cleared after each command) and answers it                        |                                     |
 * | unknown command: `FAILunknown command` as cmd 0x8000; NONE: `NOT SUPPORT FUNC`  | f_kburn.c:563-565, 903-905          |
 * | erase replies only once the medium is erased (blocking erase), 16 bytes echo    | f_kburn.c:780-786                   |
 */
import type { FlashMedium } from '@shared/flash'
import { FlashError } from '@engine/flash/errors'
import {
  BROM_CPU_INFO,
  BROM_OUT_EP,
  BROM_REQUEST,
  K230_BURN_PID,
  K230_BURN_VID,
  KBURN_CMD,
  KBURN_PACKET_BYTES,
  KBURN_RESULT,
  LOADER_CPU_INFO,
  LOADER_LOAD_ADDRESS,
  MEDIUM_CODE,
  decodePacket,
  encodeMediumInfo,
  encodePacket,
  readU64,
  u64s,
} from '@engine/flash/protocol'
import { deviceLost, transferTimeout, type BulkEndpoints, type UsbDeviceInfo, type VendorSetup } from '@engine/flash/transport'
import { loaderFamilyOf, type LoaderFamily } from './loaders'
import { VirtualMedium, type MediumGeometry } from './medium'
import { Pacer } from './pacer'
import { DEFAULT_GEOMETRY, type VirtualFaults } from './scenarios'

/** USB 2.0 high-speed bulk ceiling: 13 packets of 512 bytes per 125 µs microframe. */
export const USB2_HS_BULK_BYTES_PER_SEC = 13 * 512 * 8000

/** Options of one virtual board. */
export interface VirtualK230Options {
  /** USB port path, e.g. `1-2`. */
  address: string
  chip?: 'K230' | 'K230D'
  /** Configured bulk rate in bytes per board second (default: USB 2.0 HS ceiling). */
  bulkBytesPerSec?: number
  /** 1 = real time; 0.01 = 100x faster. */
  timeScale?: number
  faults?: VirtualFaults
  media?: Partial<Record<FlashMedium, Partial<MediumGeometry>>>
  /** Board ms between the loader start and its enumeration (default 800). */
  reenumerateMs?: number
  /** Version the loader reports on wValue 1 (default 0 = the public U-Boot source, which answers nothing). */
  loaderVersion?: number
  /** WRITE_LBA request sizes the loader accepts (default 16 as the public U-Boot source; newer loaders 16, 24, 32). */
  writeConfigSizes?: number[]
}

const SERVES: Record<LoaderFamily, FlashMedium[]> = { mmc: ['emmc', 'sd'], spi_nand: ['spi-nand'], spi_nor: ['spi-nor', 'otp'] }
const WRONG: Record<LoaderFamily, LoaderFamily> = { mmc: 'spi_nor', spi_nand: 'mmc', spi_nor: 'spi_nand' }
const OUT_CHUNK = 128 * 1024
const IN_CHUNK = 32 * 1024

interface Waiter {
  resolve: (bytes: Uint8Array) => void
  reject: (error: Error) => void
  timer?: NodeJS.Timeout
}

/** Events the bus listens to. */
export interface VirtualDeviceEvents {
  attach(): void
  detach(): void
  reboot(): void
}

/** One virtual board in burning mode; the bus hands out handles to it. */
export class VirtualK230 {
  readonly address: string
  readonly chip: 'K230' | 'K230D'
  stage: 'brom' | 'loader' = 'brom'
  attached = true
  /** Bumped on every disconnect: handles of an older generation are dead. */
  generation = 0
  claimed = false
  /** Loader family running, once started. */
  loaderFamily: LoaderFamily | null = null
  readonly bulkBytesPerSec: number
  readonly faults: VirtualFaults
  private readonly pacer: Pacer
  private readonly reenumerateMs: number
  private readonly media = new Map<FlashMedium, VirtualMedium>()
  private readonly mediaOptions: Partial<Record<FlashMedium, Partial<MediumGeometry>>>
  private readonly loaderVersion: number
  private readonly writeConfigSizes: number[]
  private upload: Uint8Array[] = []
  private uploadAddress = 0
  private probed: FlashMedium | null = null
  private mode: 'command' | 'write' | 'stalled' | 'read' = 'command'
  private job = { offset: 0, size: 0, done: 0 }
  private writes = 0
  /** An erase in progress: the OUT that asked for it is complete, the next one waits (NAKed) until it is done. */
  private busy: Promise<void> = Promise.resolve()
  /** The first 60 bytes of the last bulk OUT: what the loader's command handler sees on a zero-length packet. */
  private readonly outBuffer = new Uint8Array(KBURN_PACKET_BYTES)
  private readonly inQueue: Uint8Array[] = []
  private readonly waiters: Waiter[] = []
  private readonly stalled: Waiter[] = []
  private listeners: Partial<VirtualDeviceEvents> = {}

  constructor(options: VirtualK230Options) {
    this.address = options.address
    this.chip = options.chip ?? 'K230'
    this.bulkBytesPerSec = options.bulkBytesPerSec ?? USB2_HS_BULK_BYTES_PER_SEC
    this.faults = options.faults ?? {}
    this.pacer = new Pacer(options.timeScale ?? 1)
    this.reenumerateMs = this.faults.reenumerateMs ?? options.reenumerateMs ?? 800
    this.mediaOptions = options.media ?? {}
    this.loaderVersion = options.loaderVersion ?? 0
    this.writeConfigSizes = options.writeConfigSizes ?? [16]
  }

  /** Sets the bus callbacks. */
  on(listeners: Partial<VirtualDeviceEvents>): void {
    this.listeners = listeners
  }

  /** What the bus lists. */
  get info(): UsbDeviceInfo {
    return { address: this.address, vendorId: K230_BURN_VID, productId: K230_BURN_PID, speed: 'high' }
  }

  /** The medium model (created on first use). */
  medium(kind: FlashMedium): VirtualMedium {
    let medium = this.media.get(kind)
    if (!medium) {
      const geometry = { ...DEFAULT_GEOMETRY[kind], ...this.mediaOptions[kind] }
      if (this.faults.capacity !== undefined && kind !== 'otp') geometry.capacity = this.faults.capacity
      if (this.faults.writeBytesPerSec !== undefined) geometry.writeBytesPerSec = this.faults.writeBytesPerSec
      medium = new VirtualMedium(geometry)
      this.media.set(kind, medium)
    }
    return medium
  }

  /** Bulk endpoints of the current stage. */
  endpoints(): BulkEndpoints {
    return this.stage === 'brom' ? { in: 0x81, out: BROM_OUT_EP, maxPacketSize: 512 } : { in: 0x81, out: 0x02, maxPacketSize: 512 }
  }

  /** Throws device-lost when `generation` is stale. */
  check(generation: number): void {
    if (!this.attached || generation !== this.generation) throw deviceLost(this.address)
  }

  private disconnect(): void {
    this.attached = false
    this.generation++
    this.claimed = false
    this.mode = 'command'
    this.inQueue.length = 0
    for (const w of [...this.waiters.splice(0), ...this.stalled.splice(0)]) {
      clearTimeout(w.timer)
      w.reject(deviceLost(this.address))
    }
    this.listeners.detach?.()
  }

  /** Pulls the cable (tests). */
  unplug(): void {
    if (this.attached) this.disconnect()
  }

  /** Cancels transfers waiting on a handle being closed. */
  cancelPending(): void {
    for (const w of [...this.waiters.splice(0), ...this.stalled.splice(0)]) {
      clearTimeout(w.timer)
      w.reject(new FlashError('protocol', 'transferCancelled', { address: this.address }))
    }
  }

  async controlIn(generation: number, setup: VendorSetup, length: number): Promise<Uint8Array> {
    this.check(generation)
    if (setup.request !== BROM_REQUEST.getCpuInfo) throw new FlashError('protocol', 'controlStalled', { address: this.address, req: setup.request })
    if (this.stage === 'loader' && setup.value === 1) return this.loaderVersion > 0 ? u64s(this.loaderVersion).subarray(0, Math.min(4, length)) : new Uint8Array(0)
    const text = this.stage === 'brom' ? BROM_CPU_INFO : LOADER_CPU_INFO
    return Uint8Array.from(Buffer.from(text, 'latin1').subarray(0, length))
  }

  async controlOut(generation: number, setup: VendorSetup): Promise<void> {
    this.check(generation)
    if (this.stage !== 'brom') return
    const address = ((setup.value << 16) | setup.index) >>> 0
    if (setup.request === BROM_REQUEST.setDataAddress) {
      this.uploadAddress = address
      this.upload = []
    } else if (setup.request === BROM_REQUEST.progStart) {
      void this.startProgram(address)
    } else throw new FlashError('protocol', 'controlStalled', { address: this.address, req: setup.request })
  }

  private async startProgram(address: number): Promise<void> {
    const image = Buffer.concat(this.upload)
    this.upload = []
    let family = address === LOADER_LOAD_ADDRESS && this.uploadAddress === address ? loaderFamilyOf(image) : null
    await Promise.resolve()
    this.disconnect()
    if (!family) return
    if (this.faults.wrongLoader) family = WRONG[family]
    await this.pacer.after(this.reenumerateMs)
    this.stage = 'loader'
    this.loaderFamily = family
    this.probed = null
    this.attached = true
    this.listeners.attach?.()
  }

  async bulkOut(generation: number, endpoint: number, data: Uint8Array, timeoutMs: number): Promise<void> {
    this.check(generation)
    await this.busy
    if (endpoint !== this.endpoints().out) throw new FlashError('protocol', 'endpointStalled', { address: this.address, endpoint: `0x${endpoint.toString(16)}` })
    await this.pacer.spend((data.length / this.bulkBytesPerSec) * 1000)
    this.check(generation)
    if (this.stage === 'brom') {
      this.upload.push(Uint8Array.from(data))
      return
    }
    if (this.mode === 'stalled') return this.stall(timeoutMs)
    if (data.length > 0) this.outBuffer.set(data.subarray(0, KBURN_PACKET_BYTES))
    if (this.mode === 'write') return this.receiveData(generation, data, timeoutMs)
    this.mode = 'command'
    if (data.length === 0) return this.staleCommand()
    if (data.length !== KBURN_PACKET_BYTES) return this.reply(0x8000, KBURN_RESULT.errorMsg, 'FAILunknown command')
    const packet = decodePacket(data)
    if (!packet) return this.reply(0x8000, KBURN_RESULT.errorMsg, 'FAILbuffer overflow')
    this.outBuffer[0] = 0
    await this.command(packet.cmd, packet.data)
  }

  /** A zero-length packet in command mode: the handler decodes whatever the buffer still holds and answers it. */
  private async staleCommand(): Promise<void> {
    const view = new DataView(this.outBuffer.buffer)
    const cmd = view.getUint16(0, true)
    const size = Math.min(view.getUint16(4, true), KBURN_PACKET_BYTES - 6)
    const data = Uint8Array.from(this.outBuffer.subarray(6, 6 + size))
    this.outBuffer[0] = 0
    if (cmd === KBURN_CMD.none || cmd === KBURN_CMD.probe || cmd === KBURN_CMD.getInfo || cmd === KBURN_CMD.erase || cmd === KBURN_CMD.write || cmd === KBURN_CMD.read || cmd === KBURN_CMD.reboot) await this.command(cmd, data)
    else this.reply(0x8000, KBURN_RESULT.errorMsg, 'FAILunknown command')
  }

  private stall(timeoutMs: number): Promise<void> {
    return new Promise((_resolve, reject) => {
      const waiter: Waiter = { resolve: () => undefined, reject }
      waiter.timer = setTimeout(() => {
        this.stalled.splice(this.stalled.indexOf(waiter), 1)
        reject(transferTimeout(this.address, 'data', timeoutMs))
      }, timeoutMs)
      this.stalled.push(waiter)
    })
  }

  private async receiveData(generation: number, data: Uint8Array, timeoutMs: number): Promise<void> {
    if (data.length === 0) return
    const medium = this.medium(this.probed!)
    const first = this.writes === 0
    const job = this.job
    const n = Math.min(data.length, job.size - job.done)
    const crosses = (fraction: number | undefined) => first && fraction !== undefined && job.done <= job.size * fraction && job.done + n > job.size * fraction
    if (crosses(this.faults.vanishAfterFraction)) {
      this.disconnect()
      throw deviceLost(this.address)
    }
    if (crosses(this.faults.writeErrorAfterFraction)) {
      this.mode = 'stalled'
      this.writes++
      this.reply(KBURN_CMD.write | 0x8000, KBURN_RESULT.errorMsg, 'WRITE ERROR, 0xfffffffb')
      return this.stall(timeoutMs)
    }
    await this.pacer.spend((n / medium.geometry.writeBytesPerSec) * 1000)
    this.check(generation)
    medium.write(job.offset + job.done, data.subarray(0, n))
    if (first && this.faults.corruptFirstWrite && job.done <= job.size / 2 && job.done + n > job.size / 2) medium.corrupt(job.offset + Math.floor(job.size / 2))
    job.done += n
    if (job.done >= job.size) {
      this.writes++
      this.mode = 'command'
      this.reply(KBURN_CMD.write | 0x8000, KBURN_RESULT.ok, 'WRITE DONE')
    }
  }

  private async command(cmd: number, data: Uint8Array): Promise<void> {
    const answer = cmd | 0x8000
    switch (cmd) {
      case KBURN_CMD.none:
        return this.reply(0x8000, KBURN_RESULT.errorMsg, 'NOT SUPPORT FUNC')
      case KBURN_CMD.probe: {
        if (data.length !== 2) return this.reply(answer, KBURN_RESULT.errorMsg, 'ERROR DATA SIZE')
        const medium = (Object.keys(MEDIUM_CODE) as FlashMedium[]).find((m) => MEDIUM_CODE[m] === data[0])
        this.probed = null
        if (!medium || !this.loaderFamily || !SERVES[this.loaderFamily].includes(medium)) return this.reply(answer, KBURN_RESULT.errorMsg, 'PROBE FAILED')
        this.probed = medium
        return this.reply(answer, KBURN_RESULT.ok, u64s(OUT_CHUNK, IN_CHUNK))
      }
      case KBURN_CMD.getInfo: {
        if (!this.probed) return this.reply(answer, KBURN_RESULT.errorMsg, 'RUNTIME ERROR')
        const g = this.medium(this.probed).geometry
        const type = this.probed === 'sd' ? 1 : MEDIUM_CODE[this.probed]
        return this.reply(answer, KBURN_RESULT.ok, encodeMediumInfo({ capacity: g.capacity, blockSize: g.blockSize, eraseSize: g.eraseSize, timeoutMs: g.timeoutMs, writeProtected: false, type, valid: true }))
      }
      case KBURN_CMD.write:
      case KBURN_CMD.read: {
        if (cmd === KBURN_CMD.write ? !this.writeConfigSizes.includes(data.length) : data.length !== 16) return this.reply(answer, KBURN_RESULT.errorMsg, 'ERROR CMD SIZE')
        if (!this.probed) return this.reply(answer, KBURN_RESULT.errorMsg, 'MEDIUM INFO INVALID')
        const offset = readU64(data, 0)
        const size = readU64(data, 1)
        if (size === 0) return this.reply(answer, KBURN_RESULT.errorMsg, 'DATA SIZE INVALID')
        if (offset + size > this.medium(this.probed).geometry.capacity) return this.reply(answer, KBURN_RESULT.errorMsg, 'DATA SIZE EXCEED')
        this.job = { offset, size, done: 0 }
        this.mode = cmd === KBURN_CMD.write ? 'write' : 'read'
        return this.reply(answer, KBURN_RESULT.ok, cmd === KBURN_CMD.write ? 'START DL' : 'READ START')
      }
      case KBURN_CMD.erase: {
        if (data.length !== 16) return this.reply(answer, KBURN_RESULT.errorMsg, 'ERROR DATA SIZE')
        const offset = readU64(data, 0)
        const size = readU64(data, 1)
        if (!this.probed || size === 0 || offset + size > this.medium(this.probed).geometry.capacity) return this.reply(answer, KBURN_RESULT.error, u64s(offset, size))
        const medium = this.medium(this.probed)
        this.busy = this.pacer.after((size / medium.geometry.eraseBytesPerSec) * 1000).then(() => {
          medium.erase(offset, size)
          this.reply(answer, KBURN_RESULT.ok, u64s(offset, size))
        })
        return
      }
      case KBURN_CMD.reboot:
        this.disconnect()
        this.stage = 'brom'
        this.loaderFamily = null
        this.listeners.reboot?.()
        return
      default:
        return this.reply(0x8000, KBURN_RESULT.errorMsg, 'FAILunknown command')
    }
  }

  private reply(cmd: number, result: number, data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? Uint8Array.from(Buffer.from(data, 'latin1')) : data
    this.push(encodePacket(cmd, bytes, result))
  }

  private push(packet: Uint8Array): void {
    const waiter = this.waiters.shift()
    if (waiter) {
      clearTimeout(waiter.timer)
      waiter.resolve(packet)
    } else this.inQueue.push(packet)
  }

  async bulkIn(generation: number, endpoint: number, length: number, timeoutMs: number): Promise<Uint8Array> {
    this.check(generation)
    if (endpoint !== 0x81) throw new FlashError('protocol', 'endpointStalled', { address: this.address, endpoint: `0x${endpoint.toString(16)}` })
    const queued = this.inQueue.shift()
    if (queued) return queued.subarray(0, length)
    if (this.mode === 'read' && this.probed) return this.nextReadPacket(generation, length)
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve: (b) => resolve(b.subarray(0, length)), reject }
      waiter.timer = setTimeout(() => {
        const at = this.waiters.indexOf(waiter)
        if (at >= 0) this.waiters.splice(at, 1)
        reject(transferTimeout(this.address, 'status', timeoutMs))
      }, timeoutMs)
      this.waiters.push(waiter)
    })
  }

  private async nextReadPacket(generation: number, length: number): Promise<Uint8Array> {
    const job = this.job
    const n = Math.min(IN_CHUNK, job.size - job.done, length - 6)
    if (n <= 0) {
      this.mode = 'command'
      return encodePacket(KBURN_CMD.readChunk | 0x8000, Uint8Array.from(Buffer.from('READ DONE')), KBURN_RESULT.ok)
    }
    if (this.probed === 'spi-nor' || this.probed === 'spi-nand') {
      this.mode = 'command'
      return encodePacket(KBURN_CMD.readChunk | 0x8000, Uint8Array.from(Buffer.from('READ ERROR, 0xFFFFFFFF')), KBURN_RESULT.errorMsg)
    }
    await this.pacer.spend(((n + 6) / this.bulkBytesPerSec) * 1000)
    this.check(generation)
    const data = this.probed === 'otp' ? new Uint8Array(n) : this.medium(this.probed!).read(job.offset + job.done, n)
    job.done += n
    const packet = new Uint8Array(6 + n)
    const view = new DataView(packet.buffer)
    view.setUint16(0, KBURN_CMD.readChunk | 0x8000, true)
    view.setUint16(2, KBURN_RESULT.ok, true)
    view.setUint16(4, n, true)
    packet.set(data, 6)
    return packet
  }
}
