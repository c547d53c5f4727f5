import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(__dirname, '../..')
const outDir = mkdtempSync(join(tmpdir(), 'k230-preload-build-'))
afterAll(() => rmSync(outDir, { recursive: true, force: true }))

describe('the preload bundle runs in a sandboxed renderer', () => {
  it('requires nothing but electron (the IPC schemas and their TypeBox are bundled in) and generates no code from strings', () => {
    const built = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir, '--logLevel', 'error'], { cwd: root, encoding: 'utf8', timeout: 300_000 })
    expect(built.status, built.stderr).toBe(0)
    const preload = readFileSync(join(outDir, 'preload/index.js'), 'utf8')
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron'])
    expect(preload).not.toMatch(/new Function\(/)
  }, 300_000)
})
