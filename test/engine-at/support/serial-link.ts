import { SerialPort } from 'serialport'
import { LinkLostError, type Link } from '@engine/link/link'

/**
 * A minimal Link over `serialport` for these tests (the engine's own Link lives in src-engine/link).
 * serialport sees no hang-up when a PTY's far side goes away, so `unplug()` closes the port the way the
 * engine's Link reports an unplug: one close event carrying a LinkLostError.
 */
export async function openSerialLink(
  path: string,
  baudRate = 115200,
): Promise<Link & { unplug(): Promise<void> }> {
  const port = await new Promise<SerialPort>((resolve, reject) => {
    const p: SerialPort = new SerialPort({ path, baudRate }, (error) =>
      error ? reject(error) : resolve(p),
    )
  })
  const closeListeners = new Set<(error?: LinkLostError) => void>()
  let closing = false
  port.on('close', (error?: Error) => {
    const lost = closing ? undefined : new LinkLostError(path, error?.message)
    for (const listener of closeListeners) listener(lost)
    closeListeners.clear()
  })
  return {
    name: path,
    baudRate,
    get isOpen() {
      return port.isOpen
    },
    write(data) {
      return new Promise((resolve, reject) => {
        if (!port.isOpen) return reject(new LinkLostError(path, 'port closed'))
        port.write(typeof data === 'string' ? data : Buffer.from(data), (error) =>
          error ? reject(new LinkLostError(path, error.message)) : port.drain(() => resolve()),
        )
      })
    },
    onData(listener) {
      const handler = (chunk: Buffer) => listener(new Uint8Array(chunk))
      port.on('data', handler)
      return () => port.off('data', handler)
    },
    onClose(listener) {
      closeListeners.add(listener)
      return () => closeListeners.delete(listener)
    },
    async unplug() {
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()))
    },
    async close() {
      closing = true
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()))
    },
  }
}
