import { expect, test } from '@playwright/test'
import { openApp, unlockEngineer } from './app'

test('a technician is locked out of profile editing and the station layout', async ({ page }) => {
  await openApp(page)
  await page.getByTestId('nav-station').click()
  await expect(page.getByTestId('profile-locked')).toBeVisible()
  await expect(page.getByTestId('profile-editor')).not.toBeEditable()
  await expect(page.getByTestId('profile-save')).toBeDisabled()
  await expect(page.getByTestId('station-profile')).toBeDisabled()
  await expect(page.getByTestId('station-operator')).toBeEditable()
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('access-role')).toHaveAttribute('data-role', 'technician')
  await expect(page.getByTestId('settings-locked')).toBeVisible()
  await expect(page.getByTestId('settings-station')).toBeDisabled()
  await expect(page.getByTestId('settings-mode-ecm')).toBeDisabled()
  const refused = await page.evaluate(async () => {
    try {
      await window.api.profiles.save('default', 'name: default\napn: HACKED\n')
      return 'saved'
    } catch (error) {
      return (error as { code?: string }).code
    }
  })
  expect(refused).toBe('locked')
})

test('an engineer unlocks with the password, edits a profile and the change is logged with who and when', async ({ page }) => {
  await openApp(page)
  await page.getByTestId('nav-settings').click()
  if (await page.getByTestId('access-confirm').isVisible()) {
    await page.getByTestId('access-password').fill('first-choice')
    await page.getByTestId('access-confirm').fill('different-one')
    await page.getByTestId('access-unlock').click()
    await expect(page.getByTestId('access-mismatch')).toBeVisible()
    await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'technician')
  }
  await unlockEngineer(page)
  await page.getByTestId('access-technician').click()
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'technician')
  await page.getByTestId('access-password').fill('not-the-password')
  await page.getByTestId('access-unlock').click()
  await expect(page.getByTestId('notice')).toContainText('Wrong engineer password.')
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'technician')
  await expect(page.getByTestId('access-confirm')).toBeHidden()

  await unlockEngineer(page)
  await expect(page.getByTestId('settings-locked')).toBeHidden()
  await page.getByTestId('settings-station').fill('line-7')
  await page.getByTestId('settings-station').press('Tab')
  await page.getByTestId('nav-station').click()
  await expect(page.getByTestId('profile-locked')).toBeHidden()
  const editor = page.getByTestId('profile-editor')
  await expect(editor).toBeEditable()
  await editor.fill('name: default\nlimits: { csqMinDbm: -95 }\n')
  await expect(page.getByTestId('profile-valid')).toBeVisible()
  await page.getByTestId('profile-save').click()
  await expect.poll(() => page.evaluate(async () => (await window.api.profiles.load('default')).text)).toContain('csqMinDbm: -95')

  await page.getByTestId('nav-settings').click()
  const saved = page.locator('[data-testid="audit-entry"][data-action="profile.save"]').first()
  await expect(saved).toContainText('e2e-op')
  await expect(saved).toContainText('Engineer')
  await expect(page.locator('[data-testid="audit-entry"][data-action="settings.change"]').first()).toContainText('stationId')

  await page.evaluate(async () => {
    await window.api.settings.set({ stationId: 'station-1' })
    await window.api.profiles.save('default', 'name: default\n')
  })
  await page.getByTestId('access-technician').click()
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'technician')
  await expect(page.getByTestId('settings-locked')).toBeVisible()
})

test('the operator id is required before the first unit', async ({ page }) => {
  await openApp(page)
  await page.evaluate(() => window.api.settings.set({ operator: '' }))
  await page.getByTestId('nav-run').click()
  await expect(page.getByTestId('operator-gate')).toBeVisible()
  await page.getByTestId('run-serial').fill('K230-NO-OPERATOR')
  await expect(page.getByTestId('run-start')).toBeDisabled()
  await page.getByTestId('operator-gate-id').fill('op-42')
  await page.getByTestId('operator-gate-save').click()
  await expect(page.getByTestId('operator-gate')).toBeHidden()
  await expect(page.getByTestId('run-start')).toBeEnabled()
  await page.getByTestId('nav-station').click()
  await expect(page.getByTestId('station-operator')).toHaveValue('op-42')
})
