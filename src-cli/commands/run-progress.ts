/** What `run` prints: a line per step (a progress bar on a terminal) and the summary table. */
import { isSimulated, type RunRecord, type StepAttempt } from '@shared/record'
import type { ChecklistEvent } from '@engine/checklist/index'
import { reasonText, remedyText, stepTitle } from '@shared/i18n/render'
import { translator, type Translate } from '@shared/i18n/translate'

type Out = NodeJS.WritableStream & { isTTY?: boolean; columns?: number }

const english = translator('en')

function label(t: Translate, verdict: string): string {
  const key = `cli.verdict.${verdict}`
  const text = t(key)
  return text === key ? verdict : text
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)))
}

/** Columns a string takes on a terminal: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let n = 0
  for (const ch of text) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1
  return n
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`
}

function bar(done: number, total: number, width = 20): string {
  const filled = total ? Math.round((done / total) * width) : 0
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
}

/** Returns the listener that prints progress to `out`. */
export function progressPrinter(out: Out, t: Translate = english): (event: ChecklistEvent) => void {
  const tty = out.isTTY === true
  let barShown = false
  const clearBar = () => {
    if (barShown) out.write('\r\x1b[K')
    barShown = false
  }
  return (event) => {
    if (event.type === 'step-start' && tty) {
      clearBar()
      const attempt = event.attempt > 1 ? t('cli.attempt', { n: event.attempt }) : ''
      out.write(`${bar(event.index, event.total)} ${event.index + 1}/${event.total} ${event.id}: ${stepTitle(t, event.id)}${attempt}...`.slice(0, (out.columns ?? 100) - 1))
      barShown = true
    } else if (event.type === 'step-end') {
      clearBar()
      out.write(stepLine(event.id, event.attempt, event.index, event.total, t))
    } else if (event.type === 'run-end') clearBar()
  }
}

/** One result line (plus cause and fix for a failure). */
export function stepLine(id: string, attempt: StepAttempt, index: number, total: number, t: Translate = english): string {
  const head = `${String(index + 1).padStart(String(total).length)}/${total} ${pad(label(t, attempt.verdict), 5)} ${id.padEnd(11)} ${seconds(attempt.durationMs).padStart(6)}`
  const said = reasonText(t, attempt)
  const lines = [said ? `${head}  ${said}` : head]
  if (attempt.remediation && attempt.verdict !== 'pass') {
    const r = remedyText(t, attempt.remediation)
    lines.push(`        ${t('cli.cause')}: ${r.cause}`)
    if (r.physical) lines.push(`        ${t('cli.physical')}: ${r.physical}`)
    lines.push(`        ${r.physical ? t('cli.software') : t('cli.fix')}: ${r.software}`)
    if (r.reference) lines.push(`        ${t('cli.reference')}: ${r.reference.text} (${r.reference.href})`)
  }
  return lines.join('\n') + '\n'
}

/** Planned steps that ran (an attempt that was not a skip). */
export function ranCount(record: RunRecord): number {
  return record.steps.filter((s) => s.attempts.some((a) => a.verdict !== 'skipped')).length
}

