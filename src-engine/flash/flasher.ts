/** The flash flow: check the image, start the loader, wait for it, check the medium, write, verify where the loader can read back, reboot. Never throws. */
import { createHash } from 'node:crypto'
import { basename } from 'node:path'
import type { FlashErrorCode, FlashMedium, FlashOutcome, FlashPartResult, FlashResult } from '@shared/flash'
import { MEDIUM_LABEL } from '@shared/flash'
import { readCpuInfo, stageOfCpuInfo, uploadAndStartLoader } from './brom'
import { waitForStage } from './discovery'
import { FlashError, asFlashError } from './errors'
import { PartReader, planImage, type ImagePlan, type PlannedPart } from './image/plan'
import { openImageSource } from './image/source'
import { KburnClient } from './kburn'
import type { Loader, LoaderSource } from './loaders'
import { RateMeter, type FlashProgress } from './progress'
import { K230_BURN_PID, K230_BURN_VID, LOADER_LOAD_ADDRESS, type MediumInfo } from './protocol'
import type { UsbBus, UsbHandle } from './transport'

/** Inputs of one flash. */
export interface FlashOptions {
  bus: UsbBus
  /** USB port path; may be omitted when exactly one board is in burning mode. */
  address?: string
  imagePath: string
  medium: FlashMedium
  loaders: LoaderSource
  /** Target address of a plain (non-kdimg) image; default 0. */
  plainAddress?: number
  reboot?: boolean
  /** OTP is refused unless enabled and confirmed with `otpConfirmationPhrase(address)`. */
  otp?: { enabled: boolean; confirmation?: string }
  /** Real ms to wait for the loader to enumerate (default 15 s). */
  handoffTimeoutMs?: number
  pollMs?: number
  /** Per 128 KiB chunk timeout in real ms (default: the device's, at least 15 s). */
  chunkTimeoutMs?: number
  scenario?: string
  onProgress?: (progress: FlashProgress) => void
  onLog?: (line: string) => void
  signal?: AbortSignal
}

/** The text an operator must type to write OTP on the board at `address`. */
export function otpConfirmationPhrase(address: string): string {
  return `burn otp on ${address}`
}

const OUTCOME: Partial<Record<FlashErrorCode, FlashOutcome>> = {
  'image-invalid': 'refused',
  usage: 'refused',
  'otp-refused': 'refused',
  'loader-missing': 'refused',
  alignment: 'refused',
  'device-lost': 'device-lost',
  'medium-too-small': 'write-failed',
  'medium-write-protected': 'write-failed',
  'write-error': 'write-failed',
  'read-error': 'verify-failed',
  'verify-mismatch': 'verify-failed',
  aborted: 'aborted',
}

/** Media whose public loader read never returns the medium: OTP answers success with an unfilled buffer (kburn_otp.c:33-37). */
const NO_READ_BACK = new Set<FlashMedium>(['otp'])

const roundUp = (n: number, to: number) => (to > 1 ? Math.ceil(n / to) * to : n)
const roundDown = (n: number, to: number) => (to > 1 ? Math.floor(n / to) * to : n)
const hex = (n: number) => `0x${n.toString(16)}`

