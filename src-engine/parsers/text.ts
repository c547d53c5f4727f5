/** Shared line handling of the text parsers: CR/LF mixes, ANSI escapes, NULs and the typed residue. */

/** Result of every text parser: the typed value, the lines it could not use and what looked wrong. */
export interface Parsed<T> {
  value: T
  /** Non-empty input lines the parser did not recognise, verbatim (after escape stripping). */
  unparsed: string[]
  warnings: string[]
}

const ANSI = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g

/** Removes ANSI/VT100 escape sequences and stray control bytes (keeps TAB, CR and LF); trusts nothing. */
export function stripTerminalNoise(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '')
}

/** Splits text on any CR/LF mix into lines without terminators, escapes stripped; empty lines kept. */
export function splitLines(text: unknown): string[] {
  if (typeof text !== 'string') return []
  return stripTerminalNoise(text).replace(/\r+\n/g, '\n').split(/\n|\r/)
}

/** Lines with content only, each trimmed at the right. */
export function contentLines(text: unknown): string[] {
  return splitLines(text)
    .map((line) => line.replace(/\s+$/, ''))
    .filter((line) => line.trim() !== '')
}

/** Parses a decimal or hex integer field; NaN-free: returns undefined when the text is not a number. */
export function toInt(text: string | undefined, radix = 10): number | undefined {
  if (text === undefined) return undefined
  const trimmed = text.trim()
  const pattern = radix === 16 ? /^[0-9a-fA-F]+$/ : /^-?\d+$/
  if (!pattern.test(trimmed)) return undefined
  const value = Number.parseInt(trimmed, radix)
  return Number.isSafeInteger(value) ? value : undefined
}

/** Parses a decimal number field (integer or fraction); undefined when not a finite number. */
export function toNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const trimmed = text.trim()
  if (!/^-?\d+(?:\.\d+)?$/.test(trimmed)) return undefined
  const value = Number(trimmed)
  return Number.isFinite(value) ? value : undefined
}

/** Matches a kernel log line (`[  123.456789] ...`) at the start of a line. */
export const KERNEL_LINE = /^\s*(?:<\d+>)?\[\s*\d+\.\d+\]/
