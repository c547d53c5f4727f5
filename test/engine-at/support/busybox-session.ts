import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SessionError, type RunResult, type ShellSession } from '@engine/session/types'

/**
 * A ShellSession stand-in that runs each command line with a real `busybox sh -c` on the host, so that
 * the board transport meets real BusyBox `printf` and `microcom` on a PTY. Output is stdout and stderr in order (as on a console), CRLF → LF.
 */
export function busyboxSession(maxLine = 900): ShellSession & { lines: string[] } {
  const lines: string[] = []
  const bin = mkdtempSync(join(tmpdir(), 'k230-bb-'))
  const busybox = spawnSync('sh', ['-c', 'command -v busybox']).stdout.toString().trim()
  symlinkSync(busybox, join(bin, 'microcom'))
  const env = { PATH: `${bin}:/usr/bin:/bin`, LANG: 'C' }
  return {
    lines,
    maxLine,
    async attach() {},
    async detach() {},
    on() {
      return () => {}
    },
    run(command, options = {}) {
      lines.push(command)
      if (Buffer.byteLength(command) > maxLine)
        return Promise.reject(
          new SessionError('line-too-long', `${Buffer.byteLength(command)} bytes`),
        )
      const started = Date.now()
      return new Promise<RunResult>((resolve, reject) => {
        const child = spawn('busybox', ['sh', '-c', `exec 2>&1\n${command}`], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env,
          detached: true,
        })
        let output = ''
        child.stdout.on('data', (c: Buffer) => (output += c.toString('latin1')))
        child.stderr.on('data', (c: Buffer) => (output += c.toString('latin1')))
        const timer = options.timeout
          ? setTimeout(() => {
              process.kill(-child.pid!, 'SIGINT')
              reject(new SessionError('timeout', `command timed out after ${options.timeout} ms`))
            }, options.timeout)
          : undefined
        child.on('close', (code) => {
          if (timer) clearTimeout(timer)
          resolve({
            output: output.replace(/\r+\n/g, '\n'),
            status: code ?? -1,
            durationMs: Date.now() - started,
            kernel: [],
          })
        })
      })
    },
  }
}
