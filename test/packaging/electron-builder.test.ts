import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

const root = join(__dirname, '..', '..')
const configPath = join(root, 'electron-builder.yml')
const electronInstalled = existsSync(join(root, 'node_modules', 'electron', 'path.txt'))

describe('electron-builder configuration', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const { getConfig, validateConfiguration } = await import('app-builder-lib/out/util/config/config.js')
    const { DebugLogger } = await import('builder-util')
    const config = await getConfig(root, configPath, null)
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    const broken = { ...config, nsis: { ...config.nsis, oneClik: false } }
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object/)
  })

  it('builds Windows NSIS (assisted, per-user) and portable, Linux AppImage and deb', () => {
    const c = parse(readFileSync(configPath, 'utf8'))
    expect(c.win.target).toEqual(['nsis', 'portable'])
    expect(c.nsis).toMatchObject({ oneClick: false, perMachine: false })
    expect(c.linux.target).toEqual(['AppImage', 'deb'])
    expect(c.appId).toMatch(/^[a-z0-9.]+$/)
  })

  it('uses the native modules’ prebuilt binaries as shipped and unpacks them from the archive', () => {
    const c = parse(readFileSync(configPath, 'utf8'))
    expect(c.npmRebuild).toBe(false)
    expect(c.buildDependenciesFromSource).toBe(false)
    expect(c.asarUnpack).toContain('**/*.node')
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    expect(pkg.scripts.postinstall ?? '').not.toMatch(/install-app-deps/)
    const prebuilds = join(root, 'node_modules', '@serialport', 'bindings-cpp', 'prebuilds')
    expect(existsSync(join(prebuilds, 'linux-x64'))).toBe(true)
    expect(existsSync(join(prebuilds, 'win32-x64'))).toBe(true)
  })

  it('has every icon and install script it names', () => {
    const c = parse(readFileSync(configPath, 'utf8'))
    expect(statSync(join(root, c.win.icon)).size).toBeGreaterThan(1000)
    expect(existsSync(join(root, c.linux.icon, '256x256.png'))).toBe(true)
    for (const script of [c.deb.afterInstall, c.deb.afterRemove]) {
      const st = statSync(join(root, script))
      expect(st.mode & 0o111).not.toBe(0)
      expect(spawnSync('sh', ['-n', join(root, script)]).status).toBe(0)
    }
  })

  it.skipIf(electronInstalled)('`npm run dist` stops with a clear message where no Electron binary can be had', () => {
    const env = { ...process.env }
    delete env.ELECTRON_DIST
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'dist.mjs')], { cwd: root, env, encoding: 'utf8' })
    expect(r.status).toBe(3)
    expect(r.stderr).toContain('no Electron binary is installed')
    expect(r.stderr).toContain('npm ci')
  })
})