/** Runs one flash and returns its record; every failure ends as a result with `error` set. */
export async function flash(options: FlashOptions): Promise<FlashResult> {
  const t0 = performance.now()
  const startedAt = new Date().toISOString()
  const log = options.onLog ?? (() => undefined)
  const result: FlashResult = {
    image: { name: basename(options.imagePath), format: 'unknown', compression: 'none', fileBytes: 0, imageBytes: 0 },
    medium: options.medium,
    device: { address: options.address ?? '', transport: options.bus.kind, scenario: options.scenario },
    parts: [],
    bytesWritten: 0,
    writeMs: 0,
    verifyMs: 0,
    durationMs: 0,
    throughputBytesPerSec: 0,
    verify: 'skipped',
    rebooted: false,
    outcome: 'error',
    startedAt,
    endedAt: startedAt,
  }
  let handle: UsbHandle | null = null
  let reader: PartReader | null = null
  try {
    checkOtp(options)
    const source = await openImageSource(options.imagePath)
    Object.assign(result.image, { name: source.displayName, compression: source.compression, fileBytes: source.fileBytes })
    emit(options, { phase: 'image', bytesDone: 0, bytesTotal: source.size ?? 0, bytesPerSec: 0, etaSec: null })
    const plan = await planImage(source, { address: options.plainAddress })
    result.image.format = plan.format
    result.image.imageBytes = plan.imageBytes
    if (plan.header) result.image.info = { image: plan.header.imageInfo, chip: plan.header.chipInfo, board: plan.header.boardInfo }
    if (plan.parts.length === 0) throw new FlashError('image-invalid', 'noParts', { image: source.displayName })
    log(`image ${source.displayName}: ${plan.format}, ${plan.parts.length} part(s), hashes checked`)
    reader = new PartReader(source)

    const address = await resolveAddress(options)
    result.device.address = address
    const loader: Loader = plan.loader ? { name: `${source.innerName}:loader`, bytes: await reader.bytes(plan.loader) } : await options.loaders.load(options.medium)
    result.loader = { name: loader.name, bytes: loader.bytes.length }

    handle = await options.bus.open(address)
    const stage = stageOfCpuInfo(await readCpuInfo(handle))
    if (stage === 'brom') {
      log(`uploading ${loader.name} (${loader.bytes.length} B) to ${hex(LOADER_LOAD_ADDRESS)}`)
      const meter = new RateMeter(loader.bytes.length)
      let last = 0
      await uploadAndStartLoader(handle, loader.bytes, LOADER_LOAD_ADDRESS, (sent, total) => {
        emit(options, { phase: 'loader', bytesTotal: total, ...meter.add(sent - last) })
        last = sent
      })
      await handle.close()
      handle = null
      emit(options, { phase: 'handoff', bytesDone: 0, bytesTotal: 0, bytesPerSec: 0, etaSec: null })
      await waitForStage(options.bus, address, 'loader', { timeoutMs: options.handoffTimeoutMs ?? 15_000, pollMs: options.pollMs ?? 100, signal: options.signal })
      handle = await options.bus.open(address)
    } else if (stage !== 'loader') throw new FlashError('protocol', 'unknownStage', { address })
    log(`loader running on ${address}`)

    const client = new KburnClient(handle)
    const version = await client.version()
    await client.resync()
    emit(options, { phase: 'probe', bytesDone: 0, bytesTotal: 0, bytesPerSec: 0, etaSec: null })
    const chunks = await client.probe(options.medium).catch((error: unknown) => {
      if (stage === 'loader' && error instanceof FlashError && error.code === 'loader-rejected')
        throw new FlashError('loader-rejected', 'staleLoader', { ...error.params, address })
      throw error
    })
    const info = await client.mediumInfo()
    result.capacityBytes = info.capacity
    log(`${MEDIUM_LABEL[options.medium]}: ${info.capacity} B, block ${info.blockSize}, erase ${info.eraseSize}`)
    const writes = checkMedium(plan, info, options.medium)
    const chunkTimeoutMs = options.chunkTimeoutMs ?? Math.max(info.timeoutMs, 15_000)

    const total = writes.reduce((n, w) => n + w.size, 0)
    const meter = new RateMeter(total)
    const tWrite = performance.now()
    for (const [i, w] of writes.entries()) {
      const part: FlashPartResult = { name: w.part.name, offset: w.part.offset, writtenBytes: w.size, contentBytes: w.part.contentSize, imageSha256: w.part.sha256, verify: 'pending' }
      result.parts.push(part)
      const hash = createHash('sha256')
      const tPart = performance.now()
      log(`writing ${w.part.name}: ${w.size} B at ${hex(w.part.offset)}`)
      await client.write(
        { offset: w.part.offset, size: w.size, maxSize: Math.max(w.part.maxSize, w.size), flag: w.part.flag },
        padded(reader.content(w.part), w, chunks.out, hash, options.signal),
        {
          version,
          chunkTimeoutMs,
          onChunk: (n) => {
            result.bytesWritten += n
            emit(options, { phase: 'write', part: w.part.name, partIndex: i, partCount: writes.length, bytesTotal: total, ...meter.add(n) })
          },
        },
      )
      part.writtenSha256 = hash.digest('hex')
      part.writeMs = performance.now() - tPart
      const eraseFrom = roundUp(w.part.offset + w.size, info.eraseSize)
      const eraseTo = roundDown(w.part.offset + w.part.eraseSize, info.eraseSize)
      if (w.part.eraseSize > 0 && eraseTo > eraseFrom) {
        emit(options, { phase: 'erase', part: w.part.name, bytesDone: 0, bytesTotal: eraseTo - eraseFrom, bytesPerSec: 0, etaSec: null })
        await client.erase(eraseFrom, eraseTo - eraseFrom, chunkTimeoutMs)
      }
    }
    result.writeMs = performance.now() - tWrite
    result.throughputBytesPerSec = result.writeMs > 0 ? (result.bytesWritten / result.writeMs) * 1000 : 0

    const tVerify = performance.now()
    const verifyMeter = new RateMeter(total)
    for (const [i, w] of writes.entries()) {
      const part = result.parts[i]
      const whole = createHash('sha256')
      const content = createHash('sha256')
      let at = 0
      const tPart = performance.now()
      if (NO_READ_BACK.has(options.medium)) {
        part.verify = 'unverifiable'
        continue
      }
      const read = await client.read(
        w.part.offset,
        w.size,
        (chunk) => {
          whole.update(chunk)
          const take = Math.min(chunk.length, Math.max(0, w.part.contentSize - at))
          if (take > 0) content.update(chunk.subarray(0, take))
          at += chunk.length
          if (options.signal?.aborted) throw new FlashError('aborted', 'abortedVerify')
          emit(options, { phase: 'verify', part: w.part.name, partIndex: i, partCount: writes.length, bytesTotal: total, ...verifyMeter.add(chunk.length) })
        },
        chunkTimeoutMs,
        chunks.in,
      )
      part.verifyMs = performance.now() - tPart
      if (read === 'no-read') {
        part.verify = 'unverifiable'
        log(`${w.part.name}: written, the loader cannot read the ${MEDIUM_LABEL[options.medium]} back`)
        continue
      }
      part.readBackSha256 = content.digest('hex')
      part.verify = whole.digest('hex') === part.writtenSha256 && part.readBackSha256 === part.imageSha256 ? 'pass' : 'fail'
    }
    result.verifyMs = performance.now() - tVerify
    const bad = result.parts.filter((p) => p.verify === 'fail')
    result.verify = bad.length ? 'fail' : result.parts.some((p) => p.verify === 'unverifiable') ? 'unverifiable' : 'pass'
    if (bad.length) {
      const p = bad[0]
      throw new FlashError('verify-mismatch', 'verifyMismatch', { part: p.name, offset: hex(p.offset), got: p.readBackSha256?.slice(0, 16) ?? '-', want: p.imageSha256.slice(0, 16), medium: options.medium })
    }
    if (options.reboot) {
      emit(options, { phase: 'reboot', bytesDone: 0, bytesTotal: 0, bytesPerSec: 0, etaSec: null })
      await client.reboot()
      result.rebooted = true
      log('reboot requested')
    }
    result.outcome = result.verify === 'unverifiable' ? 'written-unverified' : 'verified'
    emit(options, { phase: 'done', bytesDone: total, bytesTotal: total, bytesPerSec: result.throughputBytesPerSec, etaSec: 0 })
  } catch (thrown) {
    const error = asFlashError(thrown)
    result.error = { code: error.code, message: error.message, key: error.key, params: error.params }
    result.outcome = OUTCOME[error.code] ?? 'error'
    if (result.outcome === 'verify-failed') result.verify = 'fail'
    if (!result.writeMs && result.bytesWritten) result.writeMs = performance.now() - t0
    log(`flash failed: ${error.message}`)
  } finally {
    await reader?.close().catch(() => undefined)
    await handle?.close().catch(() => undefined)
    result.durationMs = performance.now() - t0
    result.endedAt = new Date().toISOString()
  }
  return result
}

