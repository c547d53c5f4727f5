import { expect, test, type Page } from '@playwright/test'
import { connectVirtualBoard, openApp } from './app'

async function scanSerial(page: Page, serial: string) {
  await page.getByTestId('nav-run').click()
  const input = page.getByTestId('run-serial')
  await expect(input).toBeFocused()
  await page.keyboard.type(serial)
  await page.keyboard.press('Enter')
}

test('a healthy board passes the whole checklist, driven by a scanner (serial + Enter)', async ({ page }) => {
  test.setTimeout(180_000)
  await openApp(page)
  await connectVirtualBoard(page, 'healthy')
  await scanSerial(page, 'K230-E2E-0001')
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'running')
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'pass', { timeout: 150_000 })
  await expect(page.getByTestId('run-verdict')).toContainText('PASS')
  await expect(page.getByTestId('run-verdict')).toContainText('K230-E2E-0001')
  for (const id of ['console', 'usb', 'drivers', 'userland', 'modem', 'ppp-config', 'ecm.net', 'rndis.net', 'ppp.net']) {
    await expect(page.getByTestId(`step-status-${id}`)).toHaveAttribute('data-verdict', 'pass')
  }
  await expect(page.getByTestId('run-counter')).toContainText(/(\d+) of \1 steps/)
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('run-serial')).toHaveValue('')
  await expect(page.getByTestId('run-serial')).toBeFocused()
})

test('a unit without a SIM fails at the modem step with the fix, and a rerun of that step keeps both attempts', async ({ page }) => {
  test.setTimeout(180_000)
  await openApp(page)
  await connectVirtualBoard(page, 'no-sim')
  await scanSerial(page, 'K230-E2E-NOSIM')
  await expect(page.getByTestId('run-verdict')).toContainText('K230-E2E-NOSIM')
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'fail', { timeout: 150_000 })
  await expect(page.getByTestId('run-verdict')).toContainText('FAIL')
  await expect(page.getByTestId('step-status-modem')).toHaveAttribute('data-verdict', 'fail')
  await expect(page.getByTestId('step-remedy-modem')).toContainText('Insert a SIM card')
  await expect(page.getByTestId('step-status-console')).toHaveAttribute('data-verdict', 'pass')
  await page.getByTestId('step-rerun-modem').click()
  await expect(page.getByTestId('step-attempts-modem')).toContainText('×2', { timeout: 60_000 })
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'fail')
  await expect(page.getByTestId('step-remedy-modem')).toContainText('Insert a SIM card')
  await page.keyboard.press('F5')
  await expect(page.getByTestId('step-attempts-modem')).toContainText('×3', { timeout: 60_000 })
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'fail', { timeout: 60_000 })
})

test('an aborted run can be resumed: Rerun failed runs the aborted and skipped steps on the same record', async ({ page }) => {
  test.setTimeout(240_000)
  await openApp(page)
  await connectVirtualBoard(page, 'healthy')
  await scanSerial(page, 'K230-E2E-ABORT')
  await expect(page.getByTestId('step-status-ppp-config')).toHaveAttribute('data-verdict', 'running', { timeout: 60_000 })
  await page.getByTestId('run-abort').click()
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'aborted', { timeout: 60_000 })
  await expect(page.getByTestId('run-rerun-failed')).toBeEnabled()
  await page.getByTestId('run-rerun-failed').click()
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'pass', { timeout: 180_000 })
  await expect(page.getByTestId('run-verdict')).toContainText('K230-E2E-ABORT')
  await expect(page.getByTestId('step-attempts-console')).toHaveCount(0)
  await expect(page.getByTestId('step-status-ppp.net')).toHaveAttribute('data-verdict', 'pass')
})
