import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAIN_ENTRY, PRELOAD_ENTRY, electronSkipReason } from './electron'

const skipReason = electronSkipReason()
test.skip(skipReason !== null, skipReason ?? '')

let app: ElectronApplication
let page: Page
let resultsDir: string

test.beforeAll(async () => {
  const home = mkdtempSync(join(tmpdir(), 'k230-electron-'))
  resultsDir = join(home, 'results')
  const fixtures = join(__dirname, '..', 'reports', 'fixtures')
  for (const f of readdirSync(fixtures).filter((n) => n.endsWith('.json'))) cpSync(join(fixtures, f), join(resultsDir, f))
  app = await electron.launch({
    args: [MAIN_ENTRY, ...(process.env.CI ? ['--no-sandbox'] : [])],
    env: { ...process.env, K230_USER_DATA: join(home, 'user'), K230_RESULTS_DIR: resultsDir, K230_SIM_TIME_SCALE: '0.01' },
    locale: 'en-US',
  })
  page = await app.firstWindow({ timeout: 60_000 })
})

test.afterAll(async () => {
  await app?.close()
})

test('starts into an interactive Station screen with the security posture applied', async () => {
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'yes')
  await expect(page.getByTestId('screen-station')).toBeVisible()
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const w = BrowserWindow.getAllWindows()[0]
    const p = (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences()
    return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration }
  })
  expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false })
  expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined')
  expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined')
  expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true)
  expect(await page.evaluate(() => Object.keys(window.api).sort())).toEqual(['app', 'at', 'console', 'dialog', 'flash', 'ports', 'profiles', 'reports', 'run', 'settings', 'shell', 'sim'])
})

test('IPC from a window that is not the app page is refused', async () => {
  const reply = await app.evaluate(async ({ BrowserWindow }, preload) => {
    const w = new BrowserWindow({ show: false, webPreferences: { preload, sandbox: true, contextIsolation: true } })
    await w.loadURL('data:text/html,<p>foreign</p>')
    const result = await w.webContents.executeJavaScript('window.api.app.info().then(() => "accepted", (e) => e.code + ": " + e.message)')
    w.destroy()
    return result as string
  }, PRELOAD_ENTRY)
  expect(reply).toContain('untrusted-sender')
})

test('exports a report to PDF with printToPDF', async () => {
  const entries = await page.evaluate(() => window.api.reports.list())
  expect(entries.length).toBeGreaterThan(0)
  const file = await page.evaluate((id) => window.api.reports.export(id, 'pdf', 'en'), entries[0].id)
  expect(file.fileName).toMatch(/\.pdf$/)
  expect(readFileSync(file.path).subarray(0, 5).toString('latin1')).toBe('%PDF-')
})

declare global {
  interface Window {
    api: import('../../src-shared/api').DomainApi
  }
}
