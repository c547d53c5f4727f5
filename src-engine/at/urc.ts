/** Unsolicited result codes of the EC200A: recognised names and their parameters. */

/** An unsolicited line, kept apart from command responses. */
export interface Urc {
  /** `RDY`, `+CPIN`, `+QIND`... or `unknown` for a line that belongs to no command. */
  name: string
  /** Comma-separated parameters after `NAME: `, quotes removed. */
  params: string[]
  raw: string
}

const NAMED = /^(\+[A-Z][A-Z0-9]*|\^[A-Z][A-Z0-9]*):\s*(.*)$/
const BARE = new Set([
  'RDY',
  'RING',
  'POWERED DOWN',
  'NO CARRIER',
  'NORMAL POWER DOWN',
  'UNDER_VOLTAGE POWER DOWN',
  'OVER_VOLTAGE POWER DOWN',
])
const KNOWN = new Set([
  '+CFUN',
  '+CPIN',
  '+QUSIM',
  '+QIND',
  '+QNETDEVSTATUS',
  '+CREG',
  '+CGREG',
  '+CEREG',
  '+C5GREG',
  '+CGEV',
  '+QIURC',
  '+CMTI',
  '+CRING',
  '+CLIP',
  '+QSIMSTAT',
  '+CTZV',
  '+CTZE',
  '+QSTK',
  '+QGPSURC',
])

/** Splits AT parameters on commas outside quotes and removes the quotes. */
export function splitParams(text: string): string[] {
  const params: string[] = []
  let current = ''
  let quoted = false
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    else if (ch === ',' && !quoted) {
      params.push(current.trim())
      current = ''
    } else current += ch
  }
  if (current.trim() !== '' || params.length) params.push(current.trim())
  return params
}

/** Recognises an EC200A unsolicited code; undefined when the line is not one it knows. */
export function parseUrc(line: string): Urc | undefined {
  const text = line.trim()
  if (BARE.has(text)) return { name: text, params: [], raw: text }
  const m = NAMED.exec(text)
  if (m && KNOWN.has(m[1])) return { name: m[1], params: splitParams(m[2]), raw: text }
  return undefined
}

/** Names an unrecognised line that arrived with no command pending. */
export function unknownUrc(line: string): Urc {
  const m = NAMED.exec(line.trim())
  return m
    ? { name: m[1], params: splitParams(m[2]), raw: line.trim() }
    : { name: 'unknown', params: [], raw: line.trim() }
}
