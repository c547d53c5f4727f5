import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Two connected pseudo-terminals made by socat; `a` and `b` are their paths. */
export interface PtyPair {
  a: string
  b: string
  close(): Promise<void>
}

/** Starts `socat pty pty` and waits until it reports its transfer loop (or fails after the timeout). */
export async function openPtyPair(
  names: { a?: string; b?: string } = {},
  timeoutMs = 10_000,
): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-at-'))
  const a = join(dir, names.a ?? 'modem-host')
  const b = join(dir, names.b ?? 'modem-side')
  const child: ChildProcess = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  await new Promise<void>((resolve, reject) => {
    let log = ''
    const timer = setTimeout(
      () => reject(new Error(`socat did not start within ${timeoutMs} ms: ${log}`)),
      timeoutMs,
    )
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      if (log.includes('starting data transfer loop')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`socat exited (${code}): ${log}`))
    })
  })
  return {
    a,
    b,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
