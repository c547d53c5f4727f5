import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { browserOpener, hostUrlIn, openInBrowserMessage } from '../../scripts/start-browser.mjs'

const root = join(__dirname, '..', '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>

describe('first start: npm ci survives a blocked Electron download', () => {
  it('dependencies install without install scripts, so the Electron runtime download never runs during npm ci; electron (its types) is a pinned dev dependency and `npm run electron:fetch` gets the runtime where it can be had', () => {
    expect(readFileSync(join(root, '.npmrc'), 'utf8')).toMatch(/^ignore-scripts=true$/m)
    expect(pkg.devDependencies?.electron).toMatch(/^\d+\.\d+\.\d+$/)
    expect(pkg.optionalDependencies?.electron).toBeUndefined()
    expect(pkg.scripts?.['electron:fetch']).toBe('node node_modules/electron/install.js')
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; version?: string }> }
    expect(lock.packages['node_modules/electron']).toMatchObject({ dev: true, version: pkg.devDependencies?.electron })
    const builder = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { electronVersion: string; files: string[] }
    expect(builder.electronVersion).toBe(pkg.devDependencies?.electron)
  })
})

describe('first start: the browser-host fallback opens the page or names the address', () => {
  it('finds the address, picks the OS opener and words the message plainly', () => {
    expect(hostUrlIn('K230 Bring-up browser host: http://127.0.0.1:5180/\n')).toBe('http://127.0.0.1:5180/')
    expect(hostUrlIn('K230 Bring-up browser host: http://127.0.0.1:5180/?k=0f3a9c\nResults folder: /x\n')).toBe('http://127.0.0.1:5180/?k=0f3a9c')
    expect(hostUrlIn('K230 Bring-up browser host: http://127.0.0.1:5180/?k=0f')).toBeNull()
    expect(hostUrlIn('building…')).toBeNull()
    expect(hostUrlIn('K230 Bring-up browser host: http://127.0.0.1:5180/?k=abc_DEF-123\n')).toBe('http://127.0.0.1:5180/?k=abc_DEF-123')
    expect(browserOpener('linux', {})).toBeNull()
    expect(browserOpener('linux', { DISPLAY: ':0' })).toEqual({ cmd: 'xdg-open', args: [] })
    expect(browserOpener('darwin', {})).toEqual({ cmd: 'open', args: [] })
    expect(browserOpener('win32', {})?.cmd).toBe('explorer.exe')
    expect(openInBrowserMessage('http://127.0.0.1:5180/')).toContain('Open this address in your browser: http://127.0.0.1:5180/')
  })

  it('`npm start --web` without a desktop prints "open this address in your browser" and serves the app there', async () => {
    const data = mkdtempSync(join(tmpdir(), 'k230-start-'))
    const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), '--web', '--no-open', '--port', '0', '--data', data], { cwd: root, env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address within 180 s:\n${out}`)), 180_000)
        child.stdout.on('data', () => {
          const m = /Open this address in your browser: (http:\/\/127\.0\.0\.1:\d+\/\S*)\n/.exec(out)
          if (m) {
            clearTimeout(timer)
            resolve(m[1])
          }
        })
        child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before printing the address:\n${out}`)))
      })
      expect(url).toMatch(/\?\w+=\w+/)
      const page = await fetch(url)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<div id="app">')
    } finally {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  }, 200_000)
})
