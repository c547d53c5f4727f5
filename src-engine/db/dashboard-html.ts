import type { DashboardData, ParetoRow, YieldRow } from './dashboard'
import { dashboardLabels, type DashboardLabels, type DashboardLang } from './dashboard-i18n'
import { shiftSpans } from './line-clock'

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
}

function pct(part: number, whole: number): string {
  return whole ? `${((part / whole) * 100).toFixed(1)}%` : '—'
}

function yieldChart(id: string, rows: YieldRow[], l: DashboardLabels): string {
  if (!rows.length) return `<p class="empty">${esc(l.noData)}</p>`
  const barH = 18
  const gap = 10
  const left = 150
  const width = 420
  const h = rows.length * (2 * barH + gap) + 24
  const bars = rows
    .map((r, i) => {
      const y = i * (2 * barH + gap)
      const fp = r.units ? r.firstPass / r.units : 0
      const fy = r.units ? r.finalPass / r.units : 0
      return `<g data-testid="${id}-row" data-key="${esc(r.key)}" data-units="${r.units}" data-first-pass="${r.firstPass}" data-final-pass="${r.finalPass}">
<text x="0" y="${y + barH + 4}" class="label">${esc(r.key)} (${r.units} ${esc(l.units)})</text>
<rect x="${left}" y="${y}" width="${(fp * width).toFixed(1)}" height="${barH - 2}" class="fp"/><text x="${left + fp * width + 4}" y="${y + barH - 5}" class="val" data-testid="${id}-fp">${pct(r.firstPass, r.units)}</text>
<rect x="${left}" y="${y + barH}" width="${(fy * width).toFixed(1)}" height="${barH - 2}" class="fy"/><text x="${left + fy * width + 4}" y="${y + 2 * barH - 5}" class="val" data-testid="${id}-fy">${pct(r.finalPass, r.units)}</text>
</g>`
    })
    .join('\n')
  return `<svg role="img" width="${left + width + 70}" height="${h}" viewBox="0 0 ${left + width + 70} ${h}">${bars}
<g transform="translate(${left},${h - 10})"><rect width="10" height="10" y="-9" class="fp"/><text x="14" class="label">${esc(l.firstPass)}</text><rect x="140" width="10" height="10" y="-9" class="fy"/><text x="154" class="label">${esc(l.finalYield)}</text></g></svg>`
}

function paretoChart(id: string, rows: ParetoRow[], l: DashboardLabels): string {
  if (!rows.length) return `<p class="empty">${esc(l.noData)}</p>`
  const max = Math.max(...rows.map((r) => r.count))
  const total = rows.reduce((s, r) => s + r.count, 0)
  const colW = 46
  const h = 200
  const w = rows.length * colW + 20
  let cum = 0
  const points: string[] = []
  const cols = rows
    .map((r, i) => {
      const bh = (r.count / max) * (h - 40)
      cum += r.count
      points.push(`${i * colW + colW / 2},${(h - 20 - (cum / total) * (h - 40)).toFixed(1)}`)
      return `<g data-testid="${id}-bar" data-key="${esc(r.key)}" data-count="${r.count}"><rect x="${i * colW + 4}" y="${(h - 20 - bh).toFixed(1)}" width="${colW - 8}" height="${bh.toFixed(1)}" class="bar"><title>${esc(r.key)}: ${r.count}</title></rect>
<text x="${i * colW + colW / 2}" y="${(h - 24 - bh).toFixed(1)}" text-anchor="middle" class="val">${r.count}</text>
<text x="${i * colW + colW / 2}" y="${h - 6}" text-anchor="middle" class="tick">${esc(r.key.length > 8 ? r.key.slice(0, 7) + '…' : r.key)}</text></g>`
    })
    .join('\n')
  return `<svg role="img" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${cols}<polyline points="${points.join(' ')}" class="cum"/></svg>
<ol class="keys">${rows.map((r) => `<li>${esc(r.key)} — ${r.count}</li>`).join('')}</ol>`
}

