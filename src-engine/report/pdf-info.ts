/** Fields of a PDF document information dictionary that the reports set (title and subject in any language, keywords and creator ASCII). */
export interface PdfInfo {
  title: string
  subject: string
  keywords: string
  creator: string
}

function literal(text: string): string {
  return `(${text.replace(/[^\x20-\x7e]/g, '?').replace(/([()\\])/g, '\\$1')})`
}

function utf16Hex(text: string): string {
  let hex = 'FEFF'
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase()
  return `<${hex}>`
}

/** Appends an incremental update to a classic-xref PDF that replaces its document information (title, subject, keywords, creator), keeping its dates; returns the input unchanged when the layout is not recognised. */
export function withPdfInfo(pdf: Buffer, info: PdfInfo): Buffer {
  const tail = pdf.subarray(Math.max(0, pdf.length - 4096)).toString('latin1')
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$/.exec(tail)
  if (!trailer) return pdf
  const size = Number(/\/Size (\d+)/.exec(trailer[1])?.[1])
  const root = /\/Root (\d+ \d+ R)/.exec(trailer[1])?.[1]
  if (!Number.isInteger(size) || size <= 0 || !root) return pdf
  const created = /\/CreationDate \((D:[^)]*)\)/.exec(pdf.toString('latin1'))?.[1]
  const base = pdf[pdf.length - 1] === 0x0a ? pdf : Buffer.concat([pdf, Buffer.from('\n')])
  const dates = created ? `/CreationDate (${created})\n/ModDate (${created})\n` : ''
  const object = `${size} 0 obj\n<</Title ${utf16Hex(info.title)}\n/Subject ${utf16Hex(info.subject)}\n/Keywords ${literal(info.keywords)}\n/Creator ${literal(info.creator)}\n/Producer (Skia/PDF via Chromium)\n${dates}>>\nendobj\n`
  const objectOffset = base.length
  const xrefOffset = objectOffset + Buffer.byteLength(object, 'latin1')
  const update = `${object}xref\n${size} 1\n${String(objectOffset).padStart(10, '0')} 00000 n \ntrailer\n<</Size ${size + 1}\n/Root ${root}\n/Info ${size} 0 R\n/Prev ${trailer[2]}>>\nstartxref\n${xrefOffset}\n%%EOF\n`
  return Buffer.concat([base, Buffer.from(update, 'latin1')])
}

/** Record digest written in a report PDF's keywords, if any. */
export function pdfRecordDigest(pdf: Buffer): string | undefined {
  return /k230-record-sha256:([0-9a-f]{64})/.exec(pdf.subarray(Math.max(0, pdf.length - 8192)).toString('latin1'))?.[1]
}
