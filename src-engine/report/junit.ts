import { isSimulated, type RunRecord, type StepAttempt, type StepRecord } from '@shared/record'
import { measurementText, reasonText, remedyText, stepTitle } from '@shared/i18n/render'
import { labels, reportT, type ReportLang } from './i18n'
import { escapeMarkup as esc, stripAnsi } from './markup'
import { sealedRecord } from './json'
import { applySeal, SEAL_PLACEHOLDER } from './seal'

/** Where the seal of a JUnit report sits. */
export const JUNIT_SEAL_SLOT = /<property name="k230\.report\.seal" value="([^"]*)"\/>/
/** Where the record digest of a JUnit report sits. */
export const JUNIT_DIGEST_SLOT = /<property name="k230\.record\.digest" value="([^"]*)"\/>/

function seconds(ms: number): string {
  return (Math.max(0, Number.isFinite(ms) ? ms : 0) / 1000).toFixed(3)
}

function stepMs(step: StepRecord): number {
  return step.attempts.reduce((sum, a) => sum + (Number.isFinite(a.durationMs) ? a.durationMs : 0), 0)
}

function property(name: string, value: unknown): string {
  return `<property name="${esc(name)}" value="${esc(value === undefined || value === null ? '' : value)}"/>`
}

function remedyDetail(last: StepAttempt | undefined, lang: ReportLang): string {
  if (!last?.remediation) return ''
  const L = labels(lang)
  const r = remedyText(reportT(lang), last.remediation)
  return [`${L.cause}: ${r.cause}`, `${L.fix}: ${r.fix}`, r.reference ? `${L.reference}: ${r.reference.text} (${r.reference.href})` : ''].filter(Boolean).join('\n')
}

function outcomeElement(step: StepRecord, last: StepAttempt | undefined, lang: ReportLang): string {
  const verdict = step.verdict
  const reason = last ? reasonText(reportT(lang), last) : ''
  if (verdict === 'fail') {
    const type = last?.remediation?.code ?? 'fail'
    const detail = remedyDetail(last, lang) || reason
    return `<failure message="${esc(reason || type)}" type="${esc(type)}">${esc(detail)}</failure>`
  }
  if (verdict === 'error' || verdict === 'aborted') {
    const type = last?.error?.code ?? verdict
    const message = last?.error?.message ?? (reason || verdict)
    const detail = [reason, remedyDetail(last, lang)].filter(Boolean).join('\n')
    return `<error message="${esc(message)}" type="${esc(type)}">${esc(detail)}</error>`
  }
  if (verdict === 'skipped') return `<skipped message="${esc(reason || 'skipped')}"/>`
  if (verdict === 'pending' || verdict === 'running') return `<skipped message="${esc(`not run (${verdict})`)}"/>`
  return ''
}

function testcase(step: StepRecord, serial: string, lang: ReportLang): string {
  const last = step.attempts[step.attempts.length - 1]
  const props = [property('k230.step.id', step.id), property('k230.step.verdict', step.verdict), property('k230.step.attempts', step.attempts.length)]
  if (step.needs?.length) props.push(property('k230.step.needs', step.needs.join(',')))
  for (const m of last?.measurements ?? []) {
    const shown = measurementText(reportT(lang), m)
    props.push(property(`measurement.${m.name}`, `${shown.value}${shown.limits ? ` [${shown.limits}]` : ''} ${m.outcome}`))
  }
  if (last?.remediation) props.push(property('k230.remediation.code', last.remediation.code))
  const excerpt = last?.evidence?.excerpt ? stripAnsi(last.evidence.excerpt) : ''
  const commands = last?.evidence?.commands?.length ? `$ ${last.evidence.commands.join('\n$ ')}\n` : ''
  const out = commands || excerpt ? `<system-out>${esc(commands + excerpt)}</system-out>` : ''
  const group = step.id.includes('.') ? step.id.split('.')[0] : 'base'
  return `    <testcase name="${esc(stepTitle(reportT(lang), step.id))}" classname="${esc(`k230.${serial || 'unit'}.${group}`)}" time="${seconds(stepMs(step))}">\n      <properties>${props.join('')}</properties>\n      ${outcomeElement(step, last, lang)}${out}\n    </testcase>`
}

/** JUnit XML of a run: one testcase per step (fail → failure, error/aborted → error, skipped → skipped), ids in properties, evidence in system-out; masked, digest embedded, sealed. Pure. */
export function renderJunit(record: RunRecord, lang: ReportLang = 'en'): string {
  const r = sealedRecord(record)
  const steps = Array.isArray(r.steps) ? r.steps : []
  const count = (pred: (s: StepRecord) => boolean) => steps.filter(pred).length
  const failures = count((s) => s.verdict === 'fail')
  const errors = count((s) => s.verdict === 'error' || s.verdict === 'aborted')
  const skipped = count((s) => s.verdict === 'skipped' || s.verdict === 'pending' || s.verdict === 'running')
  const time = seconds(steps.reduce((sum, s) => sum + stepMs(s), 0))
  const serial = r.unit?.serial ?? ''
  const props = [
    property('k230.record.id', r.id),
    property('k230.record.schemaVersion', r.schemaVersion),
    property('k230.unit.serial', serial),
    property('k230.unit.imei', r.unit?.imei),
    property('k230.unit.iccid', r.unit?.iccid),
    property('k230.unit.imsi', r.unit?.imsi),
    property('k230.unit.modemFirmware', r.unit?.modemFirmware),
    property('k230.station.id', r.station?.id),
    property('k230.station.operator', r.station?.operator),
    property('k230.app.version', r.station?.appVersion),
    property('k230.profile.name', r.profile?.name),
    property('k230.profile.hash', r.profile?.hash),
    property('k230.run.verdict', r.verdict),
    property('k230.run.status', r.status),
    property('k230.run.simulated', isSimulated(r) ? 'true' : 'false'),
    property('k230.run.endedAt', r.endedAt),
    property('k230.record.digest', r.digest),
    property('k230.report.seal', SEAL_PLACEHOLDER),
  ]
  const suiteName = `k230-bringup ${serial}${isSimulated(r) ? ' SIMULATED' : ''}`.trim()
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="k230-bringup" tests="${steps.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}">`,
    `  <testsuite name="${esc(suiteName)}" id="${esc(r.id)}" tests="${steps.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}" timestamp="${esc(r.startedAt)}" hostname="${esc(r.station?.id ?? '')}">`,
    `    <properties>\n      ${props.join('\n      ')}\n    </properties>`,
    ...steps.map((s) => testcase(s, serial, lang)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
  return applySeal(xml, JUNIT_SEAL_SLOT)
}
