/** Shared steps of the browser-host specs: open the app, pick the language, connect a virtual board. */
import { expect, type Page } from '@playwright/test'

/** Opens the app in English (or the given language) and waits until the Station screen is interactive. */
export async function openApp(page: Page, language: 'en' | 'zh-CN' = 'en'): Promise<void> {
  await page.goto('/')
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'yes')
  await page.evaluate((lang) => window.api.settings.set({ language: lang, theme: 'light' }), language)
  await expect(page.locator('html')).toHaveAttribute('lang', language)
}

/** Connects the console to a virtual board running `scenario` from the Station screen, as a technician would. */
export async function connectVirtualBoard(page: Page, scenario: string): Promise<void> {
  await page.getByTestId('nav-station').click()
  await page.getByTestId('station-source-sim').check()
  await page.getByTestId('station-scenario').selectOption(scenario)
  await page.getByTestId('station-connect').click()
  await expect(page.getByTestId('station-status')).toContainText(`virtual:${scenario}`, { timeout: 30_000 })
}

declare global {
  interface Window {
    api: import('../../src-shared/api').DomainApi
  }
}
