/** What `run` prints: a line per step (a progress bar on a terminal) and the summary table. */
import { isSimulated, type RunRecord, type StepAttempt } from '@shared/record'
import type { ChecklistEvent } from '@engine/checklist/index'

type Out = NodeJS.WritableStream & { isTTY?: boolean; columns?: number }

const LABEL: Record<string, string> = { pass: 'PASS', fail: 'FAIL', skipped: 'SKIP', error: 'ERROR', aborted: 'ABORT' }

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`
}

function bar(done: number, total: number, width = 20): string {
  const filled = total ? Math.round((done / total) * width) : 0
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
}

/** Returns the listener that prints progress to `out`. */
export function progressPrinter(out: Out): (event: ChecklistEvent) => void {
  const tty = out.isTTY === true
  let barShown = false
  const clearBar = () => {
    if (barShown) out.write('\r\x1b[K')
    barShown = false
  }
  return (event) => {
    if (event.type === 'step-start' && tty) {
      clearBar()
      const attempt = event.attempt > 1 ? ` (attempt ${event.attempt})` : ''
      out.write(`${bar(event.index, event.total)} ${event.index + 1}/${event.total} ${event.id}: ${event.title}${attempt}...`.slice(0, (out.columns ?? 100) - 1))
      barShown = true
    } else if (event.type === 'step-end') {
      clearBar()
      out.write(stepLine(event.id, event.attempt, event.index, event.total))
    } else if (event.type === 'run-end') clearBar()
  }
}

/** One result line (plus cause and fix for a failure). */
export function stepLine(id: string, attempt: StepAttempt, index: number, total: number): string {
  const head = `${String(index + 1).padStart(String(total).length)}/${total} ${(LABEL[attempt.verdict] ?? attempt.verdict).padEnd(5)} ${id.padEnd(11)} ${seconds(attempt.durationMs).padStart(6)}`
  const lines = [attempt.reason ? `${head}  ${attempt.reason}` : head]
  if (attempt.remediation && attempt.verdict !== 'pass') {
    lines.push(`        cause: ${attempt.remediation.cause}`)
    lines.push(`        fix:   ${attempt.remediation.fix}`)
  }
  return lines.join('\n') + '\n'
}

/** Planned steps that ran (an attempt that was not a skip). */
export function ranCount(record: RunRecord): number {
  return record.steps.filter((s) => s.attempts.some((a) => a.verdict !== 'skipped')).length
}

/** The summary table and the overall verdict. */
export function summaryTable(record: RunRecord, recordPath?: string): string {
  const rows = record.steps.map((s) => {
    const last = s.attempts[s.attempts.length - 1]
    const note = !last ? '' : last.verdict === 'pass' ? '' : last.remediation ? last.remediation.code : (last.reason ?? '')
    return [s.id, LABEL[s.verdict] ?? s.verdict, String(s.attempts.length), last ? seconds(last.durationMs) : '', note]
  })
  const head = ['step', 'verdict', 'tries', 'time', 'remediation / reason']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()
  const unit = [record.unit.serial && `unit ${record.unit.serial}`, record.unit.imei && `IMEI ${record.unit.imei}`, record.unit.iccid && `ICCID ${record.unit.iccid}`, record.unit.operator].filter(Boolean).join(', ')
  return [
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `Overall: ${record.verdict.toUpperCase()} (${record.status})${isSimulated(record) ? ' SIMULATED: virtual board, not a real unit' : ''}${unit ? `  ${unit}` : ''}`,
    `Ran ${ranCount(record)} of ${record.steps.length} planned steps`,
    ...(recordPath ? [`Record: ${recordPath}`] : []),
    '',
  ].join('\n')
}
