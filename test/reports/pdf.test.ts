import { stepTitle } from '../../src-shared/i18n/render'
import { translator } from '../../src-shared/i18n/translate'
import { describe, expect, it, beforeAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findChromium, writePdf, writeReports, verifyFile, recordDigest, maskRecord } from '@engine/report/index'
import { failingRecord, FIXTURE_PASSWORD, passingRecord } from './fixtures/records'
import { flipByte, hasCjkFont, hasTool } from './helpers/tools'
import { writeFileSync } from 'node:fs'
import { keyedText } from '@shared/i18n/render'

const chromium = findChromium()
const ready = !!chromium.path && hasTool('pdftoppm') && hasTool('pdftotext')
const dir = mkdtempSync(join(tmpdir(), 'k230-pdf-'))

function pdfText(file: string): string {
  const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  expect(r.status, r.stderr).toBe(0)
  return r.stdout
}

function pages(file: string, prefix: string): string[] {
  const r = spawnSync('pdftoppm', ['-r', '50', '-png', file, join(dir, prefix)], { encoding: 'utf8' })
  expect(r.status, r.stderr).toBe(0)
  return readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.png')).sort().map((f) => join(dir, f))
}

function inkFraction(file: string, page: number): number {
  const out = join(dir, `gray-${page}`)
  const r = spawnSync('pdftoppm', ['-r', '30', '-gray', '-f', String(page), '-l', String(page), '-singlefile', file, out])
  expect(r.status).toBe(0)
  const pgm = readFileSync(`${out}.pgm`)
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'))!
  const pixels = pgm.subarray(header[0].length)
  let dark = 0
  for (const p of pixels) if (p < 200) dark++
  return dark / pixels.length
}

describe.skipIf(!ready)(`PDF via Chromium (${chromium.path ?? 'none found'})`, () => {
  const files: Record<string, string> = {}
  beforeAll(async () => {
    files.pass = join(dir, 'pass.pdf')
    files.fail = join(dir, 'fail.pdf')
    files.zh = join(dir, 'fail-zh.pdf')
    await Promise.all([writePdf(passingRecord(), files.pass), writePdf(failingRecord(), files.fail), writePdf(failingRecord(), files.zh, { lang: 'zh-CN' })])
  }, 120_000)

  it('prints A4 pages whose text has every step name, the header (unit, date) and footer (digest, page numbers)', () => {
    for (const [name, record] of [['pass', passingRecord()], ['fail', failingRecord()]] as const) {
      const pdfinfo = spawnSync('pdfinfo', [files[name]], { encoding: 'utf8' })
      expect(pdfinfo.stderr).toBe('')
      const info = pdfinfo.stdout
      expect(info).toMatch(/Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)/)
      expect(info).toMatch(new RegExp(`Keywords:\\s+k230-record-sha256:${recordDigest(maskRecord(record))}`))
      expect(info).toMatch(new RegExp(`Title:\\s+K230 Bring-up report · ${record.unit.serial}`))
      expect(info).toMatch(new RegExp(`Subject:\\s+K230 Bring-up report of run ${record.id}, unit ${record.unit.serial}, record SHA-256 ${recordDigest(maskRecord(record))}`))
      const text = pdfText(files[name]).replace(/\s+/g, ' ')
      for (const step of record.steps) expect(text).toContain(stepTitle(translator('en'), step.id))
      expect(text).toContain(`Serial ${record.unit.serial}`)
      expect(text).toContain('2026-11-24 08:15:02 UTC')
      expect(text).toMatch(/Page 1 of \d/)
      expect(text).toContain(`SHA-256 ${recordDigest(maskRecord(record))}`)
      expect(text).not.toContain(FIXTURE_PASSWORD)
    }
    expect(pdfText(files.fail)).toContain('option-vidpid-missing')
  })

  it('carries its title and subject in the report’s language (pdfinfo)', () => {
    const record = failingRecord()
    const info = spawnSync('pdfinfo', ['-enc', 'UTF-8', files.zh], { encoding: 'utf8' })
    expect(info.status, info.stderr).toBe(0)
    const t = translator('zh-CN')
    const subject = t('report.pdfSubject', { id: record.id, serial: record.unit.serial, digest: recordDigest(maskRecord(record)) })
    expect(subject).toMatch(/[\u4e00-\u9fff]/)
    expect(info.stdout).toMatch(/^Subject:\s+(.*)$/m)
    expect(/^Subject:\s+(.*)$/m.exec(info.stdout)?.[1]).toBe(subject)
    expect(/^Title:\s+(.*)$/m.exec(info.stdout)?.[1]).toBe(`${t('report.reportTitle')} · ${record.unit.serial} · ${t('report.verdictWord.fail')}`)
    expect(info.stdout).toMatch(/^Keywords:\s+k230-record-sha256:[0-9a-f]{64} /m)
  })

  it('turns into non-blank PNG pages with pdftoppm', () => {
    const png = pages(files.pass, 'pass-page')
    expect(png.length).toBeGreaterThanOrEqual(2)
    for (const f of png) {
      expect(readFileSync(f).subarray(1, 4).toString()).toBe('PNG')
      expect(statSync(f).size).toBeGreaterThan(5000)
    }
    for (let page = 1; page <= png.length; page++) {
      const ink = inkFraction(files.pass, page)
      expect(ink).toBeGreaterThan(0.005)
      expect(ink).toBeLessThan(0.6)
    }
  })

  it.skipIf(!hasCjkFont())('Simplified Chinese PDF has the Chinese labels and page numbers', () => {
    const text = pdfText(files.zh).replace(/\s+/g, ' ')
    for (const label of ['K230 上电调试报告', '检查清单', '处理建议', '内核驱动与配置项', '失败']) expect(text).toContain(label)
    expect(text).toMatch(/第 1 页，共 \d 页/)
  })

  it('verify says intact for the printed PDF and altered after any one byte changes', async () => {
    expect((await verifyFile(files.pass)).status).toBe('intact')
    const bytes = readFileSync(files.pass)
    for (const index of [20, Math.floor(bytes.length / 2), bytes.length - 80, bytes.length - 3]) {
      const file = join(dir, `flip-${index}.pdf`)
      writeFileSync(file, flipByte(bytes, index))
      expect((await verifyFile(file)).status, `byte ${index}`).toBe('altered')
    }
  })
})

