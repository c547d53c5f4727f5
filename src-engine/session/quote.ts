/** Shell quoting for values sent to the board's BusyBox shell. */

/** A value that cannot be quoted for the shell (NUL bytes cannot exist in shell words). */
export class ShellQuoteError extends Error {
  override name = 'ShellQuoteError'
}

/**
 * Quotes `value` as one POSIX shell word that expands to exactly `value`; trusts nothing in it.
 * Printable text goes in single quotes; control characters (which a terminal would act on) are produced by
 * `printf` octal escapes; newlines stay literal inside quotes. Throws ShellQuoteError for NUL.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new ShellQuoteError('Value contains a NUL byte, which a shell word cannot hold')
  if (value === '') return "''"
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value
  const parts: string[] = []
  let literal = ''
  const flushLiteral = () => {
    if (literal) parts.push(`'${literal.replace(/'/g, `'\\''`)}'`)
    literal = ''
  }
  let control = ''
  const flushControl = () => {
    if (control) parts.push(`"$(printf '${control}')"`)
    control = ''
  }
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0
    const isControl = (code < 0x20 && ch !== '\n') || code === 0x7f || (code >= 0x80 && code < 0xa0)
    if (isControl) {
      flushLiteral()
      for (const byte of Buffer.from(ch, 'utf8')) control += '\\' + byte.toString(8).padStart(3, '0')
    } else {
      flushControl()
      literal += ch
    }
  }
  flushLiteral()
  flushControl()
  return parts.join('')
}
