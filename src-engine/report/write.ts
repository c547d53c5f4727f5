import { mkdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { RunRecord } from '@shared/record'
import type { KeyedMessage } from '@shared/i18n/render'
import { renderHtml } from './html'
import type { ReportLang } from './i18n'
import { renderJson, sealedRecord } from './json'
import { renderJunit } from './junit'
import { appendLedger } from './ledger'
import { NoChromiumError, writePdf } from './pdf'
import { addToIndex, indexEntry } from './results-index'
import { signRecord, type StationKey } from './signature'
import { replaceFileAtomic, writeFileAtomicAsync } from '../files/atomic'

/** Output formats of writeReports; `csv` is the station ledger row. */
export const REPORT_FORMATS = ['json', 'html', 'pdf', 'junit', 'csv'] as const
/** One of REPORT_FORMATS. */
export type OutputFormat = (typeof REPORT_FORMATS)[number]
/** What `run --out DIR` writes when no format is named. */
export const DEFAULT_FORMATS: readonly OutputFormat[] = ['json', 'html', 'junit']

/** Options of writeReports. */
export interface WriteOptions {
  lang?: ReportLang
  /** Ledger file; default `<outDir>/ledger.csv`. A ledger row is appended when `csv` is among the formats or `ledger` is true. */
  ledgerPath?: string
  ledger?: boolean
  /** Update `<outDir>/index.json` when the JSON is written (default true). */
  index?: boolean
  env?: NodeJS.ProcessEnv
  chromium?: string
  /** Signs the record with this station key (a new run); without it the record's own signature is kept (a record already verified by the caller). */
  signer?: StationKey
}

/** Files written, the record digest, and warnings (such as no Chromium for PDF) that did not stop the other formats. */
export interface WriteResult {
  digest: string
  /** The record as written (masked, digest filled, signed when a signer was given). */
  record: RunRecord
  files: Partial<Record<OutputFormat, string>>
  warnings: KeyedMessage[]
}

/** Parses `html,pdf,junit` into formats; throws a clear error naming an unknown one. */
export function parseFormats(text: string): OutputFormat[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)
  if (!names.length) throw new Error('no format given (use json, html, pdf, junit, csv)')
  for (const name of names) if (!(REPORT_FORMATS as readonly string[]).includes(name)) throw new Error(`unknown format '${name}' (use json, html, pdf, junit, csv)`)
  return [...new Set(names)] as OutputFormat[]
}

function safePart(text: string | undefined, fallback: string): string {
  const cleaned = (text ?? '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 64)
  return cleaned || fallback
}

/** File base name of a record's reports: `<serial>_<start as YYYYMMDDTHHMMSSZ>_<first 8 of id>`. Pure. */
export function reportBaseName(record: Pick<RunRecord, 'unit' | 'startedAt' | 'id'>): string {
  const ms = Date.parse(record.startedAt)
  const stamp = Number.isNaN(ms) ? 'undated' : new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  return `${safePart(record.unit?.serial, 'no-serial')}_${stamp}_${safePart(record.id?.slice(0, 8), 'noid')}`
}

/** Writes the record's reports into `outDir` (atomically, secrets masked, digest in each, signed by `options.signer` when given), appends the ledger row and updates the results index; PDF without a Chromium becomes a warning. */
export async function writeReports(record: RunRecord, outDir: string, formats: readonly OutputFormat[] = DEFAULT_FORMATS, options: WriteOptions = {}): Promise<WriteResult> {
  const sealed = options.signer ? signRecord(sealedRecord(record), options.signer) : sealedRecord(record)
  const base = join(outDir, reportBaseName(sealed))
  const files: WriteResult['files'] = {}
  const warnings: KeyedMessage[] = []
  await mkdir(outDir, { recursive: true })
  if (formats.includes('json')) {
    files.json = `${base}.json`
    await writeFileAtomicAsync(files.json, renderJson(sealed))
  }
  if (formats.includes('html')) {
    files.html = `${base}${options.lang === 'zh-CN' ? '.zh-CN' : ''}.html`
    await writeFileAtomicAsync(files.html, renderHtml(sealed, { lang: options.lang }))
  }
  if (formats.includes('junit')) {
    files.junit = `${base}.junit.xml`
    await writeFileAtomicAsync(files.junit, renderJunit(sealed))
  }
  if (formats.includes('pdf')) {
    const pdf = `${base}${options.lang === 'zh-CN' ? '.zh-CN' : ''}.pdf`
    try {
      const { chromium } = await replaceFileAtomic(pdf, (temp) => writePdf(sealed, temp, { lang: options.lang, env: options.env, chromium: options.chromium }))
      files.pdf = pdf
      warnings.push({ key: 'reportWarning.pdfPrinted', params: { chromium } })
    } catch (error) {
      if (!(error instanceof NoChromiumError)) throw error
      warnings.push(error.keyed)
    }
  }
  if (formats.includes('csv') || options.ledger) {
    const ledger = options.ledgerPath ?? join(outDir, 'ledger.csv')
    const appended = await appendLedger(ledger, sealed)
    files.csv = ledger
    if (appended.repairedBytes) warnings.push({ key: 'reportWarning.ledgerTorn', params: { ledger, bytes: appended.repairedBytes } })
  }
  if (files.json && options.index !== false) await addToIndex(outDir, indexEntry(sealed, relative(outDir, files.json)))
  return { digest: sealed.digest as string, record: sealed, files, warnings }
}
