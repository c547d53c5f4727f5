/** Public face of the flash engine: what the CLI, the services and the UI call. */
import { flashWritten, type FlashMedium, type FlashResult } from '@shared/flash'
import { listBurningDevices as listOn, type BurningDevice } from './discovery'
import { FlashError, type FlashMessage } from './errors'
import { flash, type FlashOptions } from './flasher'
import { planImage } from './image/plan'
import { openImageSource } from './image/source'
import { directoryLoaders, loaderDirFromEnv, type LoaderSource } from './loaders'
import type { FlashProgress } from './progress'
import type { UsbBus } from './transport'
import { createUsbBus } from './usb-real'
import { chosenDefaultBurnBus, virtualBurnBus } from './virtual-bus'

export { flash, otpConfirmationPhrase, type FlashOptions } from './flasher'
export { watchBurningDevices, waitForStage, type BurningDevice } from './discovery'
export { FlashError } from './errors'
export { createUsbBus, usbUnavailable } from './usb-real'
export { provideVirtualBurnBus, virtualBurnBus, chooseDefaultBurnBus, type VirtualBurnBusFactory, type VirtualBurnBusOptions } from './virtual-bus'
export { directoryLoaders, type LoaderSource } from './loaders'
export { planImage, type ImagePlan } from './image/plan'
export { openImageSource } from './image/source'
export { formatEta, formatRate, type FlashProgress } from './progress'
export type { UsbBus, UsbHandle } from './transport'

let defaultBus: Promise<UsbBus> | null = null

/** The process's bus: the one a composition root chose (chooseDefaultBurnBus, e.g. the virtual boards in burning mode), the real USB otherwise. */
export function defaultBurnBus(): Promise<UsbBus> {
  defaultBus ??= chosenDefaultBurnBus()?.() ?? createUsbBus()
  return defaultBus
}

let demoBus: UsbBus | null = null

/** The demo's boards in burning mode (two healthy virtual K230s from the provided factory), one set per process; `timeScale` applies on first use. */
export function demoBurnBus(timeScale = 1): UsbBus {
  demoBus ??= virtualBurnBus({ scenario: 'healthy', boards: 2, timeScale })
  return demoBus
}

/** Loaders for `bus`: the virtual bus's own, else K230_LOADER_DIR (or `dir`). */
export function defaultLoaders(bus: UsbBus, env: NodeJS.ProcessEnv = process.env, dir?: string): LoaderSource {
  if (bus.loaders) return bus.loaders()
  const where = dir ?? loaderDirFromEnv(env)
  if (!where)
    return {
      description: 'none',
      async load() {
        throw new FlashError('loader-missing', 'noLoaderDir')
      },
    }
  return directoryLoaders(where)
}

/** Boards in burning mode on `bus` (default bus when omitted). */
export async function listBurningDevices(bus?: UsbBus): Promise<BurningDevice[]> {
  return listOn(bus ?? (await defaultBurnBus()))
}

/** The parts of an image as a list shows them; rejects with a FlashError ('image-invalid') saying what is wrong. */
export async function inspectImage(path: string): Promise<{ path: string; format: string; size: number; parts: { name: string; offset: number; size: number }[] }> {
  const plan = await planImage(await openImageSource(path))
  return { path, format: plan.format, size: plan.imageBytes, parts: plan.parts.map((p) => ({ name: p.name, offset: p.offset, size: p.paddedSize })) }
}

/** Flashes one board and resolves with its result; rejects with a FlashError when it did not end verified (the result is on `error.result`). */
export async function flashDevice(options: {
  device: string
  image: string
  medium: FlashMedium | string
  reboot?: boolean
  bus?: UsbBus
  loaders?: LoaderSource
  onProgress?: (p: { phase: FlashProgress['phase']; bytes: number; total: number; bytesPerSecond: number; etaMs: number; part?: string }) => void
  extra?: Partial<FlashOptions>
}): Promise<FlashResult> {
  const bus = options.bus ?? (await defaultBurnBus())
  const result = await flash({
    bus,
    address: options.device,
    imagePath: options.image,
    medium: options.medium as FlashMedium,
    loaders: options.loaders ?? defaultLoaders(bus),
    reboot: options.reboot,
    onProgress: (p) => options.onProgress?.({ phase: p.phase, bytes: p.bytesDone, total: p.bytesTotal, bytesPerSecond: p.bytesPerSec, etaMs: p.etaSec === null ? 0 : p.etaSec * 1000, part: p.part }),
    ...options.extra,
  })
  if (!flashWritten(result.outcome)) {
    const error = result.error?.key ? new FlashError(result.error.code, result.error.key.replace(/^flashError\./, '') as FlashMessage, result.error.params) : new FlashError(result.error?.code ?? 'protocol', 'ended', { outcome: result.outcome })
    Object.assign(error, { result })
    throw error
  }
  return result
}
