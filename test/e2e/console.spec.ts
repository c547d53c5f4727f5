import { expect, test } from '@playwright/test'
import { connectVirtualBoard, openApp } from './app'

test('typing into the console runs a command on the board and shows its output', async ({ page }) => {
  await openApp(page)
  await connectVirtualBoard(page, 'healthy')
  await page.getByTestId('nav-console').click()
  const terminal = page.getByTestId('console-terminal')
  await terminal.click()
  await page.keyboard.press('Enter')
  await expect(terminal).toContainText('#', { timeout: 30_000 })
  await page.keyboard.type('echo typed-$((6*7))')
  await page.keyboard.press('Enter')
  await expect(terminal).toContainText('typed-42')
  await page.getByTestId('console-search').fill('typed-42')
  await page.getByTestId('console-find').click()
  const download = page.waitForEvent('download')
  await page.getByTestId('console-save').click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^console-.*\.txt$/)
  const text = await (await file.createReadStream()).toArray()
  expect(Buffer.concat(text).toString('utf8')).toContain('typed-42')
})
