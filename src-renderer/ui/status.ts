/** Pure UX tables: verdicts and step states to a severity class and an i18n key. */

/** Visual severity of a status. */
export type Severity = 'ok' | 'bad' | 'warn' | 'muted' | 'active'

const STEP: Record<string, Severity> = { pass: 'ok', fail: 'bad', error: 'warn', aborted: 'warn', skipped: 'muted', pending: 'muted', running: 'active' }
const OVERALL: Record<string, Severity> = { pass: 'ok', fail: 'bad', error: 'warn', aborted: 'warn', interrupted: 'warn', running: 'active' }

/** Severity of a step verdict; unknown values are muted, never a crash. */
export function stepSeverity(verdict: string): Severity {
  return STEP[verdict] ?? 'muted'
}

/** Severity of an overall verdict. */
export function overallSeverity(verdict: string): Severity {
  return OVERALL[verdict] ?? 'muted'
}

/** Formats ms as m:ss. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** Formats a byte count with binary units. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}

