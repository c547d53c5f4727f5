import { expect, test } from '@playwright/test'
import { connectVirtualBoard, openApp } from './app'

test('the AT console sends a typed command and a one-click query, with parsed answers beside the raw ones', async ({ page }) => {
  test.setTimeout(120_000)
  await openApp(page)
  await connectVirtualBoard(page, 'healthy')
  await page.getByTestId('nav-at').click()
  await page.getByTestId('at-command').fill('AT+CSQ')
  await page.getByTestId('at-command').press('Enter')
  const first = page.getByTestId('at-exchange').last()
  await expect(first).toHaveAttribute('data-ok', 'yes', { timeout: 60_000 })
  await expect(first.getByTestId('at-raw')).toContainText('+CSQ:')
  await expect(first.getByTestId('at-parsed')).toContainText('dbm', { ignoreCase: true })
  await page.getByTestId('at-q-cpin').click()
  await expect(page.getByTestId('at-exchange')).toHaveCount(2, { timeout: 60_000 })
  await expect(page.getByTestId('at-exchange').last().getByTestId('at-raw')).toContainText('+CPIN: READY')
  await expect(page.getByTestId('at-history')).toContainText('AT+CSQ')
})

test('an AT error is shown with its meaning', async ({ page }) => {
  test.setTimeout(120_000)
  await openApp(page)
  await connectVirtualBoard(page, 'no-sim')
  await page.getByTestId('nav-at').click()
  await page.getByTestId('at-q-cpin').click()
  const x = page.getByTestId('at-exchange').last()
  await expect(x).toHaveAttribute('data-ok', 'no', { timeout: 60_000 })
  await expect(x).toContainText('+CME ERROR: 10')
  await expect(x.getByTestId('at-parsed')).toContainText(/SIM not inserted/i)
})
