/** Flash facade: boards in burning mode, image inspection, flashing several boards with progress events. */
import type { FlashDeviceView, ImageView, InvokeRequest } from '@shared/ipc'
import { EventHub } from './events'
import { engineModule } from './engine'
import { NotAvailableError, ServiceError } from './errors'

type Fn = (...args: never[]) => unknown

/** Wraps the flash engine; trusts requests already checked by the IPC schema, checks devices exist. */
export class FlashService {
  private devices: FlashDeviceView[] = []

  constructor(private readonly events: EventHub) {}

  private async fn(name: string): Promise<Fn> {
    const mod = await engineModule('@engine/flash/index', 'Flashing')
    const f = mod[name]
    if (typeof f !== 'function') throw new NotAvailableError('Flashing', `@engine/flash has no ${name}()`)
    return f as Fn
  }

  /** Boards in burning mode now. */
  async list(): Promise<FlashDeviceView[]> {
    const discover = (await this.fn('listBurningDevices')) as unknown as () => Promise<{ id: string; label?: string; chip?: string }[]>
    const found = await discover()
    this.devices = found.map((d) => ({ id: d.id, label: d.label ?? `${d.chip ?? 'K230'} ${d.id}`, state: this.devices.find((x) => x.id === d.id)?.state ?? 'idle' }))
    this.events.emit('flash:devices', this.devices)
    return this.devices
  }

  /** The parts of an image file (kdimg part table, or one part for a plain image). */
  async inspect(path: string): Promise<ImageView> {
    const inspectImage = (await this.fn('inspectImage')) as unknown as (p: string) => Promise<ImageView>
    return inspectImage(path)
  }

  /** Starts flashing each named board; progress arrives as `flash:progress` events. */
  async start(request: InvokeRequest<'flash:start'>): Promise<{ started: string[] }> {
    const unknown = request.devices.filter((d) => !this.devices.some((x) => x.id === d))
    if (unknown.length) throw new ServiceError('unknown-device', `No board in burning mode at ${unknown.join(', ')}`)
    const flash = (await this.fn('flashDevice')) as unknown as (o: {
      device: string
      image: string
      medium: string
      onProgress: (p: { phase: string; bytes: number; total: number; bytesPerSecond?: number; etaMs?: number }) => void
    }) => Promise<unknown>
    for (const id of request.devices) {
      this.setState(id, 'flashing')
      flash({
        device: id,
        image: request.image,
        medium: request.medium,
        onProgress: (p) =>
          this.events.emit('flash:progress', { deviceId: id, phase: p.phase as 'write', bytes: p.bytes, total: p.total, bytesPerSecond: p.bytesPerSecond ?? 0, etaMs: p.etaMs ?? 0 }),
      }).then(
        () => {
          this.setState(id, 'done')
          this.events.emit('flash:progress', { deviceId: id, phase: 'done', bytes: 1, total: 1, bytesPerSecond: 0, etaMs: 0 })
        },
        (error: unknown) => {
          this.setState(id, 'failed')
          this.events.emit('flash:progress', { deviceId: id, phase: 'failed', bytes: 0, total: 1, bytesPerSecond: 0, etaMs: 0, message: error instanceof Error ? error.message : String(error) })
        },
      )
    }
    return { started: request.devices }
  }

  private setState(id: string, state: FlashDeviceView['state']): void {
    this.devices = this.devices.map((d) => (d.id === id ? { ...d, state } : d))
    this.events.emit('flash:devices', this.devices)
  }
}