/** The summary table and the overall verdict. */
export function summaryTable(record: RunRecord, recordPath?: string, t: Translate = english): string {
  const rows = record.steps.map((s) => {
    const last = s.attempts[s.attempts.length - 1]
    const note = !last || last.verdict === 'pass' ? '' : last.remediation ? `${reasonText(t, last) || remedyText(t, last.remediation).cause} [${last.remediation.code}]` : reasonText(t, last)
    return [s.id, label(t, s.verdict), String(s.attempts.length), last ? seconds(last.durationMs) : '', note]
  })
  const head = [t('cli.head.step'), t('cli.head.verdict'), t('cli.head.tries'), t('cli.head.time'), t('cli.head.note')]
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]))))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join('  ').trimEnd()
  const unit = [record.unit.serial && t('cli.unit', { serial: record.unit.serial }), record.unit.imei && `IMEI ${record.unit.imei}`, record.unit.iccid && `ICCID ${record.unit.iccid}`, record.unit.operator].filter(Boolean).join(', ')
  return [
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${t('cli.overall', { verdict: t(`report.verdictWord.${record.verdict}`), status: t(`report.statusWord.${record.status}`) })}${isSimulated(record) ? ` ${t('cli.simulated')}` : ''}${unit ? `  ${unit}` : ''}`,
    t('cli.ran', { ran: ranCount(record), total: record.steps.length }),
    ...(recordPath ? [t('cli.record', { path: recordPath })] : []),
    '',
  ].join('\n')
}

/** Live progress of several slots on one output: each result line prefixed with its slot's name; on a terminal a status line per slot stays below them. */
export class StationProgress {
  private readonly status: string[]
  private readonly width: number
  private drawn = 0

  /** Trusts `names` to be the slots' names in slot order. */
  constructor(
    private readonly out: Out,
    private readonly names: string[],
    private readonly t: Translate = english,
  ) {
    this.width = Math.max(...names.map((n) => displayWidth(n)))
    this.status = names.map(() => t('cli.slots.opening'))
  }

  /** The prefix of slot `slot`'s lines: its name in brackets, padded so the columns line up. */
  prefix(slot: number): string {
    return `[${pad(this.names[slot], this.width)}] `
  }

  /** Writes `text` (one or more lines) for slot `slot`, above the status lines. */
  line(slot: number, text: string): void {
    const lines = text.replace(/\n$/, '').split('\n')
    this.write(lines.map((l) => `${this.prefix(slot)}${l}\n`).join(''))
  }

  /** The listener that prints slot `slot`'s progress events. */
  printer(slot: number): (event: ChecklistEvent) => void {
    return (event) => {
      if (event.type === 'step-start') {
        const attempt = event.attempt > 1 ? this.t('cli.attempt', { n: event.attempt }) : ''
        this.status[slot] = `${bar(event.index, event.total)} ${event.index + 1}/${event.total} ${event.id}: ${stepTitle(this.t, event.id)}${attempt}...`
        if (this.tty) this.write('')
      } else if (event.type === 'step-end') {
        this.line(slot, stepLine(event.id, event.attempt, event.index, event.total, this.t))
      } else if (event.type === 'run-end') {
        this.status[slot] = `${label(this.t, event.record.verdict)}  ${this.t('cli.ran', { ran: ranCount(event.record), total: event.record.steps.length })}`
        if (this.tty) this.write('')
      }
    }
  }

  /** Removes the status lines (before the summary). */
  end(): void {
    if (this.tty) this.clear()
  }

  private get tty(): boolean {
    return this.out.isTTY === true
  }

  private clear(): void {
    if (this.drawn) this.out.write(`\x1b[${this.drawn}A\r\x1b[J`)
    this.drawn = 0
  }

  private write(text: string): void {
    if (!this.tty) {
      if (text) this.out.write(text)
      return
    }
    const columns = (this.out.columns ?? 100) - 1
    const block = this.status.map((s, i) => `${this.prefix(i)}${s}`.slice(0, columns) + '\n').join('')
    const up = this.drawn ? `\x1b[${this.drawn}A\r\x1b[J` : ''
    this.out.write(up + text + block)
    this.drawn = this.status.length
  }
}

/** One line per slot after a multi-slot run: name, console, unit, verdict, exit code and record file. */
export function stationTable(rows: Array<{ name: string; console: string; unit?: string; verdict?: string; code: number; record?: string }>, t: Translate = english): string {
  const head = [t('cli.slots.head.slot'), t('cli.slots.head.console'), t('cli.slots.head.unit'), t('cli.slots.head.verdict'), t('cli.slots.head.exit'), t('cli.slots.head.record')]
  const cells = rows.map((r) => [r.name, r.console, r.unit ?? '', r.verdict ? label(t, r.verdict) : '', String(r.code), r.record ?? t('cli.slots.noRecord')])
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...cells.map((c) => displayWidth(c[i]))))
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : pad(x, widths[i]))).join('  ').trimEnd()
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n'
}
