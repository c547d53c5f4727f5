import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { defaultKeyDir, loadOrCreateStationKey } from '@engine/report/index'
import { FLASH_MEDIA, flashStepRecord, flashWritten, MEDIUM_LABEL, type FlashMedium, type FlashResult } from '@shared/flash'
import type { CliCommand, CliIo } from '../command'
import { EXIT, exitCodeOf, UsageError } from '../command'
import { createUsbBus, createVirtualBurnBus, defaultLoaders, directoryLoaders, flash, FlashError, formatEta, formatRate, otpConfirmationPhrase, type FlashProgress, type UsbBus } from '@engine/flash/index'

const USAGE =
  'k230-bringup flash --image FILE --medium emmc|sd|spi-nand|spi-nor (--device ADDR | --sim SCENARIO) [--address 0xADDR] [--loader-dir DIR] [--reboot] [--then-bringup --port PATH [--profile FILE]] [--record FILE] [--json] [--medium otp --enable-otp --confirm-otp TEXT]'

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      options: {
        image: { type: 'string' },
        medium: { type: 'string' },
        device: { type: 'string' },
        sim: { type: 'string' },
        'sim-timescale': { type: 'string' },
        address: { type: 'string' },
        'loader-dir': { type: 'string' },
        reboot: { type: 'boolean' },
        'then-bringup': { type: 'boolean' },
        port: { type: 'string' },
        profile: { type: 'string' },
        record: { type: 'string' },
        json: { type: 'boolean' },
        'enable-otp': { type: 'boolean' },
        'confirm-otp': { type: 'string' },
      },
    }).values
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** Exit status of a flash: 0 verified (or written where the loader cannot read back), 1 the board failed (verify, write, medium), 2 refused input, 3 device lost or unreachable. */
export function flashExitCode(result: FlashResult): number {
  switch (result.outcome) {
    case 'verified':
    case 'written-unverified':
      return EXIT.ok
    case 'refused':
      return EXIT.usage
    case 'device-lost':
      return EXIT.lost
    case 'error':
      return ['device-not-found', 'usb-unavailable', 'device-busy', 'handoff-timeout', 'timeout'].includes(result.error?.code ?? '') ? EXIT.lost : EXIT.failed
    default:
      return EXIT.failed
  }
}

class ProgressView {
  private lastPhase = ''
  private lastDraw = 0

  constructor(private readonly io: CliIo) {}

  private get tty(): boolean {
    return Boolean(this.io.stdout.isTTY)
  }

  update(p: FlashProgress): void {
    const key = `${p.phase}:${p.part ?? ''}`
    if (!this.tty) {
      if (key !== this.lastPhase && p.phase !== 'done') this.io.stdout.write(`${p.phase}${p.part ? ` ${p.part}` : ''}${p.bytesTotal ? ` (${p.bytesTotal} B)` : ''}\n`)
      this.lastPhase = key
      return
    }
    const now = performance.now()
    if (key === this.lastPhase && now - this.lastDraw < 100 && p.bytesDone < p.bytesTotal) return
    this.lastPhase = key
    this.lastDraw = now
    const width = Math.max(10, Math.min(40, (this.io.stdout.columns ?? 80) - 60))
    const ratio = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0
    const bar = '#'.repeat(Math.round(ratio * width)).padEnd(width, '-')
    const what = `${p.phase}${p.part ? ` ${p.part}` : ''}`.padEnd(18).slice(0, 18)
    const figures = p.bytesTotal ? `${(ratio * 100).toFixed(0).padStart(3)}% ${(p.bytesDone / 1e6).toFixed(1)}/${(p.bytesTotal / 1e6).toFixed(1)} MB ${formatRate(p.bytesPerSec)} ETA ${formatEta(p.etaSec)}` : ''
    this.io.stdout.write(`\r${what} [${bar}] ${figures}\x1b[K`)
    if (p.phase === 'done') this.io.stdout.write('\n')
  }

  end(): void {
    if (this.tty && this.lastPhase && !this.lastPhase.startsWith('done')) this.io.stdout.write('\n')
  }
}

function parseAddress(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(text) || !Number.isSafeInteger(value)) throw new UsageError(`--address must be a number like 0x400000, not "${text}"`)
  return value
}

function summary(result: FlashResult): string {
  const lines = [`image   ${result.image.name} (${result.image.format}, ${result.image.imageBytes} B${result.image.compression !== 'none' ? `, ${result.image.compression}` : ''})`, `medium  ${MEDIUM_LABEL[result.medium]} on ${result.device.address || '?'}${result.capacityBytes ? ` (${result.capacityBytes} B)` : ''}`]
  for (const p of result.parts) lines.push(`  ${p.name.padEnd(16)} 0x${p.offset.toString(16).padStart(8, '0')} ${String(p.writtenBytes).padStart(10)} B  sha256 ${p.imageSha256.slice(0, 16)}  ${p.verify}`)
  if (result.bytesWritten) lines.push(`wrote   ${result.bytesWritten} B in ${(result.writeMs / 1000).toFixed(2)} s (${formatRate(result.throughputBytesPerSec)}), verify ${result.verify}`)
  const rebooted = result.rebooted ? ', rebooted' : ''
  if (result.outcome === 'verified') lines.push(`result  VERIFIED${rebooted}`)
  else if (result.outcome === 'written-unverified') lines.push(`result  WRITTEN, NOT VERIFIABLE WITH THIS LOADER (it cannot read the ${MEDIUM_LABEL[result.medium]} back)${rebooted}`)
  else lines.push(`result  ${result.outcome.toUpperCase()}: ${result.error?.message ?? ''}`)
  return lines.join('\n') + '\n'
}

