/** The station keys and the line server in Settings, and the outbox in Reports, in Chromium over a real PostgreSQL 15 server: a record waits while the server is down, says why, and is delivered once by "Send now". */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import pg from 'pg'
import { postgresAvailable, PG_TEST_PASSWORD, startPostgres, type PgServer } from '../db/postgres-server'
import { appUrl, connectVirtualBoard, openApp, unlockEngineer } from './app'

let server: PgServer | undefined
const folders: string[] = []

test.beforeAll(async () => {
  test.setTimeout(120_000)
  if (postgresAvailable()) server = await startPostgres()
})

test.afterAll(async () => {
  await server?.destroy()
  for (const f of folders) rmSync(f, { recursive: true, force: true })
})

async function onServer(runId: string): Promise<number> {
  const client = new pg.Client(server!.url)
  await client.connect()
  try {
    return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM run WHERE id = $1', [runId])).rows[0].n)
  } finally {
    await client.end()
  }
}

function otherStationKey(): { text: string; keyId: string } {
  const dir = mkdtempSync(join(tmpdir(), 'k230-e2e-keys-'))
  folders.push(dir)
  const text = execFileSync('./bin/k230-bringup', ['keys', 'export'], { env: { ...process.env, K230_KEY_DIR: dir, K230_STATION: 'E2E-OTHER-7' }, encoding: 'utf8' })
  return { text, keyId: (JSON.parse(text) as { keyId: string }).keyId }
}

async function runUnit(page: Page, serial: string): Promise<string> {
  return page.evaluate(async (s) => {
    const ended = new Promise<string>((resolve) => {
      const off = window.api.run.onUpdate((u) => {
        if (u.running || !u.record) return
        off()
        resolve(u.record.id)
      })
    })
    await window.api.run.start(s, undefined, ['console'])
    return ended
  }, serial)
}

test('station keys: export, import and remove a trusted key; a technician cannot import', async ({ page }) => {
  await openApp(page)
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('keys-own')).toHaveAttribute('data-key-id', /^[0-9a-f]{16}$/)
  const ownKeyId = await page.getByTestId('keys-own').getAttribute('data-key-id')
  await expect(page.getByTestId('keys-import-text')).toBeDisabled()

  const downloaded = page.waitForEvent('download')
  await page.getByTestId('keys-export').click()
  const file = await (await downloaded).path()
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ keyId: ownKeyId })

  await unlockEngineer(page)
  const other = otherStationKey()
  await page.getByTestId('keys-import-text').fill(other.text)
  await page.getByTestId('keys-import').click()
  const row = page.locator(`[data-testid="keys-trusted"][data-key-id="${other.keyId}"]`)
  await expect(row).toContainText('E2E-OTHER-7')
  await expect(page.getByTestId('audit-entry').first()).toHaveAttribute('data-action', 'key.import')
  await row.getByTestId('keys-remove').click()
  await expect(row).toHaveCount(0)
  await expect(page.getByTestId('audit-entry').first()).toHaveAttribute('data-action', 'key.remove')
  await page.getByTestId('access-technician').click()
  await expect(page.getByTestId('keys-import-text')).toBeDisabled()
})

test('the outbox shows a record waiting while the line server is down, and Send now delivers it once', async ({ page, context }) => {
  test.skip(!server, 'PostgreSQL server binaries missing')
  test.setTimeout(240_000)
  const pgServer = server!
  await openApp(page)
  await connectVirtualBoard(page, 'healthy')
  await unlockEngineer(page)

  await page.getByTestId('line-url').fill(pgServer.url)
  await page.getByTestId('line-save').click()
  await expect(page.getByTestId('line-password-state')).toHaveAttribute('data-set', 'yes')
  await expect(page.getByTestId('line-url')).toHaveValue('')
  await expect(page.getByTestId('line-host')).toHaveValue('127.0.0.1')
  await expect(page.getByTestId('line-port')).toHaveValue(String(pgServer.port))
  await page.getByTestId('line-test').click()
  await expect(page.getByTestId('line-test-result')).toHaveAttribute('data-ok', 'yes', { timeout: 40_000 })
  await expect(page.getByTestId('line-test-result')).toContainText('PostgreSQL')
  expect(await page.content()).not.toContain(PG_TEST_PASSWORD)

  await pgServer.stop()
  await page.getByTestId('line-test').click()
  await expect(page.getByTestId('line-test-result')).toHaveAttribute('data-ok', 'no', { timeout: 40_000 })
  await expect(page.getByTestId('line-test-result')).toContainText('nothing listens at that address')
  await page.evaluate(() => window.api.settings.set({ language: 'zh-CN' }))
  await expect(page.getByTestId('line-test-result')).toContainText('该地址上没有服务在监听')
  await page.screenshot({ path: test.info().outputPath('settings-zh-CN.png'), fullPage: true })
  await page.evaluate(() => window.api.settings.set({ language: 'en' }))

  const runId = await runUnit(page, 'K230-LINE-0001')
  await page.getByTestId('nav-reports').click()
  const item = page.locator(`[data-testid="outbox-item"][data-run="${runId}"]`)
  await expect(item).toHaveAttribute('data-reason', 'unreachable', { timeout: 60_000 })
  await expect(item.getByTestId('outbox-reason')).toHaveText('Waiting: the line server cannot be reached')
  await expect(item.getByTestId('outbox-code')).toHaveText('nothing listens at that address')
  await expect(item).toContainText('K230-LINE-0001')
  expect(await page.content()).not.toContain(PG_TEST_PASSWORD)
  expect(await onServer(runId).catch(() => -1)).toBe(-1)
  await page.goto(`${appUrl()}&pseudo=1`)
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'yes')
  await page.getByTestId('nav-reports').click()
  await expect(item.getByTestId('outbox-reason')).toHaveText(/^⟦.*⟧$/)
  await expect(item.getByTestId('outbox-code')).toHaveText(/^⟦.*⟧$/)
  await page.screenshot({ path: test.info().outputPath('outbox-waiting.png'), fullPage: true })
  await page.goto(appUrl())
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'yes')
  await page.getByTestId('nav-reports').click()

  await pgServer.start()
  await page.getByTestId('outbox-send').click()
  await expect(page.getByTestId('outbox-empty')).toBeVisible({ timeout: 60_000 })
  await expect(item).toHaveCount(0)
  expect(await onServer(runId)).toBe(1)
  await page.getByTestId('outbox-send').click()
  await expect(page.getByTestId('outbox-empty')).toBeVisible({ timeout: 60_000 })
  expect(await onServer(runId)).toBe(1)

  await page.getByTestId('outbox-refresh').click()
  const link = page.getByTestId('line-dashboard')
  await expect(link).toBeVisible({ timeout: 40_000 })
  const popup = context.waitForEvent('page')
  await link.click()
  const dashboard = await popup
  await dashboard.waitForLoadState()
  await expect(dashboard.getByRole('heading', { name: 'Line dashboard' })).toBeVisible()
  await dashboard.goto(`${await link.getAttribute('href')}?simulated=1&q=K230-LINE-0001`)
  await expect(dashboard.getByTestId('history')).toContainText('K230-LINE-0001')
  await dashboard.close()

  await page.evaluate(() => window.api.line.set({ host: '', database: '', clearPassword: true }))
  await page.evaluate(() => window.api.access.useRole('technician'))
})
