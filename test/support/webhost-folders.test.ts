import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')

async function startHost(env: NodeJS.ProcessEnv): Promise<{ url: string; results: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-webhost/main.ts', '--port', '0', '--static', join(root, 'resources')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')))
  const [url, results] = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not start:\n${out}`)), 60_000)
    child.stdout.on('data', () => {
      const u = /browser host: (\S+)/.exec(out)
      const r = /Results folder: (.+)\n/.exec(out)
      if (u && r) {
        clearTimeout(timer)
        resolve([u[1], r[1]])
      }
    })
    child.on('exit', (code) => reject(new Error(`the host exited (${code}):\n${out}`)))
  })
  return { url, results, stop: () => new Promise((resolve) => (child.kill('SIGTERM'), child.once('exit', () => resolve()))) }
}

describe('browser host folders', () => {
  it('uses the same per-user results and data folders at every start, not a new temporary folder', async () => {
    const home = mkdtempSync(join(tmpdir(), 'k230-home-'))
    const env = { PATH: process.env.PATH, HOME: home, USERPROFILE: home, APPDATA: join(home, 'AppData', 'Roaming') }
    const first = await startHost(env)
    await first.stop()
    const second = await startHost(env)
    await second.stop()
    expect(first.results).toBe(join(home, 'Documents', 'K230 Bring-up results'))
    expect(second.results).toBe(first.results)
  }, 120_000)
})
