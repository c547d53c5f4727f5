/** Shared steps of the browser-host specs: open the app, pick the language, connect a virtual board. */
import { expect, type Page } from '@playwright/test'

/** The engineer password the specs set on their fresh test server. */
export const ENGINEER_PASSWORD = 'e2e-engineer-pw'

/** The app's address with the browser host's per-launch secret (playwright.config.ts makes it). */
export function appUrl(): string {
  return `/?k=${process.env.K230_WEBHOST_TOKEN ?? ''}`
}

/** Opens the app in English (or the given language) as a technician with an operator id, and waits until the Station screen is interactive. */
export async function openApp(page: Page, language: 'en' | 'zh-CN' = 'en'): Promise<void> {
  await page.goto(appUrl())
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'yes')
  await page.evaluate(async (lang) => {
    await window.api.access.useRole('technician')
    await window.api.settings.set({ language: lang, theme: 'light', operator: 'e2e-op' })
  }, language)
  await expect(page.locator('html')).toHaveAttribute('lang', language)
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'technician')
}

/** Unlocks engineer mode on the Settings screen as an engineer would (setting the password the first time). */
export async function unlockEngineer(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('access-password').fill(ENGINEER_PASSWORD)
  if (await page.getByTestId('access-confirm').isVisible()) await page.getByTestId('access-confirm').fill(ENGINEER_PASSWORD)
  await page.getByTestId('access-unlock').click()
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'engineer')
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
