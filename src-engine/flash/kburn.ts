/** Loader stage: the kburn command protocol (probe, medium info, write, read, erase, reboot) over a UsbHandle. */
import type { FlashMedium } from '@shared/flash'
import { FlashError } from './errors'
import {
  KBURN_CMD,
  KBURN_PACKET_BYTES,
  KBURN_REBOOT_MAGIC,
  KBURN_RESULT,
  MEDIUM_CODE,
  decodeMediumInfo,
  decodePacket,
  encodePacket,
  packetText,
  readU64,
  u64s,
  type KburnPacket,
  type MediumInfo,
} from './protocol'
import type { TransferName, UsbHandle } from './transport'

/** Chunk sizes the loader announced on probe. */
export interface ChunkSizes {
  out: number
  in: number
}

/** Write request fields: medium offset, byte count (block-padded), partition max size and part flag. */
export interface WriteRequest {
  offset: number
  size: number
  maxSize: number
  flag: bigint
}

const NOP_REPLY = 'NOT SUPPORT FUNC'
/** What the public loader's read stub answers (its -1 printed by f_kburn.c:831). */
const READ_STUB_REPLY = 'READ ERROR, 0xFFFFFFFF'

/** A kburn session with a started loader; trusts the handle to be the loader stage with interface 0 claimed. */
export class KburnClient {
  private readonly eps
  commandTimeoutMs = 3000

  constructor(private readonly handle: UsbHandle) {
    this.eps = handle.endpoints()
  }

  /** Loader protocol version (wValue 1); 0 when the loader does not answer it. */
  async version(): Promise<number> {
    try {
      const reply = await this.handle.controlIn({ request: 0, value: 1, index: 0 }, 4, 1000)
      return reply.length >= 4 ? new DataView(reply.buffer, reply.byteOffset, 4).getUint32(0, true) : 0
    } catch (error) {
      if (error instanceof FlashError && error.code === 'device-lost') throw error
      return 0
    }
  }

  private async readPacket(timeoutMs: number, what: TransferName): Promise<KburnPacket> {
    const bytes = await this.handle.bulkIn(this.eps.in, KBURN_PACKET_BYTES + 8, timeoutMs)
    const packet = decodePacket(bytes)
    if (!packet) throw new FlashError('protocol', 'malformedReply', { bytes: bytes.length, what })
    return packet
  }

  private async send(cmd: number, data?: Uint8Array, timeoutMs = this.commandTimeoutMs): Promise<void> {
    await this.handle.bulkOut(this.eps.out, encodePacket(cmd, data), timeoutMs)
  }

  /** Sends a command and returns its reply, skipping stale replies to other commands. */
  private async command(cmd: number, what: TransferName, data?: Uint8Array, timeoutMs = this.commandTimeoutMs): Promise<KburnPacket> {
    await this.send(cmd, data, timeoutMs)
    for (let stale = 0; stale < 4; stale++) {
      const reply = await this.readPacket(timeoutMs, what)
      if (reply.cmd === (cmd | 0x8000)) return reply
    }
    throw new FlashError('protocol', 'noAnswer', { what })
  }

  /** Drains stale status packets (left by a trailing zero-length packet) by a NONE command and its known reply. */
  async resync(): Promise<void> {
    await this.send(KBURN_CMD.none)
    for (let tries = 0; tries < 4; tries++) {
      const reply = await this.readPacket(this.commandTimeoutMs, 'resync')
      if (reply.cmd === 0x8000 && packetText(reply) === NOP_REPLY) return
    }
    throw new FlashError('protocol', 'noResync')
  }

  /** Probes the medium; rejects 'loader-rejected' when the loader cannot open it. */
  async probe(medium: FlashMedium): Promise<ChunkSizes> {
    const reply = await this.command(KBURN_CMD.probe, 'probe', Uint8Array.of(MEDIUM_CODE[medium], 0xff), 10_000)
    if (reply.result !== KBURN_RESULT.ok || reply.data.length < 16) {
      throw new FlashError('loader-rejected', 'probeRefused', { medium, text: packetText(reply) || `result ${reply.result}` })
    }
    return { out: readU64(reply.data, 0), in: readU64(reply.data, 1) }
  }

  /** Reads the probed medium's geometry. */
  async mediumInfo(): Promise<MediumInfo> {
    const reply = await this.command(KBURN_CMD.getInfo, 'info')
    if (reply.result !== KBURN_RESULT.ok || reply.data.length < 32) throw new FlashError('protocol', 'noMediumInfo', { text: packetText(reply) })
    return decodeMediumInfo(reply.data)
  }

