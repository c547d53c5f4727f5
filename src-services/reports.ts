/** Reports and history over the results folder, through the report engine: list, render, export, yield. */
import { mkdirSync, readFileSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import type { ExportedReport, ReportEntry, YieldView } from '@shared/ipc'
import type { RunRecord } from '@shared/record'
import { renderHtml, renderJunit, renderJson, reportBaseName, sealedRecord, writeReports, type IndexEntry, type StationKey } from '@engine/report/index'
import type { StationIndex } from '@engine/db/index'
import type { IndexHolder } from './index-holder'
import { ServiceError } from './errors'
import { thrownDetail } from '@shared/thrown'
import { replaceFileAtomic, writeFileAtomic } from '@engine/files/atomic'

/** Prints a record's report to a PDF file (Electron: printToPDF; browser host: headless Chromium). */
export type PdfPrinter = (record: RunRecord, lang: 'en' | 'zh-CN', outFile: string) => Promise<void>

/** Reads records through the results index; trusts ids already validated by the IPC schema and only opens files the index names inside the folder. */
export class ReportsService {
  private readonly opened = new Map<string, RunRecord>()

  constructor(
    private readonly resultsDir: () => string,
    private readonly pdf: PdfPrinter,
    private readonly signer: () => StationKey,
    /** The app's held embedded indexes. */
    private readonly indexes: IndexHolder,
    /** Production records write a ledger row; the support folder's do not. */
    private readonly ledger = true,
  ) {}

  /** Runs `fn` on the embedded index of the current folder (on disk, shared and held by `indexes`), brought up to date with new files. */
  private db<T>(fn: (index: StationIndex) => Promise<T>): Promise<T> {
    return this.indexes.use(this.resultsDir(), fn)
  }

  /** The folder this service reads and writes. */
  folder(): string {
    return this.resultsDir()
  }

  /** Writes a finished run's JSON, HTML and JUnit (signed by the station key), its ledger row and index entry; returns the JSON path. */
  async store(record: RunRecord, lang: 'en' | 'zh-CN'): Promise<string | undefined> {
    const result = await writeReports(record, this.resultsDir(), ['json', 'html', 'junit'], { lang, ledger: this.ledger, signer: this.signer() })
    return result.files.json
  }

  /** Every record of one unit whose serial, IMEI or ICCID is exactly `key` (any case), oldest first. */
  async lookup(key: string): Promise<ReportEntry[]> {
    const entries = await this.db((db) => db.find({ any: key, includeSimulated: true }))
    return entries
      .map((e) => ({ id: e.id, serial: e.serial, verdict: e.verdict, startedAt: e.startedAt, imei: e.imei, iccid: e.iccid, simulated: e.simulated === true }))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
  }

  /** Makes records read from a support bundle viewable by id (reports:html, exports) until the app stops. */
  remember(records: RunRecord[]): void {
    for (const r of records) this.opened.set(r.id, r)
  }

  /** Records in the results folder, newest first; `query` matches serial, IMEI or ICCID (substring, any case); simulated runs only when asked. */
  async list(query?: string, includeSimulated = false): Promise<ReportEntry[]> {
    const entries = await this.db((db) => db.search(query, includeSimulated))
    return entries
      .map((e) => ({ id: e.id, serial: e.serial, verdict: e.verdict, startedAt: e.startedAt, imei: e.imei, iccid: e.iccid, simulated: e.simulated === true }))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
  }

  /** The record with this id, read from the file its index entry names. */
  async record(id: string): Promise<RunRecord> {
    const root = resolve(this.resultsDir())
    const entry: IndexEntry | undefined = await this.db((db) => db.run(id))
    const fromBundle = this.opened.get(id)
    if (!entry && fromBundle) return fromBundle
    if (!entry) throw ServiceError.keyed('not-found', 'noRecord', { id, root })
    const file = resolve(root, entry.file)
    if (!file.startsWith(root + sep)) throw ServiceError.keyed('not-found', 'recordOutside', { id })
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as RunRecord
    } catch (error) {
      throw ServiceError.keyed('unreadable', 'recordUnreadable', { ...thrownDetail(error), file: entry.file })
    }
  }

  /** The printable HTML report. */
  async html(id: string, lang: 'en' | 'zh-CN'): Promise<string> {
    return renderHtml(sealedRecord(await this.record(id)), { lang })
  }

  /** Writes one format into `<results>/exports/` and returns it for download. */
  async export(id: string, format: 'html' | 'json' | 'junit' | 'pdf', lang: 'en' | 'zh-CN'): Promise<ExportedReport> {
    const record = sealedRecord(await this.record(id))
    const base = reportBaseName(record)
    const dir = join(this.resultsDir(), 'exports')
    mkdirSync(dir, { recursive: true })
    const suffix = lang === 'zh-CN' ? '.zh-CN' : ''
    const spec = {
      json: { fileName: `${base}.json`, mime: 'application/json' },
      junit: { fileName: `${base}.junit.xml`, mime: 'application/xml' },
      html: { fileName: `${base}${suffix}.html`, mime: 'text/html' },
      pdf: { fileName: `${base}${suffix}.pdf`, mime: 'application/pdf' },
    }[format]
    const path = join(dir, spec.fileName)
    if (format === 'pdf') await replaceFileAtomic(path, (temp) => this.pdf(record, lang, temp))
    else writeFileAtomic(path, format === 'json' ? renderJson(record) : format === 'junit' ? renderJunit(record, lang) : renderHtml(record, { lang }))
    return { ...spec, base64: readFileSync(path).toString('base64'), path }
  }

  /** Pass rate per step and the most frequent failure causes over every indexed run. */
  async yieldSummary(includeSimulated = false): Promise<YieldView> {
    const y = await this.db((db) => db.yield({ topCauses: 8, includeSimulated }))
    return {
      total: y.runs,
      passed: y.passedRuns,
      steps: y.steps.map((s) => ({ id: s.id, passed: s.passed, ran: s.tested, skipped: s.skipped })),
      causes: y.causes.map((c) => ({ code: c.code, count: c.count })),
      includesSimulated: includeSimulated,
    }
  }
}
