/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser } from 'playwright-core'
import { renderHtml } from '../../src-engine/report/html'
import { failingRecord } from './fixtures/records'

const CHROMIUM = process.env.K230_CHROMIUM ?? '/usr/bin/chromium'

/** What runs off the page, and table labels broken into more than two lines. */
async function layoutProblems(browser: Browser, html: string, width: number): Promise<{ overflow: number; overflowing: string[]; brokenLabels: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 768 } })
  await page.setContent(html)
  const found = await page.evaluate(() => {
    const doc = document.documentElement
    const overflowing = [...document.querySelectorAll('td, th, dd, h1, p')]
      .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1 || e.scrollWidth > e.clientWidth + 1)
      .map((e) => (e.textContent ?? '').trim().slice(0, 40))
    const brokenLabels = [...document.querySelectorAll('table.kv th')]
      .filter((th) => {
        const range = document.createRange()
        range.selectNodeContents(th)
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1
      })
      .map((th) => (th.textContent ?? '').trim())
    return { overflow: doc.scrollWidth - doc.clientWidth, overflowing, brokenLabels }
  })
  await page.close()
  return found
}

describe('HTML report layout in both languages', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM })
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const lang of ['en', 'zh-CN'] as const) {
    for (const width of [1366, 640]) {
      it(`${lang} at ${width}×768 (full window and the Reports preview pane): nothing runs off the edge, labels do not break per character`, async () => {
        const record = failingRecord()
        record.station.id = '总装线二号工位-ST07'
        record.station.operator = '李伟'
        record.profile.hash = 'b1946ac92492d2347c6235b4d2611184b1946ac92492d2347c6235b4d2611184'
        const found = await layoutProblems(browser, renderHtml(record, { lang }), width)
        expect(found).toEqual({ overflow: 0, overflowing: [], brokenLabels: [] })
      })
    }
  }
})
