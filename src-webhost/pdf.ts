/** PDF printing for the browser host: the report HTML printed by a headless Chromium (what Electron's printToPDF does in the app). */
import { existsSync } from 'node:fs'
import { chromium } from 'playwright'

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

/** Prints trusted report HTML to A4 PDF bytes; throws a clear error when no Chromium is installed. */
export async function printPdfWithChromium(html: string): Promise<Uint8Array> {
  const executablePath = [process.env.K230_CHROMIUM, ...CANDIDATES].find((p): p is string => !!p && existsSync(p))
  if (!executablePath) throw new Error('No Chromium found for PDF export (set K230_CHROMIUM to its path)')
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] })
  try {
    const page = await browser.newPage()
    await page.setContent(html, { waitUntil: 'load' })
    return await page.pdf({ format: 'A4', printBackground: true })
  } finally {
    await browser.close()
  }
}