describe('PDF without a Chromium', () => {
  it('writeReports still writes the other formats and says clearly that no Chromium was found', async () => {
    const out = mkdtempSync(join(tmpdir(), 'k230-nochrome-'))
    const result = await writeReports(passingRecord(), out, ['json', 'html', 'pdf'], { env: { PATH: '', K230_CHROMIUM: '/nonexistent/chromium' } })
    expect(result.files.pdf).toBeUndefined()
    expect(existsSync(result.files.html!)).toBe(true)
    expect(result.warnings.map((w) => keyedText(translator('en'), w)).join('\n')).toMatch(/No Chromium found for PDF output \(K230_CHROMIUM=\/nonexistent\/chromium is not an executable file\).*set K230_CHROMIUM/)
    expect(result.warnings.map((w) => keyedText(translator('zh-CN'), w)).join('\n')).toMatch(/^找不到用于生成 PDF 的 Chromium（K230_CHROMIUM=\/nonexistent\/chromium 不是可执行文件）/)
  })

  it('findChromium looks at K230_CHROMIUM, then PATH, then common locations', () => {
    expect(findChromium({ PATH: '', K230_CHROMIUM: '/nonexistent' }).path).toBeUndefined()
    const none = findChromium({ PATH: '/nonexistent-dir' })
    expect(none.tried).toContain('/nonexistent-dir/chromium')
    expect(none.tried).toContain('/usr/bin/chromium')
  })
})

describe.skipIf(!ready)('PDF printed by another Chromium host (the Electron path)', () => {
  it('electronPrintOptions + finishPdf give a PDF that verify accepts, with the digest in its keywords', async () => {
    const { electronPrintOptions, finishPdf, renderHtml, CHROMIUM_ARGS } = await import('@engine/report/index')
    const { chromium: pw } = await import('playwright-core')
    const record = failingRecord()
    const options = electronPrintOptions(record, 'en')
    expect(options.pageSize).toBe('A4')
    expect(options.footerTemplate).toContain('class="pageNumber"')
    expect(options.headerTemplate).toContain(record.unit.serial)
    const browser = await pw.launch({ executablePath: chromium.path, args: CHROMIUM_ARGS })
    try {
      const page = await browser.newPage()
      await page.setContent(renderHtml(record, { transcriptOpen: true }))
      const raw = await page.pdf({ format: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: options.headerTemplate, footerTemplate: options.footerTemplate, margin: { top: '18mm', bottom: '16mm' } })
      const file = join(dir, 'electron-path.pdf')
      writeFileSync(file, finishPdf(raw, record))
      const result = await verifyFile(file)
      expect(result.status).toBe('intact')
      expect(result.digest).toBe(recordDigest(maskRecord(record)))
    } finally {
      await browser.close()
    }
  }, 60_000)
})

describe.skipIf(!ready)('long transcripts in the PDF', () => {
  it('a transcript over the print limit prints its first and last lines and names the gap', async () => {
    const record = passingRecord()
    record.transcript = Array.from({ length: 6000 }, (_, i) => ({ t: i * 5, dir: 'rx' as const, text: `console line ${i} end` }))
    const file = join(dir, 'long.pdf')
    await writePdf(record, file, { transcriptLimit: 500 })
    const text = pdfText(file).replace(/\s+/g, ' ')
    expect(text).toContain('console line 0 end')
    expect(text).toContain('console line 99 end')
    expect(text).toContain('console line 5999 end')
    expect(text).toContain('5500 lines left out of the printed copy')
    expect(text).not.toContain('console line 3000 end')
  }, 120_000)
})

describe.skipIf(!ready)('yield summary PDF', () => {
  it('history yield --pdf prints the table and chart with page numbers, sealed', async () => {
    const { main } = await import('../../src-cli/main')
    const { captureIo } = await import('./helpers/io')
    const results = mkdtempSync(join(tmpdir(), 'k230-yieldpdf-'))
    await writeReports(passingRecord(), results, ['json'])
    await writeReports(failingRecord(), results, ['json'])
    const io = captureIo(results)
    expect(await main(['history', 'yield', '--results', results, '--pdf', 'yield.pdf'], io), io.err()).toBe(0)
    const file = join(results, 'yield.pdf')
    const text = pdfText(file).replace(/\s+/g, ' ')
    for (const s of ['K230 Bring-up yield summary', 'Pass rate per step', 'Kernel drivers and options', '50.0 % (1/2)', 'option-vidpid-missing', 'Page 1 of']) expect(text).toContain(s)
    expect((await verifyFile(file)).status).toBe('intact')
  }, 60_000)
})
