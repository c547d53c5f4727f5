import { expect, test, type Page } from '@playwright/test'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectVirtualBoard, openApp } from './app'

const UNIT = `K230-RMA-${Date.now().toString(36).toUpperCase()}`

async function shownPath(page: Page, scope: string): Promise<string> {
  await page.getByTestId(scope).getByTestId('show-in-folder').click()
  const text = (await page.getByTestId(scope).getByTestId('show-in-folder-path').textContent()) ?? ''
  const path = text.replace(/^[^/]*/, '').trim()
  expect(path).toMatch(/\.zip$/)
  return path
}

test('support compares a returned unit with its factory record and sends a bundle that opens back in Reports', async ({ page }) => {
  test.setTimeout(300_000)
  await openApp(page)
  await connectVirtualBoard(page, 'healthy')
  await page.getByTestId('nav-run').click()
  await page.getByTestId('run-serial').fill(UNIT)
  await page.getByTestId('run-start').click()
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'pass', { timeout: 200_000 })

  await connectVirtualBoard(page, 'no-sim')
  await page.getByTestId('nav-support').click()
  await expect(page.getByTestId('support-not-support')).toBeVisible()
  await page.getByTestId('support-switch').click()
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'support')
  await page.getByTestId('support-key').fill(UNIT)
  await page.getByTestId('support-lookup').click()
  const runs = page.getByTestId('support-run')
  await expect(runs).toHaveCount(1, { timeout: 60_000 })
  await expect(runs.first()).toHaveAttribute('data-purpose', 'production')
  await expect(runs.first().getByTestId('support-factory')).toBeVisible()

  await page.getByTestId('support-step').selectOption('modem')
  await page.getByTestId('support-run-step').click()
  const modem = page.getByTestId('compare-modem')
  await expect(modem).toHaveAttribute('data-differs', 'yes', { timeout: 60_000 })
  await expect(page.getByTestId('support-running')).toBeHidden({ timeout: 60_000 })
  await expect(modem).toContainText('pass')
  await expect(modem).toContainText('fail')
  await expect(page.getByTestId('support-summary')).toContainText(/verdicts that differ: [1-9]\d*, measurements changed: \d+/)
  await expect(runs).toHaveCount(2)
  await expect(runs.nth(1)).toHaveAttribute('data-purpose', 'support')

  await page.getByTestId('support-notes').fill('Returned: no network. No SIM in the tray.')
  await page.getByTestId('support-notes').press('Tab')
  await page.getByTestId('support-bundle').click()
  await expect(page.getByTestId('support-bundle-written')).toContainText(new RegExp(`support-${UNIT}-\\d{8}T\\d{6}\\.zip`), { timeout: 60_000 })
  const bundle = await shownPath(page, 'support-bundle-written')

  await page.getByTestId('nav-reports').click()
  await page.getByTestId('reports-folder').getByTestId('show-in-folder').click()
  await expect(page.getByTestId('reports-folder').getByTestId('show-in-folder-path')).toContainText('/results')
  await page.getByTestId('reports-refresh').click()
  const history = page.locator(`[data-testid="report-row"][data-serial="${UNIT}"]`)
  await expect(history).toHaveCount(0)
  await page.getByTestId('reports-include-simulated').check()
  await expect(history).toHaveCount(1)
  await expect(history.getByTestId('report-row-simulated')).toBeVisible()
  await page.getByTestId('bundle-path').fill(bundle)
  await page.getByTestId('bundle-open').click()
  await expect(page.getByTestId('bundle-view')).toContainText(UNIT)
  await expect(page.getByTestId('bundle-notes')).toContainText('No SIM in the tray.')
  await expect(page.getByTestId('bundle-row')).toHaveCount(2)
  await page.locator('[data-testid="bundle-row"][data-purpose="support"]').click()
  const preview = page.frameLocator('[data-testid="report-preview"]')
  await expect(preview.locator('body')).toContainText(UNIT)
  await expect(preview.locator('body')).toContainText('Insert a SIM card')

  const damaged = join(mkdtempSync(join(tmpdir(), 'k230-e2e-bundle-')), 'damaged.zip')
  const bytes = readFileSync(bundle)
  writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 2)))
  await page.getByTestId('bundle-path').fill(damaged)
  await page.getByTestId('bundle-open').click()
  await expect(page.getByTestId('bundle-error')).toContainText('This support bundle cannot be opened')
  await expect(page.getByTestId('bundle-view')).toBeHidden()

  await page.evaluate(() => window.api.access.useRole('technician'))
})