/** `k230-bringup flash`: writes an image to a board in burning mode (or the virtual one), verifies it, optionally hands over to the bring-up. */
export const flashCommand: CliCommand = {
  name: 'flash',
  summary: 'flash a firmware image over USB in burning mode and verify it',
  usage: USAGE,
  async run(argv, io) {
    const opts = parse(argv)
    if (!opts.image) throw new UsageError('--image FILE is required')
    if (!opts.medium) throw new UsageError('--medium is required (emmc, sd, spi-nand or spi-nor)')
    if (!(FLASH_MEDIA as readonly string[]).includes(opts.medium)) throw new UsageError(`unknown medium "${opts.medium}": use emmc, sd, spi-nand or spi-nor`)
    const medium = opts.medium as FlashMedium
    if (!opts.device && !opts.sim) throw new UsageError('give the board with --device ADDR (see `k230-bringup devices`) or use --sim SCENARIO')
    if (opts['then-bringup'] && !opts.port && !opts.sim) throw new UsageError('--then-bringup needs --port PATH (the board\'s serial console)')
    if (opts.port && !opts['then-bringup']) throw new UsageError('--port is only used with --then-bringup')
    const timeScale = opts['sim-timescale'] === undefined ? 1 : Number(opts['sim-timescale'])
    if (!(timeScale > 0 && timeScale <= 10)) throw new UsageError(`--sim-timescale must be a number above 0, not "${opts['sim-timescale']}"`)
    const plainAddress = parseAddress(opts.address)
    let bus: UsbBus
    try {
      bus = opts.sim ? createVirtualBurnBus({ scenario: opts.sim, timeScale }) : await createUsbBus()
    } catch (error) {
      if (error instanceof FlashError) throw new UsageError(error.message)
      throw error
    }
    const address = opts.device ?? (opts.sim ? '1-1' : undefined)
    if (medium === 'otp' && opts['enable-otp'] && !opts['confirm-otp'] && address) io.stderr.write(`OTP is irreversible. To confirm, add: --confirm-otp "${otpConfirmationPhrase(address)}"\n`)
    const loaders = opts['loader-dir'] && !opts.sim ? directoryLoaders(resolve(io.cwd, opts['loader-dir'])) : defaultLoaders(bus, io.env)
    const view = new ProgressView(io)
    const controller = new AbortController()
    const onSigint = () => controller.abort()
    process.once('SIGINT', onSigint)
    let result: FlashResult
    try {
      result = await flash({
        bus,
        address,
        imagePath: resolve(io.cwd, opts.image),
        medium,
        loaders,
        plainAddress,
        reboot: Boolean(opts.reboot || opts['then-bringup']),
        otp: { enabled: Boolean(opts['enable-otp']), confirmation: opts['confirm-otp'] },
        scenario: opts.sim,
        onProgress: opts.json ? undefined : (p) => view.update(p),
        signal: controller.signal,
      })
    } finally {
      process.off('SIGINT', onSigint)
    }
    view.end()
    if (opts.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n')
    else (flashWritten(result.outcome) ? io.stdout : io.stderr).write(summary(result))
    if (opts.record) await writeFile(resolve(io.cwd, opts.record), JSON.stringify({ flash: result, step: flashStepRecord(result) }, null, 2) + '\n')
    const code = flashExitCode(result)
    if (code !== EXIT.ok || !opts['then-bringup']) return code
    return thenBringup(result, opts.port, opts.sim ? timeScale : undefined, opts.profile ? resolve(io.cwd, opts.profile) : undefined, io)
  },
}

async function thenBringup(result: FlashResult, port: string | undefined, simTimeScale: number | undefined, profilePath: string | undefined, io: CliIo): Promise<number> {
  let handover: typeof import('@engine/flash/handover')
  try {
    handover = await import('@engine/flash/handover')
  } catch (error) {
    io.stderr.write(`--then-bringup is not available in this build: ${(error as Error).message}\n`)
    return EXIT.failed
  }
  io.stdout.write(`hand-over: bring-up on ${port ?? 'the virtual console board'}\n`)
  try {
    const { record, recordPath, warnings } = await handover.handOverToBringup({
      flash: result,
      port,
      sim: port ? undefined : { scenario: 'healthy', timeScale: simTimeScale },
      profilePath,
      appVersion: '0.1.0',
      outDir: io.env.K230_RESULTS_DIR,
      signer: io.env.K230_RESULTS_DIR ? loadOrCreateStationKey(defaultKeyDir(io.env), io.env.K230_STATION) : undefined,
      onEvent: (e) => {
        if (e.type === 'step-end') io.stdout.write(`  ${e.id.padEnd(14)} ${e.attempt.verdict}${e.attempt.reason ? `  ${e.attempt.reason}` : ''}\n`)
      },
    })
    for (const warning of warnings) io.stderr.write(`bring-up: ${warning}\n`)
    io.stdout.write(`bring-up ${record.verdict}${recordPath ? `, record ${recordPath}` : ''}\n`)
    return exitCodeOf(record.verdict)
  } catch (error) {
    io.stderr.write(`bring-up could not start on ${port ?? 'the virtual board'}: ${(error as Error).message}\n`)
    return EXIT.lost
  }
}
