/** Reports and history over the results folder: list records, render HTML, export files, yield summary. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ExportedReport, ReportEntry, YieldView } from '@shared/ipc'
import type { RunRecord } from '@shared/record'
import { engineFunction } from './engine'
import { ServiceError } from './errors'

type RenderHtml = (record: RunRecord, options: { lang: 'en' | 'zh-CN' }) => string
type RenderJunit = (record: RunRecord) => string

/** Reads records from `resultsDir()`; trusts ids already validated by the IPC schema and looks them up, never joins them into paths. */
export class ReportsService {
  constructor(
    private readonly resultsDir: () => string,
    private readonly pdf: (html: string, record: RunRecord) => Promise<Uint8Array>,
  ) {}

  /** Records found in the results folder, newest first, filtered by serial/IMEI/ICCID substring. */
  list(query?: string): ReportEntry[] {
    const q = query?.trim().toLowerCase()
    const out: ReportEntry[] = []
    for (const { record } of this.scan()) {
      const entry: ReportEntry = { id: record.id, serial: record.unit.serial, verdict: record.verdict, startedAt: record.startedAt, imei: record.unit.imei, iccid: record.unit.iccid }
      if (q && ![entry.serial, entry.imei, entry.iccid].some((v) => v?.toLowerCase().includes(q))) continue
      out.push(entry)
    }
    return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt))
  }

  /** The record with this id, or a clear not-found error. */
  record(id: string): RunRecord {
    const hit = this.scan().find((r) => r.record.id === id)
    if (!hit) throw new ServiceError('not-found', `No record with id ${id} in ${this.resultsDir()}`)
    return hit.record
  }

  /** The printable HTML report rendered by the report engine. */
  async html(id: string, lang: 'en' | 'zh-CN'): Promise<string> {
    const render = await engineFunction<RenderHtml>('@engine/report/index', 'renderHtml', 'The HTML report renderer')
    return render(this.record(id), { lang })
  }

  /** Writes one format into `<results>/exports/` and returns it for download. */
  async export(id: string, format: 'html' | 'json' | 'junit' | 'pdf', lang: 'en' | 'zh-CN'): Promise<ExportedReport> {
    const record = this.record(id)
    const base = `${safeName(record.unit.serial)}-${safeName(record.id)}`
    let fileName: string
    let mime: string
    let bytes: Uint8Array
    if (format === 'json') {
      ;[fileName, mime, bytes] = [`${base}.json`, 'application/json', new TextEncoder().encode(JSON.stringify(record, null, 2))]
    } else if (format === 'junit') {
      const render = await engineFunction<RenderJunit>('@engine/report/index', 'renderJunit', 'The JUnit report renderer')
      ;[fileName, mime, bytes] = [`${base}.junit.xml`, 'application/xml', new TextEncoder().encode(render(record))]
    } else {
      const html = await this.html(id, lang)
      if (format === 'html') [fileName, mime, bytes] = [`${base}.${lang}.html`, 'text/html', new TextEncoder().encode(html)]
      else [fileName, mime, bytes] = [`${base}.${lang}.pdf`, 'application/pdf', await this.pdf(html, record)]
    }
    const dir = join(this.resultsDir(), 'exports')
    mkdirSync(dir, { recursive: true })
    const path = join(dir, fileName)
    writeFileSync(path, bytes)
    return { fileName, mime, base64: Buffer.from(bytes).toString('base64'), path }
  }

  /** Pass rate per step and the most frequent remediation codes over every record. */
  yieldSummary(): YieldView {
    const records = this.scan().map((r) => r.record)
    const steps = new Map<string, { runs: number; passed: number }>()
    const causes = new Map<string, number>()
    for (const r of records) {
      for (const s of r.steps) {
        const e = steps.get(s.id) ?? { runs: 0, passed: 0 }
        if (s.verdict !== 'pending' && s.verdict !== 'skipped') e.runs++
        if (s.verdict === 'pass') e.passed++
        steps.set(s.id, e)
        const code = s.attempts.at(-1)?.remediation?.code
        if (code && s.verdict === 'fail') causes.set(code, (causes.get(code) ?? 0) + 1)
      }
    }
    return {
      total: records.length,
      passed: records.filter((r) => r.verdict === 'pass').length,
      steps: [...steps].map(([id, v]) => ({ id, ...v })),
      causes: [...causes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count).slice(0, 8),
    }
  }

  private scan(): { file: string; record: RunRecord }[] {
    const root = this.resultsDir()
    if (!existsSync(root)) return []
    const files: string[] = []
    for (const name of readdirSync(root)) {
      const p = join(root, name)
      if (name.endsWith('.json')) files.push(p)
      else if (name !== 'exports' && safeIsDir(p)) for (const inner of readdirSync(p)) if (inner.endsWith('.json')) files.push(join(p, inner))
    }
    const out: { file: string; record: RunRecord }[] = []
    for (const file of files) {
      try {
        const record = JSON.parse(readFileSync(file, 'utf8')) as RunRecord
        if (record && typeof record.id === 'string' && Array.isArray(record.steps) && record.unit && typeof record.unit.serial === 'string') out.push({ file, record })
      } catch {
        /* not a record: other JSON files live in the results folder too */
      }
    }
    return out
  }
}

function safeIsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)
}
