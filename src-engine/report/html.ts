import { isSimulated, type Measurement, type RunRecord, type StepAttempt, type StepRecord, type TranscriptEntry } from '@shared/record'
import { canonicalJson, recordDigest } from './canonical'
import { formatOffset, formatTime, isKernelFault, isKernelLine, showControls, spanMs } from './format'
import { formatDuration, labels, reportT, statusText, stepTitle, verdictText, type ReportLang } from './i18n'
import { measurementText, reasonText, remedyText } from '@shared/i18n/render'
import { escapeMarkup as esc, stripAnsi } from './markup'
import { maskRecord } from '../secrets/mask'
import { applySeal, SEAL_PLACEHOLDER } from './seal'
import { REPORT_CSS } from './style'

/** Options of the HTML run report. */
export interface HtmlOptions {
  lang?: ReportLang
  /** Render the transcript expanded (for printing); collapsed by default. */
  transcriptOpen?: boolean
  /** Most transcript lines to show: the first fifth and the rest from the end, with the number left out stated. */
  transcriptLimit?: number
}

/** Where an HTML report states the options it was rendered with (`lang open limit`), so verify can render its embedded record again and compare. */
export const HTML_RENDER_SLOT = /<meta name="k230-render" content="(en|zh-CN) (open|closed) (none|\d{1,7})">/

/** The render options a page states in HTML_RENDER_SLOT; undefined when the slot is missing. */
export function statedRenderOptions(html: string): HtmlOptions | undefined {
  const m = HTML_RENDER_SLOT.exec(html)
  if (!m) return undefined
  return { lang: m[1] as ReportLang, transcriptOpen: m[2] === 'open', ...(m[3] === 'none' ? {} : { transcriptLimit: Number(m[3]) }) }
}

/** Where the seal of an HTML report sits. */
export const HTML_SEAL_SLOT = /<meta name="k230-report-seal" content="([^"]*)">/
/** Where the record digest of an HTML report sits. */
export const HTML_DIGEST_SLOT = /<meta name="k230-record-digest" content="([^"]*)">/
/** Where the embedded canonical record of an HTML report sits. */
export const HTML_RECORD_SLOT = /<script type="application\/json" id="k230-record">([\s\S]*?)<\/script>/

const ICONS: Record<string, string> = {
  pass: '<path d="M4 8.5l2.6 2.6L12 5.6" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>',
  fail: '<path d="M5 5l6 6M11 5l-6 6" stroke="#fff" stroke-width="2" stroke-linecap="round"/>',
  error: '<path d="M8 4v5" stroke="#fff" stroke-width="2" stroke-linecap="round"/><circle cx="8" cy="11.6" r="1.2" fill="#fff"/>',
  aborted: '<rect x="5" y="5" width="6" height="6" fill="#fff"/>',
  skipped: '<path d="M4.5 8h7" stroke="#fff" stroke-width="2" stroke-linecap="round"/>',
}

/** Inline SVG mark plus word for a verdict; colour is never the only signal. */
export function verdictMark(verdict: string, lang: ReportLang): string {
  const icon = ICONS[verdict] ?? ICONS.skipped
  const cls = `m-${esc(verdict)}`
  return `<span class="mark ${cls}"><svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="8" fill="currentColor"/>${icon}</svg>${esc(verdictText(verdict, lang))}</span>`
}

function lastAttempt(step: StepRecord): StepAttempt | undefined {
  return step.attempts[step.attempts.length - 1]
}

function stepDuration(step: StepRecord): number {
  return step.attempts.reduce((sum, a) => sum + (Number.isFinite(a.durationMs) ? a.durationMs : 0), 0)
}

function kv(rows: Array<[string, string | undefined]>): string {
  const body = rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('')
  return `<table class="kv"><tbody>${body}</tbody></table>`
}

