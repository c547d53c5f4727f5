import { mkdir, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { hasKey, type Translate } from '@shared/i18n/translate'
import { keyedText } from '@shared/i18n/render'
import { stepLine } from './run-progress'
import { defaultKeyDir, loadOrCreateStationKey } from '@engine/report/index'
import { FLASH_MEDIA, flashStepRecord, flashWritten, type FlashMedium, type FlashResult } from '@shared/flash'
import type { CliCommand, CliIo } from '../command'
import { EXIT, exitCodeOf, outputFolderProblem, UsageError, worstExitCode, thrownText } from '../command'
import { parseCommandArgs } from '../args'
import { MAX_SLOTS } from '@shared/station-layout'
import { translator } from '@shared/i18n/translate'
import { createUsbBus, virtualBurnBus, defaultLoaders, directoryLoaders, flash, FlashError, formatEta, formatRate, otpConfirmationPhrase, type FlashProgress, type UsbBus } from '@engine/flash/index'

const english = translator('en')

const USAGE = english('cli.cmd.flash.usage')

const OPTIONS = {
        image: { type: 'string' },
        medium: { type: 'string' },
        device: { type: 'string', multiple: true },
        boards: { type: 'string' },
        sim: { type: 'string' },
        'sim-timescale': { type: 'string' },
        address: { type: 'string' },
        'loader-dir': { type: 'string' },
        reboot: { type: 'boolean' },
        'then-bringup': { type: 'boolean' },
        port: { type: 'string', multiple: true },
        profile: { type: 'string' },
        record: { type: 'string' },
        json: { type: 'boolean' },
        'enable-otp': { type: 'boolean' },
        'confirm-otp': { type: 'string' },
} as const

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

/** A flash phase (and the part it works on) in the language of `t`. */
function phaseWord(p: FlashProgress, t: Translate): string {
  const key = `cli.flash.phase.${p.phase}`
  const word = hasKey(key) ? t(key) : p.phase
  return `${word}${p.part ? ` ${p.part}` : ''}`
}

class ProgressView {
  private lastPhase = ''
  private lastDraw = 0

  constructor(
    private readonly io: CliIo,
    private readonly t: Translate,
  ) {}

  private phase(p: FlashProgress): string {
    return phaseWord(p, this.t)
  }

  private get tty(): boolean {
    return Boolean(this.io.stdout.isTTY)
  }

  update(p: FlashProgress): void {
    const key = `${p.phase}:${p.part ?? ''}`
    if (!this.tty) {
      if (key !== this.lastPhase && p.phase !== 'done') this.io.stdout.write(`${this.phase(p)}${p.bytesTotal ? ` (${p.bytesTotal} B)` : ''}\n`)
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
    const what = this.phase(p).padEnd(18).slice(0, 18)
    const figures = p.bytesTotal ? `${(ratio * 100).toFixed(0).padStart(3)}% ${(p.bytesDone / 1e6).toFixed(1)}/${(p.bytesTotal / 1e6).toFixed(1)} MB ${formatRate(p.bytesPerSec)} ${this.t('cli.flash.eta')} ${formatEta(p.etaSec)}` : ''
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
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(text) || !Number.isSafeInteger(value)) throw new UsageError('cli.flash.address', { value: text })
  return value
}

function summary(result: FlashResult, t: Translate): string {
  const compression = result.image.compression !== 'none' ? `, ${result.image.compression}` : ''
  const lines = [
    t('cli.flash.image', { name: result.image.name, format: result.image.format, bytes: result.image.imageBytes, compression }),
    t('cli.flash.medium', { medium: t(`flashError.medium.${result.medium}`), address: result.device.address || '?', capacity: result.capacityBytes ? ` (${result.capacityBytes} B)` : '' }),
  ]
  for (const p of result.parts) lines.push(`  ${p.name.padEnd(16)} 0x${p.offset.toString(16).padStart(8, '0')} ${String(p.writtenBytes).padStart(10)} B  sha256 ${p.imageSha256.slice(0, 16)}  ${p.verify}`)
  if (result.bytesWritten) lines.push(t('cli.flash.wrote', { bytes: result.bytesWritten, seconds: (result.writeMs / 1000).toFixed(2), rate: formatRate(result.throughputBytesPerSec), verify: result.verify }))
  const rebooted = result.rebooted ? t('cli.flash.rebooted') : ''
  if (result.outcome === 'verified') lines.push(t('cli.flash.verified', { rebooted }))
  else if (result.outcome === 'written-unverified') lines.push(t('cli.flash.unverifiable', { medium: t(`flashError.medium.${result.medium}`), rebooted }))
  else lines.push(t('cli.flash.other', { outcome: hasKey(`cli.flash.outcome.${result.outcome}`) ? t(`cli.flash.outcome.${result.outcome}`) : result.outcome.toUpperCase(), message: result.error ? keyedText(t, { key: result.error.key ?? '', params: result.error.params }, result.error.message) : '' }))
  return lines.join('\n') + '\n'
}

/** `k230-bringup flash`: writes an image to a board in burning mode (or the virtual one), verifies it, optionally hands over to the bring-up. */
export const flashCommand: CliCommand = {
  name: 'flash',
  summary: 'flash a firmware image over USB in burning mode and verify it',
  usage: USAGE,
  async run(argv, io) {
    const { values: opts, t } = parseCommandArgs(argv, io.env, OPTIONS)
    if (!opts.image) throw new UsageError('cli.flash.needsImage')
    if (!opts.medium) throw new UsageError('cli.flash.needsMedium')
    if (!(FLASH_MEDIA as readonly string[]).includes(opts.medium)) throw new UsageError('cli.flash.unknownMedium', { medium: opts.medium })
    const medium = opts.medium as FlashMedium
    const devices = opts.device ?? []
    const ports = opts.port ?? []
    if (!devices.length && !opts.sim) throw new UsageError('cli.flash.needsDevice')
    if (opts['then-bringup'] && !ports.length && !opts.sim) throw new UsageError('cli.flash.needsPort')
    if (ports.length && !opts['then-bringup']) throw new UsageError('cli.flash.portWithoutBringup')
    const boards = parseBoards(opts.boards, Boolean(opts.sim))
    const addresses = devices.length ? devices : opts.sim ? Array.from({ length: boards }, (_, i) => `1-${i + 1}`) : []
    if (addresses.length > MAX_SLOTS) throw new UsageError('cli.slots.tooManyBoards', { max: MAX_SLOTS })
    if (new Set(addresses).size !== addresses.length) throw new UsageError('cli.slots.deviceTwice')
    if (ports.length && ports.length !== addresses.length) throw new UsageError('cli.slots.portPerBoard', { boards: addresses.length, ports: ports.length })
    if (addresses.length > 1 && opts.record) throw new UsageError('cli.slots.recordOne')
    const timeScale = opts['sim-timescale'] === undefined ? 1 : Number(opts['sim-timescale'])
    if (!(timeScale > 0 && timeScale <= 10)) throw new UsageError('cli.flash.timeScale', { value: opts['sim-timescale'] })
    const plainAddress = parseAddress(opts.address)
    let bus: UsbBus
    try {
      bus = opts.sim ? virtualBurnBus({ scenario: opts.sim, timeScale, boards: Math.max(boards, addresses.length) }) : await createUsbBus()
    } catch (error) {
      if (error instanceof FlashError) throw new UsageError(error.key, error.params)
      throw error
    }
    const address = addresses[0] as string | undefined
    if (medium === 'otp' && opts['enable-otp'] && !opts['confirm-otp']) for (const a of addresses) io.stderr.write(`${t('cli.flash.otpConfirm', { phrase: otpConfirmationPhrase(a) })}\n`)
    const loaders = opts['loader-dir'] && !opts.sim ? directoryLoaders(resolve(io.cwd, opts['loader-dir'])) : defaultLoaders(bus, io.env)
    const controller = new AbortController()
    const flashBoard = (at: string | undefined, onProgress?: (p: FlashProgress) => void) =>
      flash({
        bus,
        address: at,
        imagePath: resolve(io.cwd, opts.image as string),
        medium,
        loaders,
        plainAddress,
        reboot: Boolean(opts.reboot || opts['then-bringup']),
        otp: { enabled: Boolean(opts['enable-otp']), confirmation: opts['confirm-otp'] },
        scenario: opts.sim,
        onProgress,
        signal: controller.signal,
      })
    const onSigint = () => controller.abort()
    const profilePath = opts.profile ? resolve(io.cwd, opts.profile) : undefined
    const simTimeScale = opts.sim ? timeScale : undefined
    if (addresses.length > 1) {
      process.once('SIGINT', onSigint)
      try {
        return await flashBatch(addresses, ports, flashBoard, { json: Boolean(opts.json), thenBringup: Boolean(opts['then-bringup']), simTimeScale, profilePath }, io, t)
      } finally {
        process.off('SIGINT', onSigint)
      }
    }
    const view = new ProgressView(io, t)
    process.once('SIGINT', onSigint)
    let result: FlashResult
    try {
      result = await flashBoard(address, opts.json ? undefined : (p) => view.update(p))
    } finally {
      process.off('SIGINT', onSigint)
    }
    view.end()
    if (opts.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n')
    else (flashWritten(result.outcome) ? io.stdout : io.stderr).write(summary(result, t))
    if (opts.record) await writeFile(resolve(io.cwd, opts.record), JSON.stringify({ flash: result, step: flashStepRecord(result) }, null, 2) + '\n')
    const code = flashExitCode(result)
    if (code !== EXIT.ok || !opts['then-bringup']) return code
    return thenBringup(result, ports[0], simTimeScale, profilePath, io, t)
  },
}

function parseBoards(text: string | undefined, sim: boolean): number {
  if (text === undefined) return 1
  if (!sim) throw new UsageError('cli.slots.boardsSimOnly')
  if (!/^[1-9]\d*$/.test(text) || Number(text) > MAX_SLOTS) throw new UsageError('cli.slots.boards', { max: MAX_SLOTS, value: text })
  return Number(text)
}

/** Several boards at once: each flashed in parallel (its lines start with `[address]`), then with `--then-bringup` board i goes to slot i's own bring-up; the exit code is the worst board's. */
async function flashBatch(
  addresses: string[],
  ports: string[],
  flashBoard: (address: string, onProgress?: (p: FlashProgress) => void) => Promise<FlashResult>,
  options: { json: boolean; thenBringup: boolean; simTimeScale?: number; profilePath?: string },
  io: CliIo,
  t: Translate,
): Promise<number> {
  const width = Math.max(...addresses.map((a) => a.length))
  const tag = (address: string) => `[${address.padEnd(width)}] `
  const results = await Promise.all(
    addresses.map((address) => {
      let last = ''
      return flashBoard(
        address,
        options.json
          ? undefined
          : (p) => {
              const key = `${p.phase}:${p.part ?? ''}`
              if (key !== last && p.phase !== 'done') io.stdout.write(`${tag(address)}${phaseWord(p, t)}${p.bytesTotal ? ` (${p.bytesTotal} B)` : ''}\n`)
              last = key
            },
      )
    }),
  )
  if (options.json) io.stdout.write(JSON.stringify(results, null, 2) + '\n')
  else
    results.forEach((result, i) =>
      (flashWritten(result.outcome) ? io.stdout : io.stderr).write(
        summary(result, t)
          .replace(/\n$/, '')
          .split('\n')
          .map((line) => `${tag(addresses[i])}${line}\n`)
          .join(''),
      ),
    )
  const codes = results.map(flashExitCode)
  if (!options.thenBringup) return worstExitCode(codes)
  const slotCodes = await Promise.all(
    results.map((result, i) =>
      codes[i] !== EXIT.ok ? Promise.resolve(codes[i]) : thenBringup(result, ports[i], options.simTimeScale, options.profilePath, io, t, t('cli.slots.slotPrefix', { n: String(i + 1).padStart(String(addresses.length).length) })),
    ),
  )
  return worstExitCode(slotCodes)
}

async function thenBringup(result: FlashResult, port: string | undefined, simTimeScale: number | undefined, profilePath: string | undefined, io: CliIo, t: Translate, prefix = ''): Promise<number> {
  let handover: typeof import('@engine/flash/handover')
  try {
    handover = await import('@engine/flash/handover')
  } catch (error) {
    io.stderr.write(`${prefix}${t('cli.flash.noHandover', { error: (error as Error).message })}\n`)
    return EXIT.failed
  }
  const outDir = io.env.K230_RESULTS_DIR
  if (outDir) {
    try {
      await mkdir(outDir, { recursive: true })
    } catch (error) {
      const problem = outputFolderProblem(error, outDir, t)
      io.stderr.write(`${prefix}${t('cli.flash.bringupNoStart', { problem: problem ?? t('cli.flash.resultsDir', { dir: outDir, error: thrownText(error, t) }) })}\n`)
      return problem ? EXIT.output : EXIT.lost
    }
  }
  io.stdout.write(`${prefix}${t('cli.flash.handover', { port: port ?? t('cli.flash.virtualConsole') })}${prefix ? t('cli.slots.handoverBoard', { address: result.device.address }) : ''}\n`)
  try {
    const { record, recordPath, warnings } = await handover.handOverToBringup({
      flash: result,
      port,
      sim: port ? undefined : { scenario: 'healthy', timeScale: simTimeScale },
      profilePath,
      appVersion: '0.1.0',
      outDir,
      signer: io.env.K230_RESULTS_DIR ? loadOrCreateStationKey(defaultKeyDir(io.env), io.env.K230_STATION) : undefined,
      onEvent: (e) => {
        if (e.type === 'step-end') io.stdout.write(prefix + stepLine(e.id, e.attempt, e.index, e.total, t))
      },
    })
    for (const warning of warnings) io.stderr.write(`${prefix}${t('cli.flash.bringupWarning', { warning: keyedText(t, warning) })}\n`)
    io.stdout.write(`${prefix}${t('cli.flash.bringupDone', { verdict: t(`report.verdictWord.${record.verdict}`) })}${recordPath ? t('cli.flash.bringupRecord', { path: recordPath }) : ''}\n`)
    return exitCodeOf(record.verdict)
  } catch (error) {
    io.stderr.write(`${prefix}${t('cli.flash.bringupFailed', { port: port ?? t('cli.flash.virtualBoard'), error: thrownText(error, t) })}\n`)
    return EXIT.lost
  }
}
