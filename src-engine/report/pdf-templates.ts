import type { RunRecord } from '@shared/record'
import { formatTime } from './format'
import { labels, verdictText, type ReportLang } from './i18n'
import { escapeMarkup as esc } from './markup'
import { maskRecord } from '../secrets/mask'
import type { YieldSummary } from './yield'

const BOX = 'font-family:\'Noto Sans\',\'DejaVu Sans\',\'Noto Sans CJK SC\',sans-serif;font-size:8px;color:#5b6675;width:100%;padding:0 12mm;display:flex;justify-content:space-between;'

/** Chromium/Electron PDF header template: unit serial, verdict and run date; same text in `page.pdf` and `printToPDF`. */
export function pdfHeaderTemplate(record: RunRecord, lang: ReportLang = 'en'): string {
  const r = maskRecord(record)
  const L = labels(lang)
  return `<div style="${BOX}"><span>${esc(L.reportTitle)} · ${esc(L.serial)} ${esc(r.unit?.serial ?? '')} · ${esc(verdictText(r.verdict, lang))}</span><span>${esc(formatTime(r.startedAt))}</span></div>`
}

function pageNumbers(lang: ReportLang): string {
  const L = labels(lang)
  return lang === 'zh-CN' ? '第 <span class="pageNumber"></span> 页，共 <span class="totalPages"></span> 页' : `${esc(L.page)} <span class="pageNumber"></span> ${esc(L.of)} <span class="totalPages"></span>`
}

/** Chromium/Electron PDF footer template: record digest and `Page N of M` (Chromium fills the page classes). */
export function pdfFooterTemplate(_record: RunRecord, digest: string, lang: ReportLang = 'en'): string {
  return `<div style="${BOX}"><span>SHA-256 ${esc(digest)}</span><span>${pageNumbers(lang)}</span></div>`
}

/** PDF footer template with page numbers only (yield summary). */
export function pageFooterTemplate(lang: ReportLang = 'en'): string {
  return `<div style="${BOX}"><span></span><span>${pageNumbers(lang)}</span></div>`
}

/** PDF header template of a yield summary: title and the date range. */
export function yieldHeaderTemplate(summary: YieldSummary, lang: ReportLang = 'en'): string {
  const L = labels(lang)
  const range = summary.from || summary.to ? `${formatTime(summary.from)} — ${formatTime(summary.to)}` : L.allRuns
  return `<div style="${BOX}"><span>${esc(L.yieldTitle)}</span><span>${esc(range)}</span></div>`
}

/** Margins that leave room for the header and footer templates. */
export const PDF_MARGINS = { top: '18mm', bottom: '16mm', left: '12mm', right: '12mm' } as const