  /** Streams one write: `chunks` must total `request.size` bytes; `onChunk` sees each chunk after it is accepted. */
  async write(request: WriteRequest, chunks: AsyncIterable<Uint8Array>, options: { version: number; chunkTimeoutMs: number; onChunk?: (bytes: number) => void }): Promise<void> {
    const full = u64s(request.offset, request.size, request.maxSize, request.flag)
    const short = u64s(request.offset, request.size)
    let start = await this.command(KBURN_CMD.write, 'writeRequest', options.version >= 1 ? full : short)
    if (start.result !== KBURN_RESULT.ok && packetText(start).includes('CMD SIZE')) start = await this.command(KBURN_CMD.write, 'writeRequest', options.version >= 1 ? short : full)
    if (start.result !== KBURN_RESULT.ok) throw writeRefused(request, packetText(start))
    const chunkCount = Math.max(1, Math.ceil(request.size / (128 * 1024)))
    const status = this.readPacket(options.chunkTimeoutMs * (chunkCount + 2), 'writeEnd')
    const statusSettled = status.then(
      () => 'status' as const,
      () => 'status' as const,
    )
    let sent = 0
    let done: KburnPacket | null = null
    for await (const chunk of chunks) {
      if (done) throw new FlashError('protocol', 'writeEndedEarly', { sent, size: request.size })
      const transfer = this.handle.bulkOut(this.eps.out, chunk, options.chunkTimeoutMs)
      transfer.catch(() => undefined)
      const first = await Promise.race([transfer.then(() => 'sent' as const), statusSettled])
      if (first === 'status') {
        done = await status
        if (!isWriteDone(done)) throw deviceWriteError(request, sent, packetText(done))
      }
      await transfer
      sent += chunk.length
      if (chunk.length % this.eps.maxPacketSize === 0) await this.handle.bulkOut(this.eps.out, new Uint8Array(0), options.chunkTimeoutMs)
      options.onChunk?.(chunk.length)
    }
    if (sent !== request.size) throw new FlashError('protocol', 'writeSentMismatch', { sent, size: request.size })
    done ??= await status
    if (!isWriteDone(done)) throw deviceWriteError(request, sent, packetText(done))
    await this.resync()
  }

  /**
   * Reads `size` bytes at `offset`, handing each chunk to `sink` in order. Resolves 'no-read' when the loader has no
   * read for the medium: `NO READ FUNC` (f_kburn.c:888-890) or the stub's `READ ERROR, 0xFFFFFFFF` before any data
   * (kburn_sf.c:38-41, kburn_mtd.c:62-65 through f_kburn.c:825-833).
   */
  async read(offset: number, size: number, sink: (chunk: Uint8Array) => void, chunkTimeoutMs: number, inChunk: number): Promise<'read' | 'no-read'> {
    const start = await this.command(KBURN_CMD.read, 'readRequest', u64s(offset, size))
    if (start.result !== KBURN_RESULT.ok && packetText(start) === 'NO READ FUNC') return 'no-read'
    if (start.result !== KBURN_RESULT.ok) throw new FlashError('read-error', 'readRefused', { size, offset: `0x${offset.toString(16)}`, text: packetText(start) })
    let received = 0
    for (;;) {
      const bytes = await this.handle.bulkIn(this.eps.in, inChunk + 6, chunkTimeoutMs)
      const packet = decodePacket(bytes)
      if (!packet || packet.cmd !== (KBURN_CMD.readChunk | 0x8000)) throw new FlashError('protocol', 'readUnexpected', { bytes: bytes.length, offset: `0x${(offset + received).toString(16)}` })
      if (bytes.length === 6 + packet.data.length && packet.result === KBURN_RESULT.ok) {
        sink(packet.data)
        received += packet.data.length
        continue
      }
      const text = packetText(packet)
      if (packet.result === KBURN_RESULT.ok && text === 'READ DONE') break
      if (received === 0 && text === READ_STUB_REPLY) return 'no-read'
      throw new FlashError('read-error', 'readFailed', { offset: `0x${(offset + received).toString(16)}`, text })
    }
    if (received !== size) throw new FlashError('read-error', 'readShort', { received, size, offset: `0x${offset.toString(16)}` })
    return 'read'
  }

  /**
   * Erases `size` bytes at `offset` (both erase-aligned). The loader answers once the medium is erased, so the reply is
   * read again after each timeout, at most once per 4 KiB erased (as k230_flash, burner_uboot.cpp:448-463 and :843).
   */
  async erase(offset: number, size: number, readTimeoutMs: number): Promise<void> {
    await this.send(KBURN_CMD.erase, u64s(offset, size))
    const reads = Math.max(1, Math.ceil(size / 4096)) + 1
    let reply: KburnPacket | null = null
    for (let read = 0, stale = 0; read < reads && !reply; read++) {
      try {
        const packet = await this.readPacket(readTimeoutMs, 'erase')
        if (packet.cmd === (KBURN_CMD.erase | 0x8000)) reply = packet
        else if (++stale < 4) read--
      } catch (error) {
        if (!(error instanceof FlashError && error.code === 'timeout')) throw error
      }
    }
    if (!reply) throw new FlashError('timeout', 'eraseTimeout', { size, offset: `0x${offset.toString(16)}`, reads, ms: Math.round(readTimeoutMs) })
    if (reply.result !== KBURN_RESULT.ok) throw new FlashError('write-error', 'eraseFailed', { size, offset: `0x${offset.toString(16)}`, text: packetText(reply) })
  }

  /** Asks the loader to reset the board; there is no reply. */
  async reboot(): Promise<void> {
    await this.send(KBURN_CMD.reboot, u64s(KBURN_REBOOT_MAGIC))
  }
}

function isWriteDone(packet: KburnPacket): boolean {
  return packet.cmd === (KBURN_CMD.write | 0x8000) && packet.result === KBURN_RESULT.ok
}

function writeRefused(request: WriteRequest, text: string): FlashError {
  const code = text.includes('EXCEED') ? 'medium-too-small' : 'write-error'
  return new FlashError(code, 'writeRefused', { size: request.size, offset: `0x${request.offset.toString(16)}`, text })
}

function deviceWriteError(request: WriteRequest, sent: number, text: string): FlashError {
  return new FlashError('write-error', 'writeFailed', { sent, size: request.size, offset: `0x${request.offset.toString(16)}`, text })
}
