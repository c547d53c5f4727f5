/** Bench helper: the browser host with the real services on a temporary folder, and Debian's Chromium. */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright'
import { createServices, type Services } from '../src-services/index'
import { startWebHost, type WebHost } from '../src-webhost/server'

const root = join(__dirname, '..')

/** Builds the web renderer when it is missing (or when `rebuild`). */
export function ensureWebBuild(rebuild = false): string {
  const out = join(root, 'out', 'web')
  if (rebuild || !existsSync(join(out, 'index.html'))) {
    const r = spawnSync('npx', ['vite', 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
    if (r.status !== 0) throw new Error('vite build of the web renderer failed')
  }
  return out
}

/** Starts services + host on a free loopback port. */
export async function startHost(): Promise<{ host: WebHost; services: Services }> {
  const data = mkdtempSync(join(tmpdir(), 'k230-bench-'))
  const services = createServices({ dataDir: data, resultsDir: join(data, 'results'), simTimeScale: 0.01, appVersion: 'bench', host: 'browser' })
  const host = await startWebHost({ port: 0, staticDir: ensureWebBuild(), services })
  return { host, services }
}

/** Launches Debian's Chromium headless with the project's flags. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.K230_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  })
}

/** Median of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
