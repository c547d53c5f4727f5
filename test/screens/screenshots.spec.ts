import { expect, test } from '@playwright/test'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { buildKdimg, patternBytes } from '../flash/kdimg-builder'
import { join } from 'node:path'
import { connectVirtualBoard, openApp } from '../e2e/app'

const OUT = join(__dirname, '..', '..', 'docs', 'screenshots')
const SCREENS = ['station', 'flash', 'run', 'console', 'at', 'reports', 'support', 'settings'] as const
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const

test('screenshots of every screen at 1366×768 and 1920×1080, in English and Chinese', async ({ page }) => {
  test.setTimeout(300_000)
  mkdirSync(OUT, { recursive: true })
  await openApp(page)
  await connectVirtualBoard(page, 'weak-signal')
  await page.getByTestId('nav-run').click()
  await page.getByTestId('run-serial').fill('K230-DEMO-0042')
  await page.getByTestId('run-start').click()
  await expect(page.getByTestId('run-verdict')).toContainText('K230-DEMO-0042')
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', /^(pass|fail|error|aborted)$/, { timeout: 150_000 })
  await page.getByTestId('nav-at').click()
  for (const q of ['ati', 'csq', 'cops']) {
    const before = await page.getByTestId('at-exchange').count()
    await page.getByTestId(`at-q-${q}`).click()
    await expect(page.getByTestId('at-exchange')).toHaveCount(before + 1, { timeout: 90_000 })
  }
  await page.getByTestId('nav-console').click()
  await page.getByTestId('console-terminal').click()
  await page.keyboard.type('dmesg | tail -n 8')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('console-terminal')).toContainText('usb')
  await page.getByTestId('nav-flash').click()
  const image = join(mkdtempSync(join(tmpdir(), 'k230-shot-')), 'k230_canmv_sdcard.kdimg')
  writeFileSync(
    image,
    buildKdimg([
      { name: 'uboot_spl_a', offset: 0x100000, data: patternBytes(180 * 1024, 1) },
      { name: 'uboot_a', offset: 0x200000, data: patternBytes(700 * 1024, 2) },
      { name: 'rtt', offset: 0x1000000, data: patternBytes(1536 * 1024, 3) },
      { name: 'rootfs', offset: 0x6000000, data: patternBytes(2048 * 1024, 4) },
    ]),
  )
  await page.getByTestId('flash-image').fill(image)
  await page.getByTestId('flash-inspect').click()
  await expect(page.getByTestId('flash-parts')).toContainText('rootfs')
  await page.getByTestId('nav-reports').click()
  await page.getByTestId('reports-include-simulated').check()
  await page.getByTestId('report-row').first().click()
  await expect(page.frameLocator('[data-testid="report-preview"]').locator('body')).toContainText('K230')

  for (const lang of ['en', 'zh-CN'] as const) {
    await page.evaluate((l) => window.api.settings.set({ language: l }), lang)
    await expect(page.locator('html')).toHaveAttribute('lang', lang)
    for (const size of SIZES) {
      await page.setViewportSize(size)
      for (const screen of SCREENS) {
        await page.getByTestId(`nav-${screen}`).click()
        await expect(page.getByTestId(`screen-${screen}`)).toBeVisible()
        if (screen === 'reports') {
          await page.getByTestId('report-row').first().click()
          const preview = page.frameLocator('[data-testid="report-preview"]')
          await expect(preview.locator('html')).toHaveAttribute('lang', lang)
          await expect(preview.locator('body')).toContainText('K230-DEMO-0042')
          await expect(preview.locator('h1').first()).toBeVisible()
        }
        await page.screenshot({ path: join(OUT, `${screen}-${size.width}x${size.height}-${lang}.png`) })
      }
    }
  }
  await page.evaluate(() => window.api.settings.set({ language: 'en' }))
})
