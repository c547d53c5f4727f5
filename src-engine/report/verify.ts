import { readFile } from 'node:fs/promises'
import type { RunRecord } from '@shared/record'
import { canonicalJson } from './canonical'
import { HTML_DIGEST_SLOT, HTML_RECORD_SLOT, HTML_SEAL_SLOT, renderHtml, statedRenderOptions } from './html'
import { JUNIT_DIGEST_SLOT, JUNIT_SEAL_SLOT } from './junit'
import { LEDGER_HEADER, parseLedger } from './ledger'
import { checkPdfSealBytes } from './pdf'
import { pdfRecordDigest } from './pdf-info'
import { checkSeal } from './seal'
import { translator, type Translate } from '@shared/i18n/translate'
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
  /** What was checked and what differed, one line each, in English (logs, --json). */
  details: string[]
  /** The same lines as catalogue codes (`verifyNote.<code>`) with parameters, for people's messages. */
  notes: VerifyNote[]
}

/** One line of what verify found, as a code and its parameters. */
export interface VerifyNote {
  code: string
  params?: Record<string, string | number>
}

const english = translator('en')

/** A verify line in the language of `t` (English by default). */
export function verifyNoteText(note: VerifyNote, t: Translate = english): string {
  return t(`verifyNote.${note.code}`, note.params)
}

function noted(result: Omit<VerifyResult, 'details'>): VerifyResult {
  return { ...result, details: result.notes.map((n) => verifyNoteText(n)) }
}

function n(code: string, params?: Record<string, string | number>): VerifyNote {
  return params ? { code, params } : { code }
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

function signatureOutcome(check: SignatureCheck): Pick<VerifyResult, 'status' | 'station' | 'keyId' | 'reason'> & { note: VerifyNote } {
  if (check.ok) return { status: 'intact', station: check.station, keyId: check.keyId, note: n('signed', { station: check.station, keyId: check.keyId }) }
  const untrusted = check.reason === 'unsigned' || check.reason === 'unknown-key'
  return { status: untrusted ? 'untrusted' : 'altered', station: check.station, keyId: check.keyId, reason: check.reason, note: n(check.note, check.params) }
}

function verifyJson(text: string, trusted: TrustedKeys): VerifyResult {
  let value: RunRecord
  try {
    value = JSON.parse(text) as RunRecord
  } catch (error) {
    return noted({ status: 'altered', format: 'json', notes: [n('jsonBroken', { error: error instanceof Error ? error.message : String(error) })] })
  }
  if (!value || typeof value !== 'object' || !('schemaVersion' in value) || !Array.isArray(value.steps)) return noted({ status: 'unreadable', format: 'json', notes: [n('notRunRecord')] })
  const { note, ...outcome } = signatureOutcome(verifySignedValue(value, trusted))
  const notes = [note]
  let status = outcome.status
  if (status === 'intact' && canonicalJson(value) !== text) {
    status = 'altered'
    notes.push(n('notCanonical'))
  }
  return noted({ ...outcome, status, format: 'json', digest: typeof value.digest === 'string' ? value.digest : undefined, notes })
}

function verifyHtml(text: string, trusted: TrustedKeys): VerifyResult {
  const digest = HTML_DIGEST_SLOT.exec(text)?.[1]
  const embedded = HTML_RECORD_SLOT.exec(text)?.[1]
  if (embedded === undefined) return noted({ status: 'altered', format: 'html', digest, notes: [n('embeddedMissing')] })
  let value: unknown
  try {
    value = JSON.parse(embedded)
  } catch {
    return noted({ status: 'altered', format: 'html', digest, notes: [n('embeddedNotJson')] })
  }
  const { note, ...outcome } = signatureOutcome(verifySignedValue(value, trusted))
  const notes = [note]
  if (outcome.status === 'altered') return noted({ ...outcome, format: 'html', digest, notes })
  const options = statedRenderOptions(text)
  if (!options) return noted({ ...outcome, status: 'altered', format: 'html', digest, notes: [...notes, n('renderUnstated')] })
  if (renderHtml(value as RunRecord, options) !== text) return noted({ ...outcome, status: 'altered', format: 'html', digest, notes: [...notes, n('pageDiffers')] })
  notes.push(n('pageMatches'))
  return noted({ ...outcome, format: 'html', digest, notes })
}

function verifyJunit(text: string): VerifyResult {
  const notes: VerifyNote[] = []
  const seal = checkSeal(text, JUNIT_SEAL_SLOT)
  const digest = JUNIT_DIGEST_SLOT.exec(text)?.[1]
  let ok = true
  if (!seal) {
    ok = false
    notes.push(n('sealMissing'))
  } else if (seal.found !== seal.expected) {
    ok = false
    notes.push(n('sealMismatch', { found: seal.found, expected: seal.expected }))
  } else notes.push(n('sealMatches'))
  if (!digest) {
    ok = false
    notes.push(n('digestMissing'))
  }
  return noted({ status: ok ? 'intact' : 'altered', format: 'junit', digest, notes })
}

function verifyYieldHtml(text: string): VerifyResult {
  const seal = checkSeal(text, HTML_SEAL_SLOT)
  if (!seal) return noted({ status: 'altered', format: 'html', notes: [n('sealMissing')] })
  const ok = seal.found === seal.expected
  return noted({ status: ok ? 'intact' : 'altered', format: 'html', notes: [ok ? n('yieldSealMatches') : n('yieldSealMismatch', { found: seal.found, expected: seal.expected })] })
}

function verifyLedger(text: string): VerifyResult {
  const ledger = parseLedger(text)
  const notes: VerifyNote[] = []
  if (!ledger.headerOk) notes.push(n('ledgerHeader'))
  if (ledger.alteredLines.length) notes.push(n('ledgerAltered', { lines: ledger.alteredLines.join(', ') }))
  if (ledger.tornTail !== undefined) notes.push(n('ledgerTorn', { length: ledger.tornTail.length }))
  if (!notes.length) notes.push(n('ledgerMatches', { rows: ledger.rows.length }))
  const ok = ledger.headerOk && !ledger.alteredLines.length && ledger.tornTail === undefined
  return noted({ status: ok ? 'intact' : 'altered', format: 'csv', notes })
}

function verifyPdf(bytes: Buffer): VerifyResult {
  const seal = checkPdfSealBytes(bytes)
  const digest = pdfRecordDigest(bytes)
  if (!seal) return noted({ status: 'altered', format: 'pdf', digest, notes: [n('pdfSealMissing')] })
  const ok = seal.found === seal.expected
  return noted({ status: ok ? 'intact' : 'altered', format: 'pdf', digest, notes: [ok ? n('pdfSealMatches') : n('pdfSealMismatch', { found: seal.found, expected: seal.expected })] })
}

/** Verifies report bytes in any supported format; JSON and HTML must carry a signature by one of `trusted`. Pure. */
export function verifyBytes(bytes: Buffer, trusted: TrustedKeys = []): VerifyResult {
  const format = sniff(bytes)
  if (!format) return noted({ status: 'unreadable', notes: [n('unknownFormat')] })
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
    return noted({ status: 'unreadable', notes: [n('cannotRead', { file, error: error instanceof Error ? error.message : String(error) })] })
  }
  return verifyBytes(bytes, trusted)
}
