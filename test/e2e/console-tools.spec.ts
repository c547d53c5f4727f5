import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { connectVirtualBoard, openApp } from './app'

test('console tools: the target is shown, time stamps turn on and off, and the console logs to a file it names', async ({ page }) => {
  await openApp(page)
  await connectVirtualBoard(page, 'healthy')
  await page.getByTestId('nav-console').click()
  await expect(page.getByTestId('console-target')).toHaveText('virtual:healthy')
  await expect(page.getByTestId('console-break')).toBeDisabled()
  const terminal = page.getByTestId('console-terminal')
  await page.getByTestId('console-log').click()
  const logLine = page.getByTestId('console-log-file')
  await expect(logLine).toContainText(/console-virtual_healthy-.*\.log/)
  const logFile = ((await logLine.textContent()) ?? '').match(/(\/\S+\.log)/)?.[1] as string

  await page.getByTestId('console-timestamps').check()
  await terminal.click()
  await page.keyboard.type('echo stamped-$((3*5))')
  await page.keyboard.press('Enter')
  await expect(terminal).toContainText(/\[\d\d:\d\d:\d\d\.\d{3}\] stamped-15/)
  await page.getByTestId('console-timestamps').uncheck()
  await terminal.click()
  await page.keyboard.type('echo plain-$((4*5))')
  await page.keyboard.press('Enter')
  await expect(terminal).toContainText(/\)\)plain-20/)
  await expect(terminal).not.toContainText(/\d{3}\] plain-20/)

  await page.getByTestId('console-log').click()
  await expect(logLine).toBeHidden()
  const logged = readFileSync(logFile, 'utf8')
  expect(logged).toContain('stamped-15')
  expect(logged).toContain('plain-20')
})
