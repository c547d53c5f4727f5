/** Link over a serial port (USB-serial bridge or PTY) through `serialport`. */
import { SerialPort } from 'serialport'
import { LinkLostError, type Link } from './link'
import { normalizePortPath } from './port-path'
import { LinkEvents } from './link-events'
import { PortOpenError } from './open-error'

/** Options of openSerialLink. */
export interface SerialLinkOptions {
  path: string
  /** Default 115200 (8N1). */
  baudRate?: number
}

/** Opens a serial port as a Link; an unplug surfaces once as LinkLostError on onClose and on pending writes. */
export async function openSerialLink(options: SerialLinkOptions): Promise<Link> {
  const path = normalizePortPath(options.path)
  const baudRate = options.baudRate ?? 115200
  if (!Number.isInteger(baudRate) || baudRate <= 0) throw new RangeError(`Invalid baud rate '${String(options.baudRate)}': expected a positive integer such as 115200`)
  const port = new SerialPort({ path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false })
  await new Promise<void>((resolve, reject) =>
    port.open((error) => (error ? reject(new PortOpenError(path, error.message)) : resolve())),
  )
  const events = new LinkEvents(path)
  let closing = false
  port.on('data', (chunk: Buffer) => events.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)))
  port.on('close', (error?: Error & { disconnected?: boolean }) => {
    if (closing && !error) events.close()
    else events.close(new LinkLostError(path, error?.message ?? 'port closed'))
  })
  port.on('error', (error: Error) => {
    if (!port.isOpen) events.close(new LinkLostError(path, error.message))
  })

  return {
    name: path,
    baudRate,
    get isOpen() {
      return port.isOpen && !events.closed
    },
    write(data) {
      if (events.closed || !port.isOpen) return Promise.reject(events.lostError ?? new LinkLostError(path, 'port is closed'))
      const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      return new Promise<void>((resolve, reject) => {
        const fail = (error: Error) => reject(events.lostError ?? new LinkLostError(path, error.message))
        port.write(buffer, (error) => {
          if (error) return fail(error)
          port.drain((drainError) => (drainError ? fail(drainError) : resolve()))
        })
      })
    },
    onData: (listener) => events.onData(listener),
    onClose: (listener) => events.onClose(listener),
    async sendBreak(ms) {
      if (events.closed || !port.isOpen) throw events.lostError ?? new LinkLostError(path, 'port is closed')
      const set = (brk: boolean) => new Promise<void>((resolve, reject) => port.set({ brk }, (error) => (error ? reject(new Error(`Break on ${path} failed: ${error.message}`)) : resolve())))
      await set(true)
      try {
        await new Promise((resolve) => setTimeout(resolve, ms))
      } finally {
        await set(false)
      }
    },
    lose(detail) {
      if (events.closed) return Promise.resolve()
      events.close(new LinkLostError(path, detail))
      if (!port.isOpen) return Promise.resolve()
      closing = true
      return new Promise<void>((resolve) => port.close(() => resolve()))
    },
    close() {
      if (!port.isOpen) {
        events.close()
        return Promise.resolve()
      }
      closing = true
      return new Promise<void>((resolve) => port.close(() => resolve()))
    },
  }
}
