import type { CharDevice, CharDeviceHandle } from '../types'
import { BoardFsError } from '../fs/errors'

const encoder = new TextEncoder()

/** An opener's handle on a ttyUSB port, with a hang-up notification when the device vanishes. */
export interface PortHandle extends CharDeviceHandle {
  /** Calls fn when the port disappears (USB disconnect) or is closed; returns unsubscribe. */
  onHangup(fn: () => void): () => void
  readonly open: boolean
}

/** A /dev/ttyUSBn node of the option driver: bytes written go to `sink`; `emit` delivers bytes to every opener; trusts its caller. */
export class SerialPortModel implements CharDevice {
  private readonly handles = new Set<HandleImpl>()

  constructor(
    readonly path: string,
    private readonly present: () => boolean,
    private readonly sink: (bytes: Uint8Array) => void,
  ) {}

  /** Opens the port; throws ENOENT (as the fs would) when the node does not exist. */
  open(): PortHandle {
    if (!this.present()) throw new BoardFsError('ENOENT', this.path)
    const handle = new HandleImpl(
      this.sink,
      (h) => this.handles.delete(h),
      () => this.present(),
    )
    this.handles.add(handle)
    return handle
  }

  /** Number of openers (a port nobody holds open discards what the module sends). */
  get openCount(): number {
    return this.handles.size
  }

  /** Delivers module output to every opener. */
  emit(data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data
    for (const h of [...this.handles]) h.deliver(bytes)
  }

  /** Hangs up every opener (USB disconnect). */
  hangupAll(): void {
    for (const h of [...this.handles]) h.hangup()
  }
}

class HandleImpl implements PortHandle {
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>()
  private readonly hangupListeners = new Set<() => void>()
  private isOpen = true

  constructor(
    private readonly sink: (bytes: Uint8Array) => void,
    private readonly release: (h: HandleImpl) => void,
    private readonly present: () => boolean,
  ) {}

  get open(): boolean {
    return this.isOpen
  }

  write(data: Uint8Array | string): void {
    if (!this.isOpen || !this.present()) throw new BoardFsError('EIO', 'tty')
    this.sink(typeof data === 'string' ? encoder.encode(data) : data)
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener)
    return () => this.dataListeners.delete(listener)
  }

  onHangup(fn: () => void): () => void {
    if (!this.isOpen) {
      fn()
      return () => undefined
    }
    this.hangupListeners.add(fn)
    return () => this.hangupListeners.delete(fn)
  }

  deliver(bytes: Uint8Array): void {
    if (!this.isOpen) return
    for (const l of [...this.dataListeners]) l(bytes)
  }

  hangup(): void {
    if (!this.isOpen) return
    this.isOpen = false
    this.release(this)
    for (const fn of [...this.hangupListeners]) fn()
    this.hangupListeners.clear()
    this.dataListeners.clear()
  }

  close(): void {
    this.hangup()
  }
}