function durationChart(data: DashboardData, l: DashboardLabels): string {
  const rows = data.durations
  if (!rows.length) return `<p class="empty">${esc(l.noData)}</p>`
  const max = Math.max(...rows.map((r) => r.p99), 1)
  const left = 110
  const width = 440
  const rowH = 22
  const h = rows.length * rowH + 10
  const x = (ms: number) => left + (ms / max) * width
  const lines = rows
    .map((r, i) => {
      const y = i * rowH + 12
      return `<g data-testid="duration-row" data-step="${esc(r.step)}" data-p50="${r.p50.toFixed(0)}" data-p90="${r.p90.toFixed(0)}" data-p99="${r.p99.toFixed(0)}">
<text x="0" y="${y + 4}" class="label">${esc(r.step)}</text><line x1="${x(r.p50).toFixed(1)}" x2="${x(r.p99).toFixed(1)}" y1="${y}" y2="${y}" class="whisker"/>
<rect x="${x(r.p50).toFixed(1)}" y="${y - 6}" width="${Math.max(1, x(r.p90) - x(r.p50)).toFixed(1)}" height="12" class="box"/><circle cx="${x(r.p50).toFixed(1)}" cy="${y}" r="3" class="median"/>
<text x="${left + width + 6}" y="${y + 4}" class="val">${(r.p50 / 1000).toFixed(1)} / ${(r.p90 / 1000).toFixed(1)} / ${(r.p99 / 1000).toFixed(1)} s</text></g>`
    })
    .join('\n')
  return `<svg role="img" width="${left + width + 150}" height="${h}" viewBox="0 0 ${left + width + 150} ${h}">${lines}</svg>`
}

function rateChart(data: DashboardData, l: DashboardLabels): string {
  const rows = data.rates
  if (!rows.length) return `<p class="empty">${esc(l.noData)}</p>`
  const max = Math.max(...rows.map((r) => r.perHour), 1)
  const left = 150
  const width = 400
  const h = rows.length * 24 + 4
  return `<svg role="img" width="${left + width + 80}" height="${h}" viewBox="0 0 ${left + width + 80} ${h}">${rows
    .map(
      (r, i) =>
        `<g data-testid="rate-row" data-station="${esc(r.station)}" data-per-hour="${r.perHour.toFixed(2)}"><text x="0" y="${i * 24 + 15}" class="label">${esc(r.station)}</text><rect x="${left}" y="${i * 24 + 2}" width="${((r.perHour / max) * width).toFixed(1)}" height="18" class="bar"/><text x="${left + (r.perHour / max) * width + 4}" y="${i * 24 + 15}" class="val">${r.perHour.toFixed(1)}</text></g>`,
    )
    .join('')}</svg>`
}

function historyTable(data: DashboardData, l: DashboardLabels): string {
  if (!data.search) return ''
  const runs = data.search.runs
  if (!runs.length) return `<section><h2>${esc(l.history)} ${esc(data.search.key)}</h2><p class="empty" data-testid="history-empty">${esc(l.noRuns)}</p></section>`
  return `<section><h2>${esc(l.history)} ${esc(data.search.key)}</h2><table data-testid="history"><thead><tr><th>${esc(l.started)}</th><th>${esc(l.station)}</th><th>${esc(l.serial)}</th><th>${esc(l.verdict)}</th><th>${esc(l.causes)}</th></tr></thead><tbody>${runs
    .map(
      (r) =>
        `<tr data-testid="history-row" data-run="${esc(r.id)}"><td>${esc(r.startedAt)}</td><td>${esc(r.station ?? '')}</td><td>${esc(r.serial)}</td><td class="v-${esc(r.verdict)}">${esc(r.verdict.toUpperCase())}${r.simulated ? ` <b>${esc(l.simulated)}</b>` : ''}</td><td>${esc(
          r.steps
            .filter((s) => s.cause)
            .map((s) => `${s.id}:${s.cause}`)
            .join(' ') || '-',
        )}</td></tr>`,
    )
    .join('')}</tbody></table></section>`
}