function identitySection(r: RunRecord, lang: ReportLang): string {
  const L = labels(lang)
  const u = r.unit ?? { serial: '' }
  const s = r.station ?? { id: '', appVersion: '', port: '', baud: 0 }
  const unitRows: Array<[string, string | undefined]> = [
    [L.serial, u.serial],
    [L.imei, u.imei],
    [L.iccid, u.iccid],
    [L.imsi, u.imsi],
    [L.operator, u.operator],
    [L.modemModel, u.modemModel],
    [L.modemFirmware, u.modemFirmware],
    [L.kernel, u.kernel],
  ]
  const runRows: Array<[string, string | undefined]> = [
    [L.station, s.id],
    [L.stationOperator, s.operator],
    [L.port, s.port ? `${s.port} @ ${s.baud}` : undefined],
    [L.appVersion, s.gitSha ? `${s.appVersion} (${s.gitSha})` : s.appVersion],
    [L.profile, r.profile?.name],
    [L.profileHash, r.profile?.hash],
    [L.runId, r.id],
    [L.status, statusText(r.status, lang)],
  ]
  return `<div class="grid"><div><h3>${esc(L.unit)}</h3>${kv(unitRows)}</div><div><h3>${esc(L.station)}</h3>${kv(runRows)}</div></div>`
}

function checklistSection(r: RunRecord, lang: ReportLang): string {
  const L = labels(lang)
  const T = reportT(lang)
  const rows = r.steps
    .map((step, i) => {
      const last = lastAttempt(step)
      const said = last ? reasonText(T, last) : ''
      const reason = said ? `<div class="reason">${esc(said)}</div>` : ''
      return `<tr class="row-${esc(step.verdict)}"><td class="num">${i + 1}</td><td>${esc(stepTitle(step, lang))} <span class="id mono">${esc(step.id)}</span>${reason}</td><td>${verdictMark(step.verdict, lang)}</td><td class="num">${step.attempts.length}</td><td class="num">${esc(formatDuration(stepDuration(step)))}</td></tr>`
    })
    .join('')
  return `<h2>${esc(L.checklist)}</h2><table class="checklist"><thead><tr><th class="num">#</th><th>${esc(L.step)}</th><th>${esc(L.result)}</th><th class="num">${esc(L.attempts)}</th><th class="num">${esc(L.time)}</th></tr></thead><tbody>${rows}</tbody></table>`
}

function measurementRows(step: StepRecord, measurements: Measurement[], lang: ReportLang): string {
  if (!measurements.length) return ''
  const group = `<tr class="group"><th colspan="4">${esc(stepTitle(step, lang))} <span class="id mono">${esc(step.id)}</span></th></tr>`
  const T = reportT(lang)
  const rows = measurements
    .map((m) => {
      const numeric = typeof m.value === 'number'
      const shown = measurementText(T, m)
      return `<tr class="row-${m.outcome === 'fail' ? 'fail' : 'ok'}"><td>${esc(shown.label)}</td><td class="val mono${numeric ? ' num' : ''}">${esc(shown.value)}</td><td>${esc(shown.limits)}</td><td>${verdictMark(m.outcome, lang)}</td></tr>`
    })
    .join('')
  return group + rows
}

function measurementsSection(r: RunRecord, lang: ReportLang): string {
  const L = labels(lang)
  const rows = r.steps.map((s) => measurementRows(s, lastAttempt(s)?.measurements ?? [], lang)).join('')
  const body = rows
    ? `<table class="measurements"><colgroup><col style="width:36%"><col style="width:30%"><col style="width:20%"><col style="width:14%"></colgroup><thead><tr><th>${esc(L.measurement)}</th><th class="num">${esc(L.value)}</th><th>${esc(L.limits)}</th><th>${esc(L.result)}</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p class="empty">${esc(L.noMeasurements)}</p>`
  return `<h2>${esc(L.measurements)}</h2>${body}`
}

