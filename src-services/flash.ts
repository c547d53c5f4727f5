/** Flash facade: boards in burning mode (hot-plug), image inspection, several boards flashed at once with progress events. */
import type { FlashDeviceView, ImageView, InvokeRequest } from '@shared/ipc'
import type { FlashResult } from '@shared/flash'
import {
  defaultBurnBus,
  flashDevice,
  inspectImage,
  listBurningDevices,
  watchBurningDevices,
  type UsbBus,
} from '@engine/flash/index'
import { EventHub } from './events'
import { ServiceError } from './errors'

/** Called when a board flashed with "then run the bring-up" ended verified. */
export type HandOver = (result: FlashResult, serial: string) => Promise<void>

/** Wraps the flash engine; trusts requests checked by the IPC schema, checks that the named boards exist. */
export class FlashService {
  private devices: FlashDeviceView[] = []
  private stopWatch: (() => void) | null = null
  private active = 0

  constructor(
    private readonly events: EventHub,
    private readonly handOver: HandOver,
    private readonly bus: () => Promise<UsbBus> = () => defaultBurnBus(),
  ) {}

  /** Boards in burning mode now; starts the hot-plug watcher on first use. Rejects with the engine's message when USB cannot be read. */
  async list(): Promise<FlashDeviceView[]> {
    const bus = await this.bus()
    const found = await listBurningDevices(bus)
    this.devices = found.map((d) => ({
      id: d.id,
      label: d.label,
      state: this.devices.find((x) => x.id === d.id)?.state ?? 'idle',
    }))
    if (this.active === 0)
      this.stopWatch ??= watchBurningDevices(bus, (now) => {
        this.devices = now.map((d) => ({
          id: d.id,
          label: d.label,
          state: this.devices.find((x) => x.id === d.id)?.state ?? 'idle',
        }))
        this.events.emit('flash:devices', this.devices)
      })
    return this.devices
  }

  /** The parts of an image file (kdimg part table, or one part for a plain image); a damaged image is a clear error. */
  async inspect(path: string): Promise<ImageView> {
    return inspectImage(path)
  }

  /** Starts flashing each named board; progress arrives as `flash:progress`, the end as phase `done` or `failed`. */
  async start(request: InvokeRequest<'flash:start'>): Promise<{ started: string[] }> {
    const unknown = request.devices.filter((d) => !this.devices.some((x) => x.id === d))
    if (unknown.length)
      throw new ServiceError('unknown-device', `No board in burning mode at ${unknown.join(', ')}`)
    if (!request.devices.length)
      throw new ServiceError('no-device', 'Pick at least one board in burning mode')
    const busy = request.devices.filter(
      (d) => this.devices.find((x) => x.id === d)?.state === 'flashing',
    )
    if (busy.length) throw new ServiceError('busy', `Already flashing ${busy.join(', ')}`)
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
      ) =>
        this.events.emit('flash:progress', {
          deviceId: id,
          phase,
          bytes,
          total,
          bytesPerSecond,
          etaMs,
          message,
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
            progress(
              'done',
              result.bytesWritten,
              result.bytesWritten,
              result.throughputBytesPerSec,
              0,
              `verified (${result.verify})`,
            )
            if (request.thenRun && index === 0)
              await this.handOver(result, request.serial?.trim() || `flash-${id}`).catch(
                (error: unknown) =>
                  progress(
                    'done',
                    1,
                    1,
                    0,
                    0,
                    `bring-up not started: ${error instanceof Error ? error.message : String(error)}`,
                  ),
              )
          },
          (error: unknown) => {
            this.setState(id, 'failed')
            progress('failed', 0, 1, 0, 0, error instanceof Error ? error.message : String(error))
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
