import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { connectVirtualBoard, openApp } from './app'

test('a finished run appears in Reports; it opens, exports to JSON, HTML, JUnit and PDF, and counts in the yield', async ({ page }) => {
  test.setTimeout(240_000)
  await openApp(page)
  await connectVirtualBoard(page, 'no-sim')
  await page.getByTestId('nav-run').click()
  await page.getByTestId('run-serial').fill('K230-E2E-REPORT')
  await page.getByTestId('run-start').click()
  await expect(page.getByTestId('run-verdict')).toContainText('K230-E2E-REPORT')
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'fail', { timeout: 150_000 })

  await page.getByTestId('nav-reports').click()
  await page.getByTestId('reports-search').fill('E2E-REPORT')
  await page.getByTestId('reports-refresh').click()
  const row = page.locator('[data-testid="report-row"][data-serial="K230-E2E-REPORT"]').first()
  await expect(page.getByTestId('reports-empty')).toBeVisible()
  await expect(row).toHaveCount(0)
  await page.getByTestId('reports-include-simulated').check()
  await expect(row.getByTestId('report-row-simulated')).toHaveText('SIMULATED')
  await row.click()
  const preview = page.frameLocator('[data-testid="report-preview"]')
  await expect(preview.locator('body')).toContainText('K230-E2E-REPORT')
  await expect(preview.locator('body')).toContainText('Insert a SIM card')
  await expect(preview.locator('[data-simulated="true"]')).toHaveText('SIMULATED: virtual board, not a real unit')

  for (const [format, pattern] of [
    ['json', /\.json$/],
    ['html', /\.html$/],
    ['junit', /\.junit\.xml$/],
    ['pdf', /\.pdf$/],
  ] as const) {
    const download = page.waitForEvent('download', { timeout: 60_000 })
    await page.getByTestId(`report-export-${format}`).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(pattern)
    const bytes = readFileSync(await file.path())
    if (format === 'json') expect(JSON.parse(bytes.toString('utf8')).unit.serial).toBe('K230-E2E-REPORT')
    if (format === 'junit') expect(bytes.toString('utf8')).toContain('<failure')
    if (format === 'pdf') expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
  }
  await expect(page.getByTestId('report-exported')).toContainText('exports')
  await expect(page.getByTestId('report-exported')).toContainText(/Saved K230-E2E-REPORT_\S+\.pdf in \S+exports/)
  await expect(page.getByTestId('yield')).toContainText(/of \d+ units passed/)
  await expect(page.getByTestId('yield-chart').getByTestId('yield-step-title').first()).toBeVisible()
  const ecm = page.locator('[data-testid="yield-step"][data-step="ecm.net"]')
  await expect(ecm.getByTestId('yield-step-counts')).toHaveText(/^\d+ passed \/ \d+ ran \/ [1-9]\d* skipped$/)
})
