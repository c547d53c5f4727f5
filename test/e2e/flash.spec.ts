import { expect, test } from '@playwright/test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildKdimg, patternBytes } from '../flash/kdimg-builder'
import { openApp } from './app'

function hexToRgb(hex: string): string {
  const n = parseInt(hex.replace('#', ''), 16)
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`
}

function testImage(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'k230-e2e-img-')), 'k230_e2e.kdimg')
  writeFileSync(
    file,
    buildKdimg([
      { name: 'uboot_spl', offset: 0x100000, data: patternBytes(192 * 1024, 1) },
      { name: 'rootfs', offset: 0x2000000, data: patternBytes(24 * 1024 * 1024, 2) },
    ]),
  )
  return file
}

test('two boards in burning mode are flashed at once with progress and verify, then the bring-up runs with the flash as its first step', async ({ page }) => {
  test.setTimeout(180_000)
  await openApp(page)
  await page.getByTestId('nav-flash').click()
  await expect(page.getByTestId('flash-device')).toHaveCount(2)
  await page.getByTestId('flash-image').fill(testImage())
  await page.getByTestId('flash-inspect').click()
  const parts = page.getByTestId('flash-parts')
  await expect(parts).toContainText('uboot_spl')
  await expect(parts).toContainText('rootfs')
  await expect(parts).toContainText('0x2000000')

  await page.getByTestId('flash-medium').selectOption('emmc')
  for (const box of await page.getByTestId('flash-device').locator('input[type=checkbox]').all()) await box.check()
  await page.getByTestId('flash-start').click()
  await expect(page.getByTestId('flash-start')).toBeDisabled()
  await expect(page.getByTestId('flash-bar')).toHaveCount(2, { timeout: 60_000 })
  const results = page.getByTestId('flash-result')
  await expect(results).toHaveCount(2, { timeout: 120_000 })
  for (const bar of await page.getByTestId('flash-bar').all()) {
    expect((await bar.boundingBox())!.height).toBeGreaterThan(8)
    await expect(bar).toHaveAttribute('aria-valuenow', '100')
  }
  await expect(page.getByTestId('flash-speed').first()).toContainText('/s')
  for (const result of await results.all()) {
    await expect(result).toHaveAttribute('data-outcome', 'verified')
    await expect(result).toContainText('Written and verified')
    const colours = await result.evaluate((el) => ({ fg: getComputedStyle(el).color, ok: getComputedStyle(document.documentElement).getPropertyValue('--ok').trim() }))
    expect(colours.fg).toBe(hexToRgb(colours.ok))
  }
  await expect(page.getByTestId('flash-start')).toBeEnabled()
  await page.screenshot({ path: test.info().outputPath('flash-done.png') })

  await page.getByTestId('flash-device').locator('input[type=checkbox]').nth(1).uncheck()
  await page.getByTestId('flash-then-run').check()
  await page.getByTestId('flash-serial').fill('K230-E2E-FLASHED')
  await page.getByTestId('flash-start').click()
  await page.getByTestId('nav-run').click()
  await expect(page.getByTestId('step-status-flash')).toHaveAttribute('data-verdict', 'pass', { timeout: 120_000 })
  await expect(page.getByTestId('run-verdict')).toContainText('K230-E2E-FLASHED')
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'pass', { timeout: 150_000 })
})

test('a damaged image is refused with what is wrong', async ({ page }) => {
  await openApp(page)
  await page.getByTestId('nav-flash').click()
  const file = join(mkdtempSync(join(tmpdir(), 'k230-e2e-bad-')), 'broken.kdimg')
  const good = buildKdimg([{ name: 'rootfs', offset: 0, data: patternBytes(64 * 1024, 3) }])
  writeFileSync(file, good.subarray(0, 70 * 1024))
  await page.getByTestId('flash-image').fill(file)
  await page.getByTestId('flash-inspect').click()
  await expect(page.getByTestId('notice').last()).toContainText('broken.kdimg')
  await expect(page.getByTestId('flash-parts')).toHaveCount(0)
})

test('in Chinese, a damaged image is refused in Chinese words from the catalogue, naming the file', async ({ page }) => {
  await openApp(page, 'zh-CN')
  await page.getByTestId('nav-flash').click()
  const file = join(mkdtempSync(join(tmpdir(), 'k230-e2e-bad-zh-')), 'broken.kdimg')
  const good = buildKdimg([{ name: 'rootfs', offset: 0, data: patternBytes(64 * 1024, 3) }])
  writeFileSync(file, good.subarray(0, 70 * 1024))
  await page.getByTestId('flash-image').fill(file)
  await page.getByTestId('flash-inspect').click()
  const notice = page.getByTestId('notice').last()
  await expect(notice).toContainText('broken.kdimg')
  await expect(notice).toContainText(/不完整|已损坏/)
  await expect(notice).not.toContainText(/is truncated|is damaged|needs bytes up to|the image ends at/)
})