const STYLE = `body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:16px;color:#1d232a}h1{font-size:20px}h2{font-size:15px;margin:18px 0 6px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:12px}section{border:1px solid #d5dbe1;border-radius:6px;padding:8px 12px}
.fp{fill:#2f6fb3}.fy{fill:#47a06b}.bar{fill:#c4553a}.cum{fill:none;stroke:#1d232a;stroke-width:1.5}.label,.tick,.val{font-size:11px;fill:#1d232a}
.whisker{stroke:#6b7785;stroke-width:2}.box{fill:#9cc1e6}.median{fill:#1d232a}.empty{color:#6b7785}.keys{font-size:11px;columns:2}
table{border-collapse:collapse;font-size:12px}td,th{border-bottom:1px solid #e3e7eb;padding:3px 8px;text-align:left}.v-pass{color:#2b7a4b}.v-fail,.v-error{color:#b3261e}
form{display:flex;gap:8px;flex-wrap:wrap;align-items:center}.clock{font-size:11px;color:#6b7785;margin:0 0 4px}`

function clockNote(data: DashboardData, l: DashboardLabels): string {
  const spans = shiftSpans(data.clock).map((s) => `${s.name} ${s.start}–${s.end}`)
  return `<p class="clock" data-testid="shift-clock">${esc(l.shiftsIn)} ${esc(data.clock.timeZone)}: ${esc(spans.join(' · '))}</p>`
}

/** The whole dashboard page: SVG charts drawn here (no scripts, no CDN), words from the dashboard catalogue. Pure. */
export function renderDashboard(data: DashboardData, lang: DashboardLang, query: { q?: string } = {}): string {
  const l = dashboardLabels(lang)
  const other = lang === 'zh-CN' ? 'en' : 'zh-CN'
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}">`
  const link = `?lang=${other}&from=${encodeURIComponent(data.range.from)}&to=${encodeURIComponent(data.range.to)}${data.range.includeSimulated ? '&simulated=1' : ''}${query.q ? `&q=${encodeURIComponent(query.q)}` : ''}`
  return `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(l.title)}</title><style>${STYLE}</style></head><body>
<h1>${esc(l.title)} <a href="${esc(link)}" style="font-size:12px">${esc(l.language)}</a></h1>
<form method="get">${hidden('lang', lang)}<label>${esc(l.from)} <input name="from" value="${esc(data.range.from)}"></label><label>${esc(l.to)} <input name="to" value="${esc(data.range.to)}"></label>
<label><input type="checkbox" name="simulated" value="1"${data.range.includeSimulated ? ' checked' : ''}> ${esc(l.includeSimulated)}</label>
<label>${esc(l.search)} <input name="q" data-testid="search" value="${esc(query.q ?? '')}"></label><button type="submit">${esc(l.searchButton)}</button></form>
${historyTable(data, l)}
<div class="grid">
<section data-testid="yield-station"><h2>${esc(l.yieldByStation)}</h2>${yieldChart('station', data.byStation, l)}</section>
<section data-testid="yield-shift"><h2>${esc(l.yieldByShift)}</h2>${clockNote(data, l)}${yieldChart('shift', data.byShift, l)}</section>
<section data-testid="yield-hour"><h2>${esc(l.yieldByHour)}</h2><p class="clock" data-testid="hour-zone">${esc(l.hoursIn)} ${esc(data.clock.timeZone)}</p>${yieldChart('hour', data.byHour, l)}</section>
<section data-testid="pareto-steps"><h2>${esc(l.paretoSteps)}</h2>${paretoChart('pareto-step', data.paretoSteps, l)}</section>
<section data-testid="pareto-codes"><h2>${esc(l.paretoCodes)}</h2>${paretoChart('pareto-code', data.paretoCodes, l)}</section>
<section data-testid="durations"><h2>${esc(l.durations)}</h2>${durationChart(data, l)}</section>
<section data-testid="rates"><h2>${esc(l.rates)}</h2>${rateChart(data, l)}</section>
</div></body></html>`
}

/** The error page shown when the database cannot be read; the message is already masked. Pure. */
export function renderDashboardError(message: string, lang: DashboardLang): string {
  const l = dashboardLabels(lang)
  return `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(l.title)}</title></head><body><h1>${esc(l.error)}</h1><pre>${esc(message)}</pre></body></html>`
}
