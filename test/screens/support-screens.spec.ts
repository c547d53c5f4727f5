import { expect, test, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { connectVirtualBoard, openApp, unlockEngineer } from '../e2e/app'

// Screenshots of the roles, support desk, step guidance, console tools and bundle screens for the README (npm run screenshots).
const OUT = join(__dirname, '..', '..', 'docs', 'screenshots')
const UNIT = 'K230-RMA-0042'
const LANGS = ['en', 'zh-CN'] as const

async function runUnit(page: Page, serial: string, verdict: RegExp) {
  await page.getByTestId('nav-run').click()
  await page.getByTestId('run-serial').fill(serial)
  await page.getByTestId('run-start').click()
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', verdict, { timeout: 200_000 })
}

test('screenshots of the roles, support, guidance, console and bundle screens in English and Chinese', async ({ page }) => {
  test.setTimeout(600_000)
  mkdirSync(OUT, { recursive: true })
  await openApp(page)
  await connectVirtualBoard(page, 'healthy')
  await runUnit(page, UNIT, /^pass$/)
  await unlockEngineer(page)
  await page.getByTestId('access-technician').click()
  await connectVirtualBoard(page, 'no-sim')
  await runUnit(page, 'K230-DEMO-NOSIM', /^fail$/)

  await page.getByTestId('nav-support').click()
  await page.getByTestId('support-switch').click()
  await page.getByTestId('support-key').fill(UNIT)
  await page.getByTestId('support-lookup').click()
  await page.getByTestId('support-step').selectOption('modem')
  await page.getByTestId('support-run-step').click()
  await expect(page.getByTestId('compare-modem')).toHaveAttribute('data-differs', 'yes', { timeout: 120_000 })
  await expect(page.getByTestId('support-running')).toBeHidden({ timeout: 120_000 })
  await page.getByTestId('support-notes').fill('Returned: no network. The SIM tray was empty.')
  await page.getByTestId('support-notes').press('Tab')
  await page.getByTestId('support-bundle').click()
  await page.getByTestId('support-bundle-written').getByTestId('show-in-folder').click()
  const shown = (await page.getByTestId('support-bundle-written').getByTestId('show-in-folder-path').textContent()) ?? ''
  const bundle = shown.replace(/^[^/]*/, '').trim()

  for (const lang of LANGS) {
    await page.evaluate((l) => window.api.settings.set({ language: l }), lang)
    await expect(page.locator('html')).toHaveAttribute('lang', lang)
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.getByTestId('nav-support').click()
    await expect(page.getByTestId('support-comparison')).toBeVisible()
    await page.screenshot({ path: join(OUT, `support-1366x768-${lang}.png`) })

    await page.getByTestId('nav-reports').click()
    await page.getByTestId('bundle-path').fill(bundle)
    await page.getByTestId('bundle-open').click()
    await page.locator('[data-testid="bundle-row"][data-purpose="support"]').click()
    await expect(page.frameLocator('[data-testid="report-preview"]').locator('body')).toContainText(UNIT)
    await page.screenshot({ path: join(OUT, `bundle-1366x768-${lang}.png`) })

    await page.getByTestId('nav-run').click()
    await page.evaluate(() => window.api.access.useRole('technician'))
    await page.getByTestId('nav-console').click()
    await page.getByTestId('console-timestamps').check()
    await page.getByTestId('console-terminal').click()
    await page.keyboard.type('dmesg | tail -n 5')
    await page.keyboard.press('Enter')
    await page.getByTestId('console-log').click()
    await expect(page.getByTestId('console-log-file')).toBeVisible()
    await page.screenshot({ path: join(OUT, `console-tools-1366x768-${lang}.png`) })
    await page.getByTestId('console-log').click()
    await page.getByTestId('console-timestamps').uncheck()

    await page.getByTestId('nav-station').click()
    await expect(page.getByTestId('profile-locked')).toBeVisible()
    await page.screenshot({ path: join(OUT, `station-locked-1366x768-${lang}.png`) })
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('audit-log').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(OUT, `roles-1366x768-${lang}.png`) })
    await page.evaluate(() => window.api.access.useRole('support'))
  }

  await page.evaluate(() => window.api.access.useRole('technician'))
  for (const lang of LANGS) {
    await page.evaluate((l) => window.api.settings.set({ language: l }), lang)
    await page.getByTestId('nav-run').click()
    await page.getByTestId('run-serial').fill('K230-DEMO-NOSIM')
    await page.getByTestId('run-start').click()
    await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'fail', { timeout: 200_000 })
    await expect(page.getByTestId('guide-modem')).toHaveAttribute('open', '')
    await page.getByTestId('step-modem').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(OUT, `guide-1366x768-${lang}.png`) })
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.evaluate(() => window.api.settings.set({ operator: '' }))
    await expect(page.getByTestId('operator-gate')).toBeVisible()
    await page.getByTestId('operator-gate').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(OUT, `operator-1366x768-${lang}.png`) })
    await page.evaluate(() => window.api.settings.set({ operator: 'e2e-op' }))
  }
  await page.evaluate(() => window.api.settings.set({ language: 'en' }))
})