function emit(options: FlashOptions, progress: FlashProgress): void {
  options.onProgress?.(progress)
}

function checkOtp(options: FlashOptions): void {
  if (options.medium !== 'otp') return
  if (!options.otp?.enabled) throw new FlashError('otp-refused', 'otpDisabled')
  const want = otpConfirmationPhrase(options.address ?? '?')
  if (!options.address || options.otp.confirmation !== want) throw new FlashError('otp-refused', 'otpConfirm', { phrase: want })
}

async function resolveAddress(options: FlashOptions): Promise<string> {
  const present = (await options.bus.list(K230_BURN_VID, K230_BURN_PID)).map((d) => d.address)
  if (options.address) {
    if (!present.includes(options.address))
      throw present.length ? new FlashError('device-not-found', 'noBoardAtOthers', { address: options.address, boards: present.join(', ') }) : new FlashError('device-not-found', 'noBoardAt', { address: options.address })
    return options.address
  }
  if (present.length === 1) return present[0]
  if (present.length === 0) throw new FlashError('device-not-found', 'noBoard')
  throw new FlashError('usage', 'severalBoards', { boards: present.join(', ') })
}

interface PlannedWrite {
  part: PlannedPart
  /** Bytes sent: content padded to part size, then to the medium block. */
  size: number
}

