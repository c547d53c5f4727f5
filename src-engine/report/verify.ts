import { readFile } from 'node:fs/promises'
import type { RunRecord } from '@shared/record'
import { canonicalJson } from './canonical'
import { HTML_DIGEST_SLOT, HTML_RECORD_SLOT, HTML_SEAL_SLOT, renderHtml, statedRenderOptions } from './html'
import { JUNIT_DIGEST_SLOT, JUNIT_SEAL_SLOT } from './junit'
import { LEDGER_HEADER, parseLedger } from './ledger'
import { checkPdfSealBytes } from './pdf'
import { pdfRecordDigest } from './pdf-info'
import { checkSeal } from './seal'
import { verifySignedValue, type SignatureCheck, type SignatureFailure, type TrustedKeys } from './signature'

/** Formats verify recognises. */
export type ReportFormat = 'json' | 'html' | 'junit' | 'csv' | 'pdf'

/** Verdict of a verification: intact (for JSON and HTML: signed by a trusted station), altered (recognised but changed, or not a valid record), untrusted (unsigned, or signed by a key not trusted here), or unreadable (missing, or not a k230 report). */
export interface VerifyResult {
  status: 'intact' | 'altered' | 'untrusted' | 'unreadable'
  format?: ReportFormat
  /** Record digest carried by the report, when one was found. */
  digest?: string
  /** Station whose key signed the record (JSON and HTML), named by the signature; trusted only when status is intact. */
  station?: string
  keyId?: string
  /** Why a signature check did not pass. */
  reason?: SignatureFailure
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

function signatureOutcome(check: SignatureCheck): Pick<VerifyResult, 'status' | 'station' | 'keyId' | 'reason'> & { detail: string } {
  if (check.ok) return { status: 'intact', station: check.station, keyId: check.keyId, detail: `signed by station '${check.station}' (key ${check.keyId}), a trusted key; the signature covers every field` }
  const untrusted = check.reason === 'unsigned' || check.reason === 'unknown-key'
  return { status: untrusted ? 'untrusted' : 'altered', station: check.station, keyId: check.keyId, reason: check.reason, detail: check.reason === 'schema' ? `not a valid run record: ${check.detail}` : check.detail }
}

function verifyJson(text: string, trusted: TrustedKeys): VerifyResult {
  let value: RunRecord
  try {
    value = JSON.parse(text) as RunRecord
  } catch (error) {
    return { status: 'altered', format: 'json', details: [`not valid JSON any more: ${error instanceof Error ? error.message : String(error)}`] }
  }
  if (!value || typeof value !== 'object' || !('schemaVersion' in value) || !Array.isArray(value.steps)) return { status: 'unreadable', format: 'json', details: ['JSON is not a k230-bringup run record (no schemaVersion/steps)'] }
  const { detail, ...outcome } = signatureOutcome(verifySignedValue(value, trusted))
  const details = [detail]
  let status = outcome.status
  if (status === 'intact' && canonicalJson(value) !== text) {
    status = 'altered'
    details.push('file bytes differ from the canonical form the report was written in (whitespace or key order changed)')
  }
  return { ...outcome, status, format: 'json', digest: typeof value.digest === 'string' ? value.digest : undefined, details }
}

function verifyHtml(text: string, trusted: TrustedKeys): VerifyResult {
  const digest = HTML_DIGEST_SLOT.exec(text)?.[1]
  const embedded = HTML_RECORD_SLOT.exec(text)?.[1]
  if (embedded === undefined) return { status: 'altered', format: 'html', digest, details: ['embedded record missing'] }
  let value: unknown
  try {
    value = JSON.parse(embedded)
  } catch {
    return { status: 'altered', format: 'html', digest, details: ['embedded record is not valid JSON'] }
  }
  const { detail, ...outcome } = signatureOutcome(verifySignedValue(value, trusted))
  const details = [detail]
  if (outcome.status === 'altered') return { ...outcome, format: 'html', digest, details }
  const options = statedRenderOptions(text)
  if (!options) return { ...outcome, status: 'altered', format: 'html', digest, details: [...details, 'the page does not state how it was rendered (k230-render)'] }
  if (renderHtml(value as RunRecord, options) !== text) return { ...outcome, status: 'altered', format: 'html', digest, details: [...details, 'the visible page differs from what its embedded record renders to (verdict, measurements or text changed)'] }
  details.push('the visible page is exactly what the embedded record renders to')
  return { ...outcome, format: 'html', digest, details }
}

function verifyJunit(text: string): VerifyResult {
  const details: string[] = []
  const seal = checkSeal(text, JUNIT_SEAL_SLOT)
  const digest = JUNIT_DIGEST_SLOT.exec(text)?.[1]
  let ok = true
  if (!seal) {
    ok = false
    details.push('report seal missing or duplicated')
  } else if (seal.found !== seal.expected) {
    ok = false
    details.push(`report seal ${seal.found} does not match the content (${seal.expected})`)
  } else details.push('report seal matches the content (an unkeyed checksum: it shows accidents, not who wrote it; verify the JSON or HTML for the signature)')
  if (!digest) {
    ok = false
    details.push('record digest missing')
  }
  return { status: ok ? 'intact' : 'altered', format: 'junit', digest, details }
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

/** Verifies report bytes in any supported format; JSON and HTML must carry a signature by one of `trusted`. Pure. */
export function verifyBytes(bytes: Buffer, trusted: TrustedKeys = []): VerifyResult {
  const format = sniff(bytes)
  if (!format) return { status: 'unreadable', details: ['not a k230-bringup report (unknown format)'] }
  if (format === 'pdf') return verifyPdf(bytes)
  const text = bytes.toString('utf8')
  if (format === 'json') return verifyJson(text, trusted)
  if (format === 'csv') return verifyLedger(text)
  if (format === 'junit') return verifyJunit(text)
  if (!HTML_DIGEST_SLOT.test(text) && /<meta name="generator" content="k230-bringup yield\/1">/.test(text)) return verifyYieldHtml(text)
  return verifyHtml(text, trusted)
}

/** Reads a report file and says whether it is intact, altered, untrusted or unreadable; never throws. */
export async function verifyFile(file: string, trusted: TrustedKeys = []): Promise<VerifyResult> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    return { status: 'unreadable', details: [`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`] }
  }
  return verifyBytes(bytes, trusted)
}
