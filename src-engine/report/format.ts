/** ISO time shown as `2026-11-24 08:15:02 UTC`; invalid input is shown as given. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—'
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return iso
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC')
}

/** Milliseconds between two ISO times, or undefined when either is missing or invalid. */
export function spanMs(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined
  const a = Date.parse(from)
  const b = Date.parse(to)
  return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.max(0, b - a)
}

/** Transcript offset `+12.345 s` from ms since run start. */
export function formatOffset(ms: number): string {
  return Number.isFinite(ms) ? `+${(ms / 1000).toFixed(3)}` : '+?'
}

const KERNEL_LINE = /^\s*<\d>\s*\[\s*\d+\.\d+\]|^\s*\[\s*\d+\.\d+\]/
const KERNEL_FAULT = /Oops|BUG:|Kernel panic|Unable to handle kernel|WARNING:|cut here|Call Trace|U-Boot SPL 20\d\d/

/** Whether a console line is a kernel message (`[    3.164090] ...`). */
export function isKernelLine(text: string): boolean {
  return KERNEL_LINE.test(text)
}

/** Whether a line reports a kernel fault or an unexpected reboot. */
export function isKernelFault(text: string): boolean {
  return KERNEL_FAULT.test(text)
}

/** Control characters shown as caret notation (`^C`), keeping tabs. */
export function showControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, (c) => (c === '\u007F' ? '^?' : '^' + String.fromCharCode(c.charCodeAt(0) + 64)))
}
