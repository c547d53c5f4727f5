/** Puts an in-process virtual board behind a real PTY pair (socat), so the engine reaches it through `serialport`. */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SerialPort } from 'serialport'
import { createVirtualBoard, type VirtualBoardHandle } from '@board/board'
import type { VirtualBoardOptions } from '@board/types'
import { until } from './busybox-pty'

/** A virtual board whose console is the PTY at `path`. */
export interface BoardPty {
  path: string
  board: VirtualBoardHandle
  /** Pulls the "USB-serial bridge": the PTY disappears. */
  unplug(): void
  close(): Promise<void>
}

/** Starts the board and the PTY pair; the host side is `path`. */
export async function startBoardPty(options: VirtualBoardOptions = {}): Promise<BoardPty> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-vb-'))
  const path = join(dir, 'console')
  const boardSide = join(dir, 'board')
  const socat = spawn('socat', [`PTY,raw,echo=0,link=${path}`, `PTY,raw,echo=0,link=${boardSide}`], { stdio: 'ignore' })
  await until(() => (existsSync(path) && existsSync(boardSide)) || socat.exitCode !== null, 10_000, 'socat to create the PTY pair')
  const port = new SerialPort({ path: boardSide, baudRate: options.baud ?? 115200 })
  await new Promise<void>((resolve, reject) => port.once('open', resolve).once('error', reject))
  const board = createVirtualBoard({ timeScale: 0.01, lineRate: true, ...options })
  const offData = board.onData((chunk) => {
    if (port.isOpen) port.write(Buffer.from(chunk))
  })
  port.on('data', (chunk: Buffer) => board.write(new Uint8Array(chunk)))
  port.on('error', () => undefined)
  const killSocat = async () => {
    if (socat.exitCode === null && socat.signalCode === null) {
      const exited = new Promise((resolve) => socat.once('exit', resolve))
      socat.kill('SIGKILL')
      await exited
    }
  }
  board.onUnplug(() => void killSocat())
  return {
    path,
    board,
    unplug: () => board.unplug(),
    async close() {
      offData()
      board.close()
      if (port.isOpen) await new Promise((resolve) => port.close(resolve))
      await killSocat()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
