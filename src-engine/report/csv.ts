/** One CSV field per RFC 4180, one physical line: newlines become spaces, quotes are doubled, and text that a spreadsheet would run as a formula is prefixed with `'`. */
export function csvField(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value)
  text = text.replace(/\r\n|\r|\n/g, ' ')
  if (/^[=+\-@\t]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) text = `'${text}`
  if (text === '') return ''
  return /[",\s]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Parses RFC 4180 CSV text into rows of fields; a final line without a newline is returned too and flagged. Trusts nothing in the text. */
export function parseCsv(text: string): { rows: string[][]; endsWithNewline: boolean; unterminatedQuote: boolean } {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  let atFieldStart = true
  while (i < text.length) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      field += c
      i++
      continue
    }
    if (c === '"' && atFieldStart) {
      quoted = true
      atFieldStart = false
      i++
      continue
    }
    if (c === ',') {
      row.push(field)
      field = ''
      atFieldStart = true
      i++
      continue
    }
    if (c === '\r' || c === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      atFieldStart = true
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1
      continue
    }
    field += c
    atFieldStart = false
    i++
  }
  const endsWithNewline = text.length === 0 || text.endsWith('\n') || text.endsWith('\r')
  if (!endsWithNewline) {
    row.push(field)
    rows.push(row)
  }
  return { rows, endsWithNewline, unterminatedQuote: quoted }
}