function remedyBlock(step: StepRecord, attempt: StepAttempt, lang: ReportLang, earlier: boolean): string {
  const L = labels(lang)
  const T = reportT(lang)
  const rows: string[] = []
  const said = reasonText(T, attempt)
  if (said) rows.push(`<dt>${esc(L.reason)}</dt><dd>${esc(said)}</dd>`)
  if (attempt.error) rows.push(`<dt>${esc(L.error)}</dt><dd><code>${esc(attempt.error.code)}</code> ${esc(attempt.error.message)}</dd>`)
  if (attempt.remediation) {
    const remedy = remedyText(T, attempt.remediation)
    rows.push(`<dt>${esc(L.code)}</dt><dd><code>${esc(remedy.code)}</code></dd>`)
    rows.push(`<dt>${esc(L.cause)}</dt><dd>${esc(remedy.cause)}</dd>`)
    if (remedy.physical) rows.push(`<dt>${esc(L.physical)}</dt><dd>${esc(remedy.physical)}</dd>`)
    rows.push(`<dt>${esc(remedy.physical ? L.software : L.fix)}</dt><dd>${esc(remedy.software)}</dd>`)
    if (remedy.reference) rows.push(`<dt>${esc(L.reference)}</dt><dd><a href="${esc(remedy.reference.href)}">${esc(remedy.reference.text)}</a></dd>`)
  }
  const excerpt = attempt.evidence?.excerpt ? `<pre class="excerpt">${esc(showControls(stripAnsi(attempt.evidence.excerpt)))}</pre>` : ''
  const heading = `${esc(stepTitle(step, lang))} <span class="id mono">${esc(step.id)}</span> ${verdictMark(attempt.verdict, lang)}${earlier ? ` <span class="reason">${esc(L.attemptHistory)} #${attempt.attempt}</span>` : ''}`
  return `<div class="remedy r-${esc(attempt.verdict)}"><strong>${heading}</strong><dl>${rows.join('')}</dl>${excerpt}</div>`
}

function remediationSection(r: RunRecord, lang: ReportLang): string {
  const L = labels(lang)
  const blocks: string[] = []
  for (const step of r.steps) {
    step.attempts.forEach((attempt, i) => {
      const isLast = i === step.attempts.length - 1
      if (attempt.verdict === 'fail' || attempt.verdict === 'error' || attempt.verdict === 'aborted') blocks.push(remedyBlock(step, attempt, lang, !isLast))
    })
  }
  return `<h2>${esc(L.remediation)}</h2>${blocks.length ? blocks.join('') : `<p class="empty">${esc(L.noFailures)}</p>`}`
}

