import { expect, test } from '@playwright/test'
import { connectVirtualBoard, openApp, unlockEngineer } from './app'

test('the Station lists the virtual board scenarios and connects to one', async ({ page }) => {
  await openApp(page)
  await page.getByTestId('station-source-sim').check()
  const options = page.getByTestId('station-scenario').locator('option')
  await expect(options.filter({ hasText: 'healthy' })).toHaveCount(1)
  await expect(options.filter({ hasText: 'no-sim' })).toHaveCount(1)
  await connectVirtualBoard(page, 'healthy')
  await expect(page.getByTestId('connection-badge')).toContainText('virtual:healthy')
})

test('a bad profile is refused with the field named, a good one saves', async ({ page }) => {
  await openApp(page)
  await unlockEngineer(page)
  await page.getByTestId('nav-station').click()
  const editor = page.getByTestId('profile-editor')
  await editor.fill('apn: "bad apn!"\n')
  await expect(page.getByTestId('profile-errors')).toContainText("field 'apn'")
  await expect(page.getByTestId('profile-save')).toBeDisabled()
  await editor.fill('name: default\napn: CMNET\n')
  await expect(page.getByTestId('profile-valid')).toBeVisible()
  await page.getByTestId('profile-save').click()
  await page.reload()
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'yes')
  await expect(page.getByTestId('profile-editor')).toHaveValue(/apn: CMNET/)
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'engineer')
  await page.getByTestId('profile-editor').fill('name: default\n')
  await expect(page.getByTestId('profile-valid')).toBeVisible()
  await page.getByTestId('profile-save').click()
  await expect.poll(() => page.evaluate(async () => (await window.api.profiles.load('default')).text)).toBe('name: default\n')
})

test('the SDK overlay for the image builders is written from the selected profile', async ({ page }) => {
  await openApp(page)
  await page.getByTestId('sdk-overlay').click()
  await expect(page.getByTestId('sdk-overlay-result')).toContainText(/\d+ files written to .*sdk-overlay/)
})

test('a payload that does not fit its channel is refused by the host with the field named', async ({ page }) => {
  await openApp(page)
  const reply = await page.evaluate(async () => {
    try {
      await window.api.console.open({ kind: 'port', path: '', baud: 115200 })
      return 'accepted'
    } catch (error) {
      return (error as Error).message
    }
  })
  expect(reply).toContain('console:open')
  expect(reply).not.toBe('accepted')
})
