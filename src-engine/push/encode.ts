/** Encoders that turn bytes into shell lines writing them to a board file, each line under the session's limit. */

/** Shell lines and the size of their encoded payload. */
export interface EncodedBatch {
  lines: string[]
  /** Characters of payload (encoded data and its newlines), without the command framing. */
  payloadBytes: number
}

const HEREDOC_END = 'K230EOF'

/** `base64 -d >FILE <<'K230EOF'` with the data in lines of at most `maxLine` (rounded down to a multiple of 4) characters. */
export function encodeBase64Batch(chunk: Uint8Array, quotedFile: string, maxLine: number): EncodedBatch {
  const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64')
  const width = Math.max(4, Math.floor(Math.min(maxLine, 1024) / 4) * 4)
  const lines = [`base64 -d >${quotedFile} <<'${HEREDOC_END}'`]
  let payloadBytes = 0
  for (let i = 0; i < text.length; i += width) {
    const line = text.slice(i, i + width)
    lines.push(line)
    payloadBytes += line.length + 1
  }
  lines.push(HEREDOC_END)
  return { lines, payloadBytes }
}

/** Escapes bytes for a single-quoted printf format: printable ASCII as is, everything else as `\ooo`. */
export function printfEscape(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) {
    if (b === 0x5c) s += '\\\\'
    else if (b === 0x25) s += '%%'
    else if (b === 0x27 || b < 0x20 || b > 0x7e) s += '\\' + b.toString(8).padStart(3, '0')
    else s += String.fromCharCode(b)
  }
  return s
}

/** `printf '...' >>FILE` lines (the first truncates with `>`), each under `maxLine` bytes. */
export function encodePrintfLines(chunk: Uint8Array, quotedFile: string, maxLine: number): EncodedBatch {
  const overhead = `printf '' >>${quotedFile}`.length
  const budget = Math.max(8, maxLine - overhead)
  const lines: string[] = []
  let payloadBytes = 0
  let current = ''
  const emit = () => {
    lines.push(`printf '${current}' ${lines.length === 0 ? '>' : '>>'}${quotedFile}`)
    payloadBytes += current.length + 1
    current = ''
  }
  for (const b of chunk) {
    const piece = printfEscape(Uint8Array.of(b))
    if (current.length + piece.length > budget) emit()
    current += piece
  }
  if (current || lines.length === 0) emit()
  return { lines, payloadBytes }
}
