import { expect, test, type Page } from '@playwright/test'
import { appUrl, connectVirtualBoard, openApp } from './app'

const SCREENS = ['station', 'flash', 'run', 'console', 'at', 'reports', 'support', 'settings', 'slots'] as const

/**
 * Text a person sees that did not come from the catalogue: every visible text node and placeholder, with the
 * pseudo-locale's ⟦…⟧ messages removed, must be data only (serials, ports, paths, numbers, ids, hex, times).
 * Board output (the terminal, string measurement values marked data-data) is data; language names are autonyms; an identifier in <code> (a step id beside
 * its title) and an option's own value at the start of its text (a scenario or profile name) are data; the report preview frame is not walked.
 */
async function uncatalogued(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const DATA = [
      /^[\s\d.,:;/\\\-+%×·()#@_=<>|[\]{}'"…–—→↔≥≤*!?&^~$]*$/, // numbers, punctuation, marks
      /^(\/dev\/|\/sys\/|\/etc\/|\/proc\/|virtual:|[A-Za-z]:\\|\/tmp\/|\/home\/|\/root\/)\S*$/, // ports and paths
      /^[A-Z0-9][A-Z0-9_-]*\d[A-Z0-9_-]*$/, // serials, station ids (K230-E2E-0001)
      /^[0-9a-f]{6,}$/i, // hashes, ids
      /^[a-z][a-z0-9]*([-.][a-z0-9]+)+$/, // remediation codes and step ids shown beside their words (sim-missing, ecm.net): never a plain word
      /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?/, // times
      /^AT[+A-Z0-9?=,"]*$/, // AT commands
      /^\/\S+$/, // paths
      /^\d{1,2}\/\d{1,2}\/\d{4},?$|^\d{1,2}:\d\d(:\d\d)?$|^(AM|PM)$/, // dates and times in the browser's format
      /^(GND|TX|RX|VCC|BOOT|MAIN|DIV|BootROM|K230\/K230D|eMMC|SD|SPI-NAND|SPI-NOR|OTP)$/, // names printed on the board, chip and medium names
      /^(K230|EC200A|ECM|RNDIS|PPP|USB|SIM|IMEI|ICCID|APN|CSQ|JSON|HTML|PDF|JUNIT|CSV|dBm|ms|s|MB\/s|B|KiB|MiB|baud)$/i, // names and units that read the same in every language
    ]
    const bare = (word: string) => word.replace(/^[(["“]+|[)\]"”,.;:]+$/g, '')
    const isData = (text: string) => text.split(/\s+/).filter(Boolean).every((word) => !bare(word) || DATA.some((re) => re.test(bare(word)) || re.test(word)))
    const leftOver = (text: string) => {
      let rest = text
      for (let before = ''; before !== rest; ) {
        before = rest
        rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ')
      }
      return rest.trim()
    }
    const visible = (el: Element | null): boolean => {
      for (let e = el; e; e = e.parentElement) {
        const style = getComputedStyle(e)
        if (style.display === 'none' || style.visibility === 'hidden') return false
        if (e.classList.contains('xterm') || e.tagName === 'IFRAME') return false
        if (e.hasAttribute('data-data')) return false
      }
      return true
    }
    const found: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement
      if (!parent || ['SCRIPT', 'STYLE', 'OPTION', 'TEXTAREA'].includes(parent.tagName) || !visible(parent)) continue
      const rest = leftOver(node.textContent ?? '')
      if (parent.tagName === 'CODE' && /^[a-z][a-z0-9.-]*$/.test(rest)) continue
      if (rest && !isData(rest)) found.push(`${parent.tagName.toLowerCase()}${parent.dataset.testid ? `[${parent.dataset.testid}]` : ''}: ${rest.slice(0, 80)}`)
    }
    for (const el of Array.from(document.querySelectorAll<HTMLInputElement>('input[placeholder], textarea[placeholder]'))) {
      const rest = leftOver(el.placeholder)
      if (visible(el) && rest && !isData(rest)) found.push(`placeholder ${el.dataset.testid ?? ''}: ${rest}`)
    }
    for (const el of Array.from(document.querySelectorAll<HTMLSelectElement>('select'))) {
      if (!visible(el) || el.hasAttribute('data-autonyms')) continue
      for (const option of Array.from(el.options)) {
        const named = option.value && option.text.startsWith(option.value) ? option.text.slice(option.value.length) : option.text
        const rest = leftOver(named)
        if (rest && !isData(rest)) found.push(`option ${el.dataset.testid ?? ''}: ${rest}`)
      }
    }
    return [...new Set(found)]
  })
}

test('every screen in the en-XA pseudo-locale shows only catalogue text and data, with a support comparison, a bundle opened, a notice, the operator gate and the change log', async ({ page }) => {
  test.setTimeout(300_000)
  await openApp(page)
  await connectVirtualBoard(page, 'no-sim')
  await page.goto(`${appUrl()}&pseudo=1`)
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'yes')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-XA')
  await expect(page.getByTestId('nav-station')).toHaveText('⟦Station⟧')

  await page.getByTestId('nav-run').click()
  await page.getByTestId('run-serial').fill('K230-PSEUDO-0001')
  await page.getByTestId('run-serial').press('Enter')
  await expect(page.getByTestId('run-verdict')).toHaveAttribute('data-verdict', 'fail', { timeout: 150_000 })
  await expect(page.getByTestId('step-remedy-modem')).toContainText('⟦')

  const problems: Record<string, string[]> = {}
  let bundle = ''
  for (const screen of SCREENS) {
    await page.getByTestId(`nav-${screen}`).click()
    await expect(page.getByTestId(`nav-${screen}`)).toHaveAttribute('aria-selected', 'true')
    if (screen === 'reports') {
      await page.getByTestId('reports-include-simulated').check()
      await page.getByTestId('report-row').first().click()
      await expect(page.getByTestId('report-preview')).toBeVisible()
    }
    if (screen === 'support') {
      await page.getByTestId('support-switch').click()
      await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'support')
      await page.getByTestId('support-key').fill('K230-PSEUDO-0001')
      await page.getByTestId('support-lookup').click()
      await expect(page.getByTestId('support-run')).toHaveCount(1, { timeout: 60_000 })
      await page.getByTestId('support-step').selectOption('modem')
      await page.getByTestId('support-run-step').click()
      await expect(page.getByTestId('support-summary')).toBeVisible({ timeout: 60_000 })
      await expect(page.getByTestId('support-running')).toBeHidden({ timeout: 60_000 })
      await page.getByTestId('support-changed-only').uncheck()
      await expect(page.getByTestId('compare-modem')).toBeVisible()
      await page.getByTestId('support-bundle').click()
      await expect(page.getByTestId('support-bundle-written')).toBeVisible({ timeout: 60_000 })
      await page.getByTestId('support-bundle-written').getByTestId('show-in-folder').click()
      bundle = ((await page.getByTestId('support-bundle-written').getByTestId('show-in-folder-path').textContent()) ?? '').replace(/^[^/]*/, '').replace(/⟧$/, '').trim()
      expect(bundle).toMatch(/\.zip$/)
    }
    if (screen === 'settings') {
      await expect(page.getByTestId('audit-entry').first()).toBeVisible()
      const found = await uncatalogued(page)
      if (found.length) problems['settings (support)'] = found
      await page.getByTestId('access-technician').click()
      await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'technician')
    }
    if (screen === 'slots') {
      await page.getByTestId('layout-edit').click()
      await expect(page.getByTestId('layout-editor')).toBeVisible()
      await page.getByTestId('slots-scan').fill('K230-PSEUDO-0002')
      await page.getByTestId('slots-scan').press('Enter')
      await expect(page.getByTestId('slots-said')).toBeVisible()
    }
    const found = await uncatalogued(page)
    if (found.length) problems[screen] = found
  }

  await page.getByTestId('nav-reports').click()
  await page.getByTestId('bundle-path').fill(bundle)
  await page.getByTestId('bundle-open').click()
  await expect(page.getByTestId('bundle-row')).toHaveCount(2)
  const bundleView = await uncatalogued(page)
  if (bundleView.length) problems['reports (a support bundle opened)'] = bundleView
  await page.getByTestId('bundle-path').fill(`${bundle}.missing.zip`)
  await page.getByTestId('bundle-open').click()
  await expect(page.getByTestId('notice')).toContainText('⟦')
  const refused = await uncatalogued(page)
  if (refused.length) problems['reports (a missing bundle: a notice)'] = refused

  const operator = await page.evaluate(async () => (await window.api.settings.get()).operator)
  await page.evaluate(() => window.api.settings.set({ operator: '' }))
  await page.getByTestId('nav-slots').click()
  await expect(page.getByTestId('operator-gate')).toBeVisible()
  const gate = await uncatalogued(page)
  if (gate.length) problems['slots (operator id asked)'] = gate
  await page.evaluate((id) => window.api.settings.set({ operator: id }), operator)
  await expect(page.getByTestId('operator-gate')).toBeHidden()
  expect(problems).toEqual({})
})
