import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { browserOpener, hostUrlIn } from '../../scripts/start-browser.mjs'

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
    expect(hostUrlIn('K230 上电调试浏览器版：http://127.0.0.1:5180/?k=abc\n')).toBe('http://127.0.0.1:5180/?k=abc')
  })

  it('the host says why it runs and where to open it in the language of LANG', async () => {
    const data = mkdtempSync(join(tmpdir(), 'k230-start-zh-'))
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-webhost/main.ts', '--port', '0', '--data', data, '--static', join(root, 'resources'), '--announce', 'no-electron'], { cwd: root, env: { ...process.env, LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')))
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address within 60 s:\n${out}`)), 60_000)
        child.stdout.on('data', () => {
          if (!/软件在浏览器中运行/.test(out)) return
          clearTimeout(timer)
          resolve()
        })
        child.on('exit', (code) => reject(new Error(`the host exited (${code}):\n${out}`)))
      })
      expect(out).toMatch(/^此处未安装 Electron 运行时/m)
      expect(out).toMatch(/^K230 上电调试浏览器版：http:\/\/127\.0\.0\.1:\d+\/\?k=\S+$/m)
      expect(out).toMatch(/^结果文件夹：/m)
      expect(out).toMatch(/^请在浏览器中打开此地址：http:\/\/127\.0\.0\.1:\d+\/\?k=\S+$/m)
      expect(out).not.toMatch(/Open this address|browser host|Results folder/)
    } finally {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  }, 90_000)

  it('`npm start --web` without a desktop prints "open this address in your browser" and serves the app there', async () => {
    const data = mkdtempSync(join(tmpdir(), 'k230-start-'))
    const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), '--web', '--no-open', '--port', '0', '--data', data], { cwd: root, env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
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
