import { readFile, writeFile } from 'node:fs/promises'
import type { RunRecord } from '@shared/record'
import { recordDigest, sha256Hex } from './canonical'
import { findChromium, noChromiumKeyed } from './chromium'
import { keyedText, type KeyedMessage } from '@shared/i18n/render'
import { translator } from '@shared/i18n/translate'
import { renderHtml } from './html'
import { PDF_MARGINS, pageFooterTemplate, pdfFooterTemplate, pdfHeaderTemplate, yieldHeaderTemplate } from './pdf-templates'
import { renderYieldHtml } from './yield-html'
import type { YieldSummary } from './yield'
import { maskRecord } from '../secrets/mask'
import { withPdfInfo } from './pdf-info'
import { labels, reportT, verdictText, type ReportLang } from './i18n'

/** Chromium flags for headless printing without network or first-run chatter. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']

/** Trailer line that seals a PDF: `%K230-SEAL sha256=<hex of every byte before this line>`. */
export const PDF_SEAL_LINE = /\n%K230-SEAL sha256=([^\n]*)\n?$/

/** Raised when no Chromium is available; the message (English, for logs) and `keyed` say how to get one. */
export class NoChromiumError extends Error {
  override name = 'NoChromiumError'
  constructor(readonly keyed: KeyedMessage) {
    super(keyedText(translator('en'), keyed))
  }
}

/** Appends the seal trailer to PDF bytes (readers ignore comments after %%EOF). */
export function sealPdf(pdf: Uint8Array): Buffer {
  const body = Buffer.from(pdf)
  return Buffer.concat([body, Buffer.from(`\n%K230-SEAL sha256=${sha256Hex(body)}\n`, 'latin1')])
}

async function loadPlaywrightChromium(): Promise<typeof import('playwright-core').chromium> {
  try {
    const playwright = await import('playwright-core')
    return playwright.chromium
  } catch (error) {
    throw new NoChromiumError({ key: 'reportWarning.noPlaywright', params: { detail: error instanceof Error ? error.message : String(error) } })
  }
}

/** Turns the bytes Chromium printed (Playwright `page.pdf` or Electron `printToPDF`) into the report PDF: document info with the record digest, then the seal trailer. */
export function finishPdf(pdf: Uint8Array, record: RunRecord, lang: ReportLang = 'en'): Buffer {
  const masked = maskRecord(record)
  const digest = recordDigest(masked)
  const serial = masked.unit?.serial ?? ''
  const info = {
    title: `${labels(lang).reportTitle} · ${serial} · ${verdictText(masked.verdict, lang)}`,
    subject: reportT(lang)('report.pdfSubject', { id: masked.id, serial, digest }),
    keywords: `k230-record-sha256:${digest} k230-run:${masked.id} serial:${serial}`,
    creator: 'k230-bringup report/1',
  }
  return sealPdf(withPdfInfo(Buffer.from(pdf), info))
}

/** Most transcript lines a printed report carries (first and last lines kept, the gap stated); the HTML and JSON keep them all. */
export const PDF_TRANSCRIPT_LIMIT = 5000

/** Options for Electron's `webContents.printToPDF` matching `writePdf` (A4, backgrounds, header and footer templates, margins in inches); load `renderHtml(record, { transcriptOpen: true, transcriptLimit: PDF_TRANSCRIPT_LIMIT })` first and pass the result to `finishPdf`. */
export function electronPrintOptions(record: RunRecord, lang: ReportLang = 'en') {
  const masked = maskRecord(record)
  return {
    pageSize: 'A4' as const,
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: pdfHeaderTemplate(masked, lang),
    footerTemplate: pdfFooterTemplate(masked, recordDigest(masked), lang),
    margins: { top: 18 / 25.4, bottom: 16 / 25.4, left: 12 / 25.4, right: 12 / 25.4 },
  }
}

/** Options of PDF printing. */
export interface PdfOptions {
  lang?: ReportLang
  env?: NodeJS.ProcessEnv
  /** Chromium executable; found with findChromium when absent. */
  chromium?: string
  /** Most transcript lines printed (default PDF_TRANSCRIPT_LIMIT). */
  transcriptLimit?: number
}

/** Prints self-contained HTML to A4 PDF bytes in a headless Chromium with the given header and footer templates; no network is reachable from the page. */
export async function printHtmlToPdf(html: string, templates: { header: string; footer: string }, options: PdfOptions = {}): Promise<{ pdf: Buffer; chromium: string }> {
  const lookup = options.chromium ? { path: options.chromium, tried: [options.chromium] } : findChromium(options.env)
  if (!lookup.path) throw new NoChromiumError(noChromiumKeyed(lookup))
  const chromium = await loadPlaywrightChromium()
  const browser = await chromium.launch({ executablePath: lookup.path, args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage()
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()))
    await page.setContent(html, { waitUntil: 'load' })
    await page.emulateMedia({ media: 'print' })
    const pdf = await page.pdf({ format: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: templates.header, footerTemplate: templates.footer, margin: PDF_MARGINS })
    return { pdf: Buffer.from(pdf), chromium: lookup.path }
  } finally {
    await browser.close()
  }
}

/** Prints the record's HTML report to an A4 PDF with header (unit, date) and footer (digest, page numbers) in a headless Chromium, with document info and seal; returns the Chromium used. */
export async function writePdf(record: RunRecord, outFile: string, options: PdfOptions = {}): Promise<{ chromium: string }> {
  const masked = maskRecord(record)
  const html = renderHtml(masked, { lang: options.lang, transcriptOpen: true, transcriptLimit: options.transcriptLimit ?? PDF_TRANSCRIPT_LIMIT })
  const { pdf, chromium } = await printHtmlToPdf(html, { header: pdfHeaderTemplate(masked, options.lang), footer: pdfFooterTemplate(masked, recordDigest(masked), options.lang) }, options)
  await writeFile(outFile, finishPdf(pdf, masked, options.lang))
  return { chromium }
}

/** Prints a yield summary page to a sealed A4 PDF (header with title and range, footer with page numbers); returns the Chromium used. */
export async function writeYieldPdf(summary: YieldSummary, outFile: string, options: PdfOptions & { station?: string } = {}): Promise<{ chromium: string }> {
  const lang = options.lang === 'zh-CN' ? 'zh-CN' : 'en'
  const html = renderYieldHtml(summary, { lang, station: options.station })
  const { pdf, chromium } = await printHtmlToPdf(html, { header: yieldHeaderTemplate(summary, lang), footer: pageFooterTemplate(lang) }, options)
  await writeFile(outFile, sealPdf(pdf))
  return { chromium }
}

/** Reads a PDF and says whether its seal trailer matches its bytes; null when it has no seal. */
export async function checkPdfSeal(file: string): Promise<{ found: string; expected: string } | null> {
  const bytes = await readFile(file)
  return checkPdfSealBytes(bytes)
}

/** Seal check on PDF bytes already read. */
export function checkPdfSealBytes(bytes: Buffer): { found: string; expected: string } | null {
  const tail = bytes.subarray(Math.max(0, bytes.length - 200)).toString('latin1')
  const match = PDF_SEAL_LINE.exec(tail)
  if (!match) return null
  const trailerLength = Buffer.byteLength(match[0], 'latin1')
  const body = bytes.subarray(0, bytes.length - trailerLength)
  return { found: match[1], expected: sha256Hex(body) }
}
