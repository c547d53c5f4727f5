/** A station of several slots in Chromium over the real services: the engineer lays it out, the scanner fills it, four verdicts show at once. */
import { expect, test, type Page } from '@playwright/test'
import { connectVirtualBoard, openApp, unlockEngineer } from './app'

const MIXED = [
  { name: 'A1', scenario: 'healthy', serial: 'K230-SLOT-0001', verdict: 'pass' },
  { name: 'A2', scenario: 'no-sim', serial: 'K230-SLOT-0002', verdict: 'fail' },
  { name: 'A3', scenario: 'weak-signal', serial: 'K230-SLOT-0003', verdict: 'fail' },
  { name: 'A4', scenario: 'healthy', serial: 'K230-SLOT-0004', verdict: 'pass' },
]

/** What does not fit on the Slots screen: page scroll either way, tiles past the window, text cut or running out of its box. */
async function layoutProblems(page: Page): Promise<{ pageOverflow: [number, number]; tilesOutside: string[]; clipped: string[] }> {
  return page.evaluate(() => {
    const doc = document.documentElement
    const screen = document.querySelector<HTMLElement>('main.screen')
    const tiles = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="slot-tile"]'))
    const tilesOutside = tiles
      .filter((tile) => {
        const r = tile.getBoundingClientRect()
        return r.left < 0 || r.top < 0 || r.right > window.innerWidth + 0.5 || r.bottom > window.innerHeight + 0.5
      })
      .map((tile) => tile.dataset.slot ?? '?')
    const clipped: string[] = []
    for (const tile of tiles) {
      const box = tile.getBoundingClientRect()
      for (const el of [tile, ...Array.from(tile.querySelectorAll<HTMLElement>('*'))]) {
        if (!el.textContent?.trim() || el.getClientRects().length === 0) continue
        const r = el.getBoundingClientRect()
        const cut = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible'
        const out = r.right > box.right + 0.5 || r.left < box.left - 0.5 || r.bottom > box.bottom + 0.5
        const tooWide = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
        if (cut || out || tooWide) clipped.push(`${tile.dataset.slot}:${el.dataset.testid ?? el.tagName.toLowerCase()}:${(el.textContent ?? '').trim().slice(0, 30)}`)
      }
    }
    return { pageOverflow: [doc.scrollWidth - doc.clientWidth, (screen?.scrollHeight ?? 0) - (screen?.clientHeight ?? 0)], tilesOutside, clipped }
  })
}

/** Lays the station out in the engineer's editor: one line per slot, each on the virtual board with its scenario. */
async function layOut(page: Page, slots: { name: string; scenario: string }[]) {
  await page.getByTestId('nav-slots').click()
  await page.getByTestId('layout-edit').click()
  const rows = page.getByTestId('layout-row')
  while ((await rows.count()) < slots.length) await page.getByTestId('layout-add').click()
  while ((await rows.count()) > slots.length) await rows.last().getByTestId('layout-remove').click()
  for (const [i, s] of slots.entries()) {
    await rows.nth(i).getByTestId('layout-source').selectOption('sim')
    await rows.nth(i).getByTestId('layout-name').fill(s.name)
    await rows.nth(i).getByTestId('layout-scenario').selectOption(s.scenario)
  }
  await expect(page.getByTestId('layout-problems')).toHaveCount(0)
  await page.getByTestId('layout-save').click()
  await expect(page.getByTestId('slot-tile')).toHaveCount(slots.length)
  await page.getByTestId('layout-edit').click()
}

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage()
  await openApp(page)
  await unlockEngineer(page)
  await page.evaluate(async () => {
    const station = (window.api as unknown as { station: { setLayout(l: unknown): Promise<unknown> } }).station
    await station.setLayout({ version: 1, locked: false, slots: [{ name: '1', scenario: 'healthy' }] })
  })
  await page.close()
})

