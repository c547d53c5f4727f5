import { SerialPort } from 'serialport'
import { LinkLostError, type Link } from '@engine/link/link'

/** A minimal Link over `serialport` for these tests (the engine's own Link lives in src-engine/link). */
export async function openSerialLink(path: string, baudRate = 115200): Promise<Link> {
  const port = await new Promise<SerialPort>((resolve, reject) => {
    const p: SerialPort = new SerialPort({ path, baudRate }, (error) => (error ? reject(error) : resolve(p)))
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
        port.write(typeof data === 'string' ? data : Buffer.from(data), (error) => (error ? reject(new LinkLostError(path, error.message)) : port.drain(() => resolve())))
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
    async close() {
      closing = true
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()))
    },
  }
}