function checkMedium(plan: ImagePlan, info: MediumInfo, medium: FlashMedium): PlannedWrite[] {
  if (info.writeProtected) throw new FlashError('medium-write-protected', 'writeProtected', { medium })
  if (info.capacity <= 0) throw new FlashError('protocol', 'zeroCapacity', { medium })
  const writes = plan.parts.map((part) => ({ part, size: roundUp(Math.max(part.paddedSize, part.contentSize), info.blockSize) }))
  let need = 0
  let last: PlannedWrite | undefined
  for (const w of writes) {
    const end = w.part.offset + Math.max(w.size, w.part.maxSize)
    if (end > need) {
      need = end
      last = w
    }
    if ((w.part.flag >> 48n) & 1024n) throw new FlashError('image-invalid', 'oobPart', { part: w.part.name })
    if (info.eraseSize > 1 && w.part.offset % info.eraseSize !== 0)
      throw new FlashError('alignment', 'misaligned', { part: w.part.name, offset: hex(w.part.offset), medium, eraseSize: info.eraseSize })
  }
  if (need > info.capacity)
    throw new FlashError('medium-too-small', 'tooSmall', { medium, need, part: last?.part.name ?? '-', end: hex(need), capacity: info.capacity })
  return writes
}

async function* padded(content: AsyncIterable<Uint8Array>, w: PlannedWrite, chunkSize: number, hash: ReturnType<typeof createHash>, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(chunkSize)
  let fill = 0
  let sent = 0
  const flush = function* () {
    const out = buffer.subarray(0, fill)
    hash.update(out)
    sent += fill
    yield out
    buffer = new Uint8Array(chunkSize)
    fill = 0
  }
  const pushBytes = function* (bytes: Uint8Array) {
    let at = 0
    while (at < bytes.length) {
      const n = Math.min(chunkSize - fill, bytes.length - at)
      buffer.set(bytes.subarray(at, at + n), fill)
      fill += n
      at += n
      if (fill === chunkSize) yield* flush()
    }
  }
  for await (const chunk of content) {
    if (signal?.aborted) throw new FlashError('aborted', 'aborted')
    yield* pushBytes(chunk)
  }
  const padTo = Math.max(w.part.paddedSize, w.part.contentSize)
  const fillByte = new Uint8Array(Math.min(1 << 16, Math.max(0, w.size - w.part.contentSize))).fill(0xff)
  for (let left = padTo - w.part.contentSize; left > 0; left -= fillByte.length) yield* pushBytes(fillByte.subarray(0, Math.min(left, fillByte.length)))
  const zero = new Uint8Array(Math.min(1 << 16, Math.max(1, w.size)))
  for (let left = w.size - padTo; left > 0; left -= zero.length) yield* pushBytes(zero.subarray(0, Math.min(left, zero.length)))
  if (fill > 0) yield* flush()
  if (sent !== w.size) throw new FlashError('protocol', 'preparedMismatch', { sent, part: w.part.name, size: w.size })
}