test('Enter on the overview does not reopen a console the operator disconnected: it says why, and the tile\'s Connect brings the slot back', async ({ page }) => {
  test.setTimeout(180_000)
  await openApp(page)
  await unlockEngineer(page)
  await page.evaluate(async () => {
    const station = (window.api as unknown as { station: { setLayout(l: unknown): Promise<unknown> } }).station
    await station.setLayout({ version: 1, locked: false, slots: [{ name: 'B1', scenario: 'healthy' }] })
  })
  await connectVirtualBoard(page, 'healthy')
  await page.getByTestId('station-disconnect').click()
  await expect(page.getByTestId('station-status')).not.toContainText('virtual:healthy', { timeout: 30_000 })

  await page.getByTestId('nav-slots').click()
  const tile = page.getByTestId('slot-tile').first()
  await expect(tile).toHaveAttribute('data-state', 'no-console')
  await page.getByTestId('slots-scan').fill('K230-SLOT-DISC1')
  await page.getByTestId('slots-scan').press('Enter')
  await page.getByTestId('slots-scan').press('Enter')
  await expect(page.getByTestId('notice').filter({ hasText: 'The console is disconnected' })).toBeVisible({ timeout: 30_000 })
  await expect(tile).toHaveAttribute('data-state', 'no-console')
  await expect(tile).not.toHaveAttribute('data-verdict', /pass|fail|error/)

  await tile.getByTestId('slot-connect').click()
  await expect(tile.getByTestId('slot-source')).toContainText('virtual:healthy', { timeout: 30_000 })
  await page.getByTestId('slots-scan').fill('K230-SLOT-DISC2')
  await page.getByTestId('slots-scan').press('Enter')
  await page.getByTestId('slots-scan').press('Enter')
  await expect(tile).toHaveAttribute('data-verdict', 'pass', { timeout: 150_000 })
  await expect(tile.getByTestId('slot-unit')).toHaveText('K230-SLOT-DISC2')
})

test('a 4-slot station of mixed scenarios, laid out by the engineer and filled by the scanner, shows four correct verdicts at once', async ({ page }) => {
  test.setTimeout(360_000)
  await openApp(page)
  await unlockEngineer(page)
  await layOut(page, MIXED)
  await page.evaluate(() => window.api.access.useRole('technician'))
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'technician')

  const tiles = page.getByTestId('slot-tile')
  for (const [i, s] of MIXED.entries()) {
    await expect(tiles.nth(i).getByTestId('slot-name')).toHaveText(s.name)
    await expect(tiles.nth(i).getByTestId('slot-source')).toContainText(s.scenario)
  }
  expect(await layoutProblems(page)).toEqual({ pageOverflow: [0, 0], tilesOutside: [], clipped: [] })

  const scanLine = page.getByTestId('slots-scan')
  await scanLine.click()
  await expect(scanLine).toBeFocused()
  // A3's label first, then its unit; the other three go to the next free slots in order.
  await page.keyboard.type('A3')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('slots-said')).toHaveText('Slot A3: scan the unit for it')
  await expect(tiles.nth(2)).toHaveAttribute('data-state', 'picked')
  await page.keyboard.type(MIXED[2].serial)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('slots-said')).toHaveText(`${MIXED[2].serial} goes to slot A3. Enter starts.`)
  for (const i of [3, 0, 1]) {
    await page.keyboard.type(MIXED[i].serial)
    await page.keyboard.press('Enter')
    await expect(tiles.nth(i)).toHaveAttribute('data-state', 'waiting')
  }
  await page.keyboard.type('K230-SLOT-0005')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('slots-said')).toHaveAttribute('data-refused', 'yes')
  await expect(page.getByTestId('slots-said')).toHaveText('No free slot for K230-SLOT-0005: every slot is running or has a unit waiting.')
  for (const [i, s] of MIXED.entries()) await expect(tiles.nth(i).getByTestId('slot-unit')).toHaveText(s.serial)
  await expect(page.getByTestId('slots-start')).toHaveText('Start waiting units (4)')

  await page.keyboard.press('Enter')
  await expect(page.locator('[data-testid="slot-tile"][data-state="waiting"]')).toHaveCount(0)
  for (const [i, s] of MIXED.entries()) await expect(tiles.nth(i)).toHaveAttribute('data-verdict', s.verdict, { timeout: 300_000 })
  // All four at once, each with its unit, its SIMULATED mark and its progress, still laid out within the window.
  for (const [i, s] of MIXED.entries()) {
    await expect(tiles.nth(i).getByTestId('slot-verdict')).toContainText(s.verdict === 'pass' ? 'PASS' : 'FAIL')
    await expect(tiles.nth(i).getByTestId('slot-simulated')).toHaveText('SIMULATED: virtual board, not a real unit')
    await expect(tiles.nth(i).getByTestId('slot-unit')).toHaveText(s.serial)
    await expect(tiles.nth(i).getByTestId('slot-counter')).toContainText('steps ran')
  }
  expect(await layoutProblems(page)).toEqual({ pageOverflow: [0, 0], tilesOutside: [], clipped: [] })

  // A slot's detail is today's Run screen, for that slot: A3 failed at the modem on weak signal.
  await tiles.nth(2).click()
  await expect(page.getByTestId('nav-run')).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('slot-pick')).toHaveValue('2')
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'fail')
  await expect(page.getByTestId('run-verdict')).toContainText(MIXED[2].serial)
  await expect(page.getByTestId('step-status-modem')).toHaveAttribute('data-verdict', 'fail')
  await expect(page.getByTestId('step-remedy-modem')).toContainText(/antenna/i)
  await page.getByTestId('slot-pick').selectOption('0')
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'pass')
  await expect(page.getByTestId('run-verdict')).toContainText(MIXED[0].serial)

  // The Console and AT screens pick a slot too: A2's board has no SIM.
  await page.getByTestId('nav-at').click()
  await page.getByTestId('slot-pick').selectOption('1')
  await page.getByTestId('at-q-cpin').click()
  await expect(page.getByTestId('at-exchange').last()).toContainText(/SIM not inserted|\+CME ERROR: 10/)
  await page.getByTestId('slot-pick').selectOption('0')
  await page.getByTestId('at-q-cpin').click()
  await expect(page.getByTestId('at-exchange').last()).toContainText('READY')
  await page.getByTestId('nav-console').click()
  await expect(page.getByTestId('slot-pick')).toHaveValue('0')
  await expect(page.getByTestId('console-target')).toContainText('virtual:healthy')
  await page.getByTestId('slot-pick').selectOption('2')
  await expect(page.getByTestId('console-target')).toContainText('virtual:weak-signal')

  // A result stays on its tile until the next unit: the next scan goes to the slot after the one that got the last unit (A2 → A3), replacing only A3's result.
  await page.getByTestId('nav-slots').click()
  await expect(scanLine).toBeFocused()
  await page.keyboard.type('K230-SLOT-0006')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('slots-said')).toHaveText('K230-SLOT-0006 goes to slot A3. Enter starts.')
  await expect(tiles.nth(2)).toHaveAttribute('data-state', 'waiting')
  await expect(tiles.nth(2).getByTestId('slot-unit')).toHaveText('K230-SLOT-0006')
  for (const [i, s] of MIXED.entries()) if (i !== 2) await expect(tiles.nth(i)).toHaveAttribute('data-verdict', s.verdict)
  await page.keyboard.press('Escape')
  await expect(tiles.nth(2)).toHaveAttribute('data-verdict', 'fail')
  await expect(tiles.nth(2).getByTestId('slot-unit')).toHaveText(MIXED[2].serial)
})