function timingsSection(r: RunRecord, lang: ReportLang): string {
  const L = labels(lang)
  const total = spanMs(r.startedAt, r.endedAt)
  const longest = Math.max(1, ...r.steps.map(stepDuration))
  const rows = r.steps
    .map((s) => {
      const ms = stepDuration(s)
      const width = Math.max(0.5, (ms / longest) * 100).toFixed(1)
      const offset = spanMs(r.startedAt, s.attempts[0]?.startedAt)
      return `<tr><td>${esc(stepTitle(s, lang))}</td><td class="num mono">${offset === undefined ? '—' : esc(formatOffset(offset))} s</td><td class="num">${esc(formatDuration(ms))}</td><td style="width:32%"><div class="bar b-${esc(s.verdict)}" style="width:${width}%"></div></td></tr>`
    })
    .join('')
  const head = kv([
    [L.started, formatTime(r.startedAt)],
    [L.ended, formatTime(r.endedAt)],
    [L.duration, formatDuration(total)],
  ])
  return `<h2>${esc(L.timings)}</h2>${head}<table><thead><tr><th>${esc(L.step)}</th><th class="num">${esc(L.offset)}</th><th class="num">${esc(L.duration)}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
}

function transcriptLine(e: TranscriptEntry, lang: ReportLang): string {
  const text = showControls(stripAnsi(String(e.text ?? '')))
  const kernel = e.dir === 'kmsg' || isKernelLine(text)
  const fault = kernel && isKernelFault(text)
  const cls = fault ? 'l k kf' : kernel ? 'l k' : e.dir === 'note' ? 'l n' : e.dir === 'tx' ? 'l x' : 'l'
  const dir = kernel ? 'K' : e.dir === 'tx' ? '&gt;' : e.dir === 'rx' ? '&lt;' : '#'
  const title = kernel ? ` title="${esc(labels(lang).kernelMark)}"` : ''
  return `<span class="${cls}"${title}><span class="t">${esc(formatOffset(e.t))}</span> <span class="d">${dir}</span> ${esc(text)}</span>`
}

function transcriptSection(r: RunRecord, lang: ReportLang, open: boolean, limit: number | undefined): string {
  const L = labels(lang)
  const entries = Array.isArray(r.transcript) ? r.transcript : []
  const kernel = entries.filter((e) => e.dir === 'kmsg' || isKernelLine(String(e.text ?? ''))).length
  let lines: string
  if (limit !== undefined && limit >= 2 && entries.length > limit) {
    const head = Math.max(1, Math.floor(limit / 5))
    const tail = limit - head
    const omitted = entries.length - head - tail
    lines = entries.slice(0, head).map((e) => transcriptLine(e, lang)).join('') + `<span class="l n omitted">… ${omitted} ${esc(L.omittedLines)} …</span>` + entries.slice(-tail).map((e) => transcriptLine(e, lang)).join('')
  } else lines = entries.map((e) => transcriptLine(e, lang)).join('')
  return `<section class="transcript"><h2>${esc(L.transcript)}</h2><p class="sub">${esc(L.legendKernel)}</p><details${open ? ' open' : ''}><summary>${esc(L.transcript)}: ${entries.length} ${esc(L.transcriptLines)}, ${kernel} ${esc(L.kernelLines)}</summary><pre class="tx">${lines}</pre></details></section>`
}

function embeddedRecord(record: RunRecord): string {
  return canonicalJson(record).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
}

/** Self-contained HTML run report (inline CSS/SVG, no scripts run) of a record; masks secrets, embeds the record and its digest, and seals the page. Pure. */
export function renderHtml(record: RunRecord, options: HtmlOptions = {}): string {
  const lang: ReportLang = options.lang === 'zh-CN' ? 'zh-CN' : 'en'
  const L = labels(lang)
  const limit = options.transcriptLimit === undefined || !Number.isFinite(options.transcriptLimit) ? undefined : Math.max(0, Math.min(9_999_999, Math.floor(options.transcriptLimit)))
  const masked = maskRecord({ ...record, steps: Array.isArray(record.steps) ? record.steps : [], transcript: Array.isArray(record.transcript) ? record.transcript : [] })
  const digest = recordDigest(masked)
  const r: RunRecord = { ...masked, digest }
  const serial = r.unit?.serial || '—'
  const title = `${L.reportTitle} · ${serial} · ${verdictText(r.verdict, lang)}${isSimulated(r) ? ` · ${L.simulated}` : ''}`
  const head = [
    '<!DOCTYPE html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="k230-bringup report/1">',
    `<meta name="k230-record-digest" content="${digest}">`,
    `<meta name="k230-render" content="${lang} ${options.transcriptOpen === true ? 'open' : 'closed'} ${limit === undefined ? 'none' : limit}">`,
    `<meta name="k230-report-seal" content="${SEAL_PLACEHOLDER}">`,
    `<title>${esc(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
  ].join('\n')
  const banner = `<header class="banner v-${esc(r.verdict)}"><div><h1>${esc(L.reportTitle)}</h1><div class="sub">${esc(L.serial)} <strong class="mono">${esc(serial)}</strong> · ${esc(L.station)} ${esc(r.station?.id ?? '')} · ${esc(formatTime(r.startedAt))}</div></div><div><div class="sub">${esc(L.verdict)}</div><span class="badge v-${esc(r.verdict)}">${esc(verdictText(r.verdict, lang))}</span>${isSimulated(r) ? `<div class="badge simulated" data-simulated="true">${esc(L.simulated)}</div>` : ''}</div></header>`
  const footer = `<footer><div>${esc(L.generated)} <span class="mono">${esc(r.id)}</span> · ${esc(formatTime(r.endedAt ?? r.startedAt))}</div><div>${esc(L.digest)}: <span class="mono" id="digest">${digest}</span></div>${r.signature ? `<div>${esc(L.signedBy)}: <span id="signed-by">${esc(r.signature.station)}</span> <span class="mono">(${esc(r.signature.keyId)})</span></div>` : ''}</footer>`
  const body = [
    '<body>',
    banner,
    identitySection(r, lang),
    checklistSection(r, lang),
    measurementsSection(r, lang),
    remediationSection(r, lang),
    timingsSection(r, lang),
    transcriptSection(r, lang, options.transcriptOpen === true, limit),
    footer,
    `<script type="application/json" id="k230-record">${embeddedRecord(r)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')
  return applySeal(`${head}\n${body}`, HTML_SEAL_SLOT)
}
