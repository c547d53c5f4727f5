import { labels, reportT, stepTitle, type ReportLang } from './i18n'
import { causeTitle } from '@shared/i18n/render'
import { escapeMarkup as esc } from './markup'
import { applySeal, SEAL_PLACEHOLDER } from './seal'
import { REPORT_CSS } from './style'
import type { YieldSummary } from './yield'
import { formatTime } from './format'

function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)} %`
}

function rateColour(rate: number | null): string {
  if (rate === null) return '#9aa3ae'
  return rate >= 0.95 ? '#1e7b3c' : rate >= 0.8 ? '#9a5b00' : '#b3261e'
}

function clip(text: string, max = 38): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text
}

/** Inline SVG horizontal bar chart of pass rate per step (0-100 %), one bar per step, labelled. Pure. */
export function passRateChart(summary: YieldSummary, lang: ReportLang): string {
  const rowH = 22
  const labelW = 250
  const barW = 420
  const height = summary.steps.length * rowH + 30
  const rows = summary.steps
    .map((s, i) => {
      const y = 20 + i * rowH
      const w = s.passRate === null ? 0 : Math.max(1, s.passRate * barW)
      return `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end" font-size="11"><title>${esc(stepTitle(s, lang))}</title>${esc(clip(stepTitle(s, lang)))}</text><rect x="${labelW}" y="${y + 3}" width="${barW}" height="14" fill="#eef0f3"/><rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="14" fill="${rateColour(s.passRate)}"/><text x="${labelW + barW + 6}" y="${y + 14}" font-size="11">${esc(percent(s.passRate))} (${s.passed}/${s.tested})</text>`
    })
    .join('')
  const ticks = [0, 25, 50, 75, 100]
    .map((p) => `<line x1="${labelW + (p / 100) * barW}" y1="16" x2="${labelW + (p / 100) * barW}" y2="${height - 8}" stroke="#d5dbe3" stroke-width="1"/><text x="${labelW + (p / 100) * barW}" y="12" text-anchor="middle" font-size="9" fill="#5b6675">${p}%</text>`)
    .join('')
  return `<svg class="chart" role="img" aria-label="${esc(labels(lang).passRateByStep)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${labelW + barW + 110} ${height}" width="100%" font-family="Noto Sans, DejaVu Sans, Noto Sans CJK SC, sans-serif">${ticks}${rows}</svg>`
}

/** Inline SVG bar chart of the top failure causes by count. Pure. */
export function causeChart(summary: YieldSummary, lang: ReportLang): string {
  const rowH = 22
  const labelW = 250
  const barW = 420
  const max = Math.max(1, ...summary.causes.map((c) => c.count))
  const rows = summary.causes
    .map((c, i) => {
      const y = 6 + i * rowH
      return `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end" font-size="11" font-family="DejaVu Sans Mono, monospace"><title>${esc(c.code)}</title>${esc(clip(c.code, 34))}</text><rect x="${labelW}" y="${y + 3}" width="${((c.count / max) * barW).toFixed(1)}" height="14" fill="#b3261e"/><text x="${labelW + (c.count / max) * barW + 6}" y="${y + 14}" font-size="11">${c.count} (${esc(percent(c.share))})</text>`
    })
    .join('')
  return `<svg class="chart" role="img" aria-label="${esc(labels(lang).topCauses)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${labelW + barW + 110} ${summary.causes.length * rowH + 12}" width="100%" font-family="Noto Sans, DejaVu Sans, Noto Sans CJK SC, sans-serif">${rows}</svg>`
}

/** Self-contained, sealed HTML yield summary page: figures, pass rate per step (table and SVG chart), top failure causes. Pure. */
export function renderYieldHtml(summary: YieldSummary, options: { lang?: ReportLang; station?: string } = {}): string {
  const lang: ReportLang = options.lang === 'zh-CN' ? 'zh-CN' : 'en'
  const L = labels(lang)
  const span = summary.firstRun ? `${formatTime(summary.firstRun)} — ${formatTime(summary.lastRun)}` : '—'
  const range = summary.from || summary.to ? `${summary.from ? formatTime(summary.from) : '…'} — ${summary.to ? formatTime(summary.to) : '…'}` : L.allRuns
  const figures = `<table class="kv"><tbody><tr><th>${esc(L.range)}</th><td>${esc(range)}</td></tr><tr><th>${esc(L.runsSpan)}</th><td>${esc(span)}</td></tr><tr><th>${esc(L.runs)}</th><td>${summary.runs}</td></tr><tr><th>${esc(L.units)}</th><td>${summary.units}</td></tr><tr><th>${esc(L.firstPassYield)}</th><td>${esc(percent(summary.firstPassYield))}</td></tr><tr><th>${esc(L.finalYield)}</th><td>${esc(percent(summary.finalYield))}</td></tr></tbody></table>`
  const stepRows = summary.steps
    .map((s) => `<tr><td>${esc(stepTitle(s, lang))} <span class="id mono">${esc(s.id)}</span></td><td class="num">${s.tested}</td><td class="num">${s.passed}</td><td class="num">${s.skipped}</td><td class="num">${esc(percent(s.passRate))}</td></tr>`)
    .join('')
  const t = reportT(lang)
  const causeRows = summary.causes
    .map((c) => `<tr><td>${esc(causeTitle(t, c.code))} <span class="id mono">${esc(c.code)}</span></td><td>${esc(c.steps.map((id) => stepTitle({ id, title: id }, lang)).join(', '))}</td><td class="num">${c.count}</td><td class="num">${esc(percent(c.share))}</td></tr>`)
    .join('')
  const body = summary.runs
    ? `<h2>${esc(L.passRateByStep)}</h2>${passRateChart(summary, lang)}<table><thead><tr><th>${esc(L.step)}</th><th class="num">${esc(L.tested)}</th><th class="num">${esc(L.passed)}</th><th class="num">${esc(L.skippedCount)}</th><th class="num">${esc(L.passRate)}</th></tr></thead><tbody>${stepRows}</tbody></table>` +
      `<h2>${esc(L.topCauses)}</h2>${summary.causes.length ? causeChart(summary, lang) + `<table><thead><tr><th>${esc(L.code)}</th><th>${esc(L.step)}</th><th class="num">${esc(L.count)}</th><th class="num">${esc(L.share)}</th></tr></thead><tbody>${causeRows}</tbody></table>` : `<p class="empty">${esc(L.noFailures)}</p>`}`
    : `<p class="empty">${esc(L.noRuns)}</p>`
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="generator" content="k230-bringup yield/1">',
    `<meta name="k230-report-seal" content="${SEAL_PLACEHOLDER}">`,
    `<title>${esc(L.yieldTitle)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    `<header class="banner"><div><h1>${esc(L.yieldTitle)}</h1><div class="sub">${esc(options.station ? `${L.station} ${options.station} · ` : '')}${esc(range)}</div></div></header>`,
    `<div style="margin-top:14px">${figures}</div>`,
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n')
  return applySeal(html, /<meta name="k230-report-seal" content="([^"]*)">/)
}
