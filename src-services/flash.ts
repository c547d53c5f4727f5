/** Flash facade: boards in burning mode (hot-plug), image inspection, several boards flashed at once with progress events. */
import { mkdir, open, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FlashDeviceView, FlashProgress, ImageView, InvokeRequest } from '@shared/ipc'
import { flashWritten, type FlashResult } from '@shared/flash'
import { sampleKdimg } from '@engine/flash/image/write-kdimg'
import {
  defaultBurnBus,
  flashDevice,
  inspectImage,
  listBurningDevices,
  watchBurningDevices,
  type UsbBus,
} from '@engine/flash/index'
import { EventHub } from './events'
import { keyedOf, ServiceError } from './errors'

/** Called when a board flashed with "then run the bring-up" ended verified. */
export type HandOver = (result: FlashResult, serial: string, slot: number) => Promise<void>

/** Where the Flash screen's files live: the demo image and images uploaded from the browser host. */
export interface FlashFiles {
  dir: string
}

/** Wraps the flash engine; trusts requests checked by the IPC schema, checks that the named boards exist. */
export class FlashService {
  private devices: FlashDeviceView[] = []
  private stopWatch: (() => void) | null = null
  private watched: UsbBus | null = null
  private active = 0

  constructor(
    private readonly events: EventHub,
    private readonly handOver: HandOver,
    private readonly bus: () => Promise<UsbBus> = () => defaultBurnBus(),
    private readonly files: FlashFiles | null = null,
  ) {}

  private view(d: { id: string; label: string; stage: 'brom' | 'loader' | 'unknown' }, bus: UsbBus): FlashDeviceView {
    return { id: d.id, label: d.label, stage: d.stage, state: this.devices.find((x) => x.id === d.id)?.state ?? 'idle', virtual: bus.kind === 'virtual' }
  }

  /** Boards in burning mode now; starts the hot-plug watcher on first use. Rejects with the engine's message when USB cannot be read. */
  async list(): Promise<FlashDeviceView[]> {
    const bus = await this.bus()
    if (this.watched !== bus) this.stop()
    const found = await listBurningDevices(bus)
    this.devices = found.map((d) => this.view(d, bus))
    if (this.active === 0 && !this.stopWatch) {
      this.watched = bus
      this.stopWatch = watchBurningDevices(bus, (now) => {
        this.devices = now.map((d) => this.view(d, bus))
        this.events.emit('flash:devices', this.devices)
      })
    }
    return this.devices
  }

  /** The parts of an image file (kdimg part table, or one part for a plain image); a damaged image is a clear error. */
  async inspect(path: string): Promise<ImageView> {
    return inspectImage(path)
  }

  private filesDir(): string {
    if (!this.files) throw ServiceError.keyed('no-files', 'noFiles')
    return this.files.dir
  }

  /** Writes the demo .kdimg (the app's own image writer) into the data folder and returns its path. */
  async sample(): Promise<string> {
    const dir = this.filesDir()
    await mkdir(dir, { recursive: true })
    const path = join(dir, 'k230-demo.kdimg')
    await writeFile(path, sampleKdimg())
    return path
  }

  /** Receives an image picked in the browser host, chunk by chunk in order; returns its path after the last chunk. */
  async upload(request: InvokeRequest<'flash:upload'>): Promise<string | null> {
    if (request.name === '.' || request.name === '..') throw ServiceError.keyed('bad-path', 'notFileName', { name: request.name })
    const dir = join(this.filesDir(), 'uploads')
    await mkdir(dir, { recursive: true })
    const path = join(dir, request.name)
    const file = await open(path, request.offset === 0 ? 'w' : 'r+')
    try {
      const { size } = await file.stat()
      if (size !== request.offset) throw ServiceError.keyed('upload-order', 'uploadOrder', { name: request.name, want: size, got: request.offset })
      await file.write(Buffer.from(request.data, 'base64'), 0, undefined, request.offset)
    } finally {
      await file.close()
    }
    return request.last ? path : null
  }

  /** Starts flashing each named board; progress arrives as `flash:progress`, the end as phase `done` or `failed`. */
  async start(request: InvokeRequest<'flash:start'>): Promise<{ started: string[] }> {
    const unknown = request.devices.filter((d) => !this.devices.some((x) => x.id === d))
    if (unknown.length)
      throw ServiceError.keyed('unknown-device', 'unknownDevice', { boards: unknown.join(', ') })
    if (!request.devices.length)
      throw ServiceError.keyed('no-device', 'noDevice')
    const busy = request.devices.filter(
      (d) => this.devices.find((x) => x.id === d)?.state === 'flashing',
    )
    if (busy.length) throw ServiceError.keyed('busy', 'alreadyFlashing', { boards: busy.join(', ') })
    const bus = await this.bus()
    this.stop()
    this.active += request.devices.length
    const settled = () => {
      if (--this.active === 0) void this.list().catch(() => undefined)
    }
    request.devices.forEach((id, index) => {
      this.setState(id, 'flashing')
      const progress = (
        phase: 'loader' | 'write' | 'verify' | 'done' | 'failed',
        bytes: number,
        total: number,
        bytesPerSecond = 0,
        etaMs = 0,
        message?: string,
        outcome?: FlashResult['outcome'],
        keyed: Pick<FlashProgress, 'key' | 'params'> = {},
      ) =>
        this.events.emit('flash:progress', {
          deviceId: id,
          phase,
          bytes,
          total,
          bytesPerSecond,
          etaMs,
          outcome,
          message,
          ...keyed,
        })
      flashDevice({
        device: id,
        image: request.image,
        medium: request.medium,
        bus,
        onProgress: (p) =>
          progress(
            p.phase === 'verify'
              ? 'verify'
              : p.phase === 'write' || p.phase === 'erase'
                ? 'write'
                : 'loader',
            p.bytes,
            p.total,
            p.bytesPerSecond,
            p.etaMs,
          ),
      })
        .finally(settled)
        .then(
          async (result) => {
            this.setState(id, 'done')
            progress('done', result.bytesWritten, result.bytesWritten, result.throughputBytesPerSec, 0, undefined, result.outcome)
            if (request.thenRun && flashWritten(result.outcome))
              await this.handOver(result, (request.devices.length === 1 && request.serial?.trim()) || `flash-${id}`, request.slots?.[index] ?? index).catch((error: unknown) =>
                progress('done', result.bytesWritten, result.bytesWritten, 0, 0, `bring-up not started: ${error instanceof Error ? error.message : String(error)}`, result.outcome),
              )
          },
          (error: unknown) => {
            this.setState(id, 'failed')
            const outcome = (error as { result?: FlashResult }).result?.outcome ?? 'error'
            progress('failed', 0, 1, 0, 0, error instanceof Error ? error.message : String(error), outcome, keyedOf(error))
          },
        )
    })
    return { started: request.devices }
  }

  /** Stops the hot-plug watcher (also while boards are being flashed: probing a board in use would break its flash). */
  stop(): void {
    this.stopWatch?.()
    this.stopWatch = null
  }

  private setState(id: string, state: FlashDeviceView['state']): void {
    this.devices = this.devices.map((d) => (d.id === id ? { ...d, state } : d))
    this.events.emit('flash:devices', this.devices)
  }
}
