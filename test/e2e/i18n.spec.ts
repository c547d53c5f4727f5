import { expect, test } from '@playwright/test'
import { appUrl, openApp } from './app'

test('the language follows the system by default and can be switched in Settings', async ({ page, browser }) => {
  await openApp(page)
  await page.evaluate(() => window.api.settings.set({ language: 'system' }))
  const zh = await browser.newContext({ locale: 'zh-CN' })
  const zhPage = await zh.newPage()
  await zhPage.goto(appUrl())
  await expect(zhPage.getByTestId('nav-station')).toHaveText('工位')
  await zh.close()

  await page.reload()
  await expect(page.getByTestId('nav-station')).toHaveText('Station')
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('settings-language').selectOption('zh-CN')
  await expect(page.getByTestId('nav-station')).toHaveText('工位')
  await expect(page.getByTestId('nav-run')).toHaveText('测试')
  await page.getByTestId('settings-language').selectOption('en')
  await expect(page.getByTestId('nav-station')).toHaveText('Station')
})
