import { expect, test } from '@playwright/test'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildKdimg, patternBytes } from '../flash/kdimg-builder'
import { openApp } from '../e2e/app'

const OUT = join(__dirname, '..', '..', 'docs', 'screenshots')

test('Flash screen screenshots: progress bars while writing and the large results, in English and Chinese', async ({ page }) => {
  test.setTimeout(300_000)
  mkdirSync(OUT, { recursive: true })
  const image = join(mkdtempSync(join(tmpdir(), 'k230-shot-flash-')), 'k230_canmv_sdcard.kdimg')
  writeFileSync(
    image,
    buildKdimg([
      { name: 'uboot_spl', offset: 0x100000, data: patternBytes(180 * 1024, 1) },
      { name: 'uboot', offset: 0x200000, data: patternBytes(700 * 1024, 2) },
      { name: 'rtt', offset: 0x1000000, data: patternBytes(24 * 1024 * 1024, 3) },
      { name: 'rootfs', offset: 0x6000000, data: patternBytes(40 * 1024 * 1024, 4) },
    ]),
  )
  await openApp(page)
  await page.setViewportSize({ width: 1366, height: 768 })
  for (const lang of ['en', 'zh-CN'] as const) {
    await page.evaluate((l) => window.api.settings.set({ language: l }), lang)
    await expect(page.locator('html')).toHaveAttribute('lang', lang)
    await page.getByTestId('nav-flash').click()
    await page.getByTestId('flash-image').fill(image)
    await page.getByTestId('flash-inspect').click()
    await expect(page.getByTestId('flash-parts')).toContainText('rootfs')
    for (const box of await page.getByTestId('flash-device').locator('input[type=checkbox]').all()) await box.check()
    await page.getByTestId('flash-start').click()
    await expect(page.getByTestId('flash-bar')).toHaveCount(2, { timeout: 60_000 })
    const bar = page.getByTestId('flash-bar').first()
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000, intervals: [20] }).toBeGreaterThan(15)
    await page.screenshot({ path: join(OUT, `flash-progress-1366x768-${lang}.png`) })
    await expect(page.getByTestId('flash-result')).toHaveCount(2, { timeout: 180_000 })
    await page.screenshot({ path: join(OUT, `flash-result-1366x768-${lang}.png`) })
  }
  await page.evaluate(() => window.api.settings.set({ language: 'en' }))
})
