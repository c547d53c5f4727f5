import { spawn, spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { closeSerial, hasTool, openSerial, PROMPT, run } from './harness'

const root = new URL('../..', import.meta.url).pathname
const tsx = ['--import', 'tsx', 'src-board/cli.ts']

describe('npm run sim (src-board/cli.ts)', () => {
  it.skipIf(!hasTool('socat'))('prints the PTY path as the first line, serves the console on it and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [...tsx, '--scenario', 'healthy', '--seed', '3', '--time-scale', '0.01'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const nl = out.indexOf('\n')
          if (nl >= 0) resolve(out.slice(0, nl))
        })
        child.once('exit', (code) => reject(new Error(`sim exited ${code} before printing a path`)))
      })
      expect(firstLine).toMatch(/^\/dev\/pts\/\d+$/)
      const { port, term } = await openSerial(firstLine)
      try {
        await term.write('\r')
        await term.capture.waitFor(PROMPT, 0, 20_000)
        expect(await run(term, 'lsusb | grep 2c7c')).toBe('Bus 001 Device 002: ID 2c7c:6005\r\n')
      } finally {
        await closeSerial(port)
      }
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })

  it('names a bad option or an unknown scenario and exits 2', () => {
    const bad = spawnSync(process.execPath, [...tsx, '--seed', 'abc'], { cwd: root, encoding: 'utf8' })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain("sim: --seed expects a positive integer, got 'abc'")
    expect(bad.stdout).toBe('')
    const unknown = spawnSync(process.execPath, [...tsx, '--scenario', 'no-such-thing'], { cwd: root, encoding: 'utf8' })
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain("unknown scenario 'no-such-thing'")
  })
})
