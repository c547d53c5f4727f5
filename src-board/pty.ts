import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, constants, openSync } from 'node:fs'
import type { VirtualBoard } from './types'

/** A pseudo-terminal exposing a board's console like a serial device. */
export interface PtyBridge {
  /** The slave device path (e.g. /dev/pts/7) that serialport or picocom opens. */
  readonly path: string
  /** Stops the bridge; the device path disappears. */
  close(): Promise<void>
}

/** socat is missing or failed to create the pseudo-terminal. */
export class PtyUnavailableError extends Error {
  override name = 'PtyUnavailableError'
}

/** Exposes the board's console on a new pseudo-terminal via `socat PTY STDIO`; rejects with PtyUnavailableError when socat is missing. */
export async function createPty(board: VirtualBoard, options: { timeoutMs?: number } = {}): Promise<PtyBridge> {
  const child = spawn('socat', ['-d', '-d', 'PTY,raw,echo=0', 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] })
  const path = await new Promise<string>((resolve, reject) => {
    let log = ''
    const timer = setTimeout(() => fail(new PtyUnavailableError(`socat did not report a PTY within ${options.timeoutMs ?? 5000} ms: ${log.trim()}`)), options.timeoutMs ?? 5000)
    const fail = (error: Error): void => {
      clearTimeout(timer)
      child.kill()
      reject(error)
    }
    child.once('error', (error: NodeJS.ErrnoException) =>
      fail(new PtyUnavailableError(error.code === 'ENOENT' ? 'socat is not installed: install it (e.g. `apt-get install socat` or `brew install socat`) to expose the virtual board on a pseudo-terminal' : `socat failed: ${error.message}`)),
    )
    child.once('exit', (code) => fail(new PtyUnavailableError(`socat exited (${code}) before creating a PTY: ${log.trim()}`)))
    const onLog = (chunk: Buffer): void => {
      log += chunk.toString()
      const m = /PTY is (\S+)/.exec(log)
      if (!m) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      child.removeAllListeners('error')
      child.stderr.off('data', onLog)
      child.stderr.resume()
      resolve(m[1])
    }
    child.stderr.on('data', onLog)
  })
  return bridge(board, child, path)
}

function bridge(board: VirtualBoard, child: ChildProcess, path: string): PtyBridge {
  const holder = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK)
  let closed = false
  const offData = board.onData((chunk) => {
    if (!closed) child.stdin?.write(chunk)
  })
  child.stdout?.on('data', (chunk: Buffer) => board.write(new Uint8Array(chunk)))
  child.stdin?.on('error', () => undefined)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const close = async (): Promise<void> => {
    if (closed) return exited
    closed = true
    offData()
    offUnplug()
    try {
      closeSync(holder)
    } catch {
      /* already closed */
    }
    child.kill('SIGTERM')
    await exited
  }
  const offUnplug = board.onUnplug(() => void close())
  return { path, close }
}