test('eight slots fit a 1920×1080 window and four fit 1366×768, in English and Chinese, before and after a unit', async ({ page }) => {
  test.setTimeout(180_000)
  await openApp(page)
  await unlockEngineer(page)
  const eight = Array.from({ length: 8 }, (_, i) => ({ name: `工位-${i + 1}-LONGNAME`, scenario: 'weak-signal' }))
  await layOut(page, eight)
  for (const lang of ['en', 'zh-CN'] as const) {
    await page.evaluate((l) => window.api.settings.set({ language: l }), lang)
    await expect(page.locator('html')).toHaveAttribute('lang', lang)
    await page.setViewportSize({ width: 1920, height: 1080 })
    await expect(page.getByTestId('slot-tile')).toHaveCount(8)
    expect(await layoutProblems(page)).toEqual({ pageOverflow: [0, 0], tilesOutside: [], clipped: [] })
  }
  await layOut(page, eight.slice(0, 4))
  await page.setViewportSize({ width: 1366, height: 768 })
  for (const lang of ['zh-CN', 'en'] as const) {
    await page.evaluate((l) => window.api.settings.set({ language: l }), lang)
    await expect(page.locator('html')).toHaveAttribute('lang', lang)
    expect(await layoutProblems(page)).toEqual({ pageOverflow: [0, 0], tilesOutside: [], clipped: [] })
  }
  await page.getByTestId('slots-scan').fill('A-VERY-LONG-UNIT-SERIAL-0000000000000000000000000000000000001')
  await page.getByTestId('slots-scan').press('Enter')
  await page.getByTestId('slots-scan').press('Enter')
  await expect(page.getByTestId('slot-tile').first()).toHaveAttribute('data-verdict', 'fail', { timeout: 150_000 })
  expect(await layoutProblems(page)).toEqual({ pageOverflow: [0, 0], tilesOutside: [], clipped: [] })
})
