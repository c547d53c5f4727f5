import { readFile } from 'node:fs/promises'
import type { RunRecord } from '@shared/record'
import { canonicalJson, recordDigest } from './canonical'
import { HTML_DIGEST_SLOT, HTML_RECORD_SLOT, HTML_SEAL_SLOT } from './html'
import { JUNIT_DIGEST_SLOT, JUNIT_SEAL_SLOT } from './junit'
import { LEDGER_HEADER, parseLedger } from './ledger'
import { checkPdfSealBytes } from './pdf'
import { pdfRecordDigest } from './pdf-info'
import { checkSeal } from './seal'

/** Formats verify recognises. */
export type ReportFormat = 'json' | 'html' | 'junit' | 'csv' | 'pdf'

/** Verdict of a verification: intact, altered (recognised but changed), or unreadable (missing, or not a k230 report). */
export interface VerifyResult {
  status: 'intact' | 'altered' | 'unreadable'
  format?: ReportFormat
  /** Record digest carried by the report, when one was found. */
  digest?: string
  /** What was checked and what differed, one line each. */
  details: string[]
}

function sniff(bytes: Buffer): ReportFormat | undefined {
  const head = bytes.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '')
  if (head.startsWith('%PDF-')) return 'pdf'
  if (/^\s*<!DOCTYPE html/i.test(head) || /^\s*<html/i.test(head)) return 'html'
  if (/^\s*<\?xml/.test(head) && /<testsuites?[\s>]/.test(bytes.toString('utf8'))) return 'junit'
  if (head.startsWith(LEDGER_HEADER.slice(0, 20))) return 'csv'
  if (/^\s*\{/.test(head)) return 'json'
  return undefined
}

function verifyJson(text: string): VerifyResult {
  let value: RunRecord
  try {
    value = JSON.parse(text) as RunRecord
  } catch (error) {
    return { status: 'altered', format: 'json', details: [`not valid JSON any more: ${error instanceof Error ? error.message : String(error)}`] }
  }
  if (!value || typeof value !== 'object' || !('schemaVersion' in value) || !Array.isArray(value.steps)) return { status: 'unreadable', format: 'json', details: ['JSON is not a k230-bringup run record (no schemaVersion/steps)'] }
  if (typeof value.digest !== 'string') return { status: 'altered', format: 'json', details: ['record has no digest field'] }
  const expected = recordDigest(value)
  const details: string[] = []
  if (expected !== value.digest) details.push(`record digest ${value.digest} does not match its content (${expected})`)
  else details.push('record digest matches its content')
  if (canonicalJson(value) !== text) details.push('file bytes differ from the canonical form the report was written in (whitespace or key order changed)')
  return { status: details.length === 1 && expected === value.digest ? 'intact' : 'altered', format: 'json', digest: value.digest, details }
}

function verifySealed(text: string, format: 'html' | 'junit', sealSlot: RegExp, digestSlot: RegExp): VerifyResult {
  const details: string[] = []
  const seal = checkSeal(text, sealSlot)
  const digest = digestSlot.exec(text)?.[1]
  let ok = true
  if (!seal) {
    ok = false
    details.push('report seal missing or duplicated')
  } else if (seal.found !== seal.expected) {
    ok = false
    details.push(`report seal ${seal.found} does not match the content (${seal.expected})`)
  } else details.push('report seal matches the content')
  if (!digest) {
    ok = false
    details.push('record digest missing')
  }
  if (format === 'html') {
    const embedded = HTML_RECORD_SLOT.exec(text)?.[1]
    if (embedded === undefined) {
      ok = false
      details.push('embedded record missing')
    } else {
      try {
        const record = JSON.parse(embedded) as RunRecord
        const recomputed = recordDigest(record)
        if (recomputed !== digest || record.digest !== digest) {
          ok = false
          details.push(`embedded record digest ${recomputed} does not match the page's ${digest}`)
        } else details.push('embedded record matches the record digest')
      } catch {
        ok = false
        details.push('embedded record is not valid JSON')
      }
    }
  }
  return { status: ok ? 'intact' : 'altered', format, digest, details }
}

function verifyYieldHtml(text: string): VerifyResult {
  const seal = checkSeal(text, HTML_SEAL_SLOT)
  if (!seal) return { status: 'altered', format: 'html', details: ['report seal missing or duplicated'] }
  const ok = seal.found === seal.expected
  return { status: ok ? 'intact' : 'altered', format: 'html', details: [ok ? 'yield summary seal matches the content' : `yield summary seal ${seal.found} does not match the content (${seal.expected})`] }
}

function verifyLedger(text: string): VerifyResult {
  const ledger = parseLedger(text)
  const details: string[] = []
  if (!ledger.headerOk) details.push('ledger header differs from the expected columns')
  if (ledger.alteredLines.length) details.push(`rows altered on line(s) ${ledger.alteredLines.join(', ')}`)
  if (ledger.tornTail !== undefined) details.push(`last line is torn (no newline, ${ledger.tornTail.length} characters): a write was interrupted; the next append moves it to ledger.csv.torn`)
  if (!details.length) details.push(`${ledger.rows.length} row(s), every row seal matches`)
  const ok = ledger.headerOk && !ledger.alteredLines.length && ledger.tornTail === undefined
  return { status: ok ? 'intact' : 'altered', format: 'csv', details }
}

function verifyPdf(bytes: Buffer): VerifyResult {
  const seal = checkPdfSealBytes(bytes)
  const digest = pdfRecordDigest(bytes)
  if (!seal) return { status: 'altered', format: 'pdf', digest, details: ['PDF seal trailer missing (the file was changed after it was written, or is not a k230-bringup report)'] }
  const ok = seal.found === seal.expected
  return { status: ok ? 'intact' : 'altered', format: 'pdf', digest, details: [ok ? 'PDF seal matches every byte of the file' : `PDF seal ${seal.found} does not match the file (${seal.expected})`] }
}

/** Verifies report bytes in any supported format. Pure. */
export function verifyBytes(bytes: Buffer): VerifyResult {
  const format = sniff(bytes)
  if (!format) return { status: 'unreadable', details: ['not a k230-bringup report (unknown format)'] }
  if (format === 'pdf') return verifyPdf(bytes)
  const text = bytes.toString('utf8')
  if (format === 'json') return verifyJson(text)
  if (format === 'csv') return verifyLedger(text)
  if (format === 'junit') return verifySealed(text, 'junit', JUNIT_SEAL_SLOT, JUNIT_DIGEST_SLOT)
  if (!HTML_DIGEST_SLOT.test(text) && /<meta name="generator" content="k230-bringup yield\/1">/.test(text)) return verifyYieldHtml(text)
  return verifySealed(text, 'html', HTML_SEAL_SLOT, HTML_DIGEST_SLOT)
}

/** Reads a report file and says whether it is intact, altered, or unreadable; never throws. */
export async function verifyFile(file: string): Promise<VerifyResult> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    return { status: 'unreadable', details: [`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`] }
  }
  return verifyBytes(bytes)
}
