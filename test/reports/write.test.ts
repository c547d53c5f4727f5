import { describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { loadIndex, parseFormats, renderHtml, reportBaseName, verifyFile, writeReports } from '@engine/report/index'
import { failingRecord, passingRecord } from './fixtures/records'
import { testStation } from './helpers/keys'

describe('writeReports', () => {
  it('keeps every file inside the output folder whatever the serial and id contain', async () => {
    const out = mkdtempSync(join(tmpdir(), 'k230-write-'))
    const record = { ...passingRecord(), id: '../../x', unit: { serial: '../../etc/passwd\u0000 <b>' } }
    const result = await writeReports(record, out, ['json', 'html', 'junit', 'csv'])
    for (const file of Object.values(result.files)) expect(dirname(file!)).toBe(out)
    expect(reportBaseName(record)).toBe('etc-passwd-b_20261124T081502Z_x')
    expect(readdirSync(out).every((f) => !f.includes('..'))).toBe(true)
  })

  it('an unfinished (recovered) record still renders and verifies, marked as such', async () => {
    const out = mkdtempSync(join(tmpdir(), 'k230-write-'))
    const record = { ...failingRecord(), status: 'interrupted' as const, verdict: 'interrupted' as const, endedAt: undefined }
    record.steps[5] = { ...record.steps[5], verdict: 'running', attempts: [] }
    const station = testStation()
    const result = await writeReports(record, out, ['json', 'html', 'junit'], { signer: station.key })
    expect(renderHtml(record)).toMatch(/Overall verdict<\/div><span class="badge v-interrupted">INTERRUPTED/)
    expect(readFileSync(result.files.junit!, 'utf8')).toContain('<skipped message="not run (running)"/>')
    for (const file of Object.values(result.files)) expect((await verifyFile(file!, station.trusted)).status).toBe('intact')
    expect((await loadIndex(out)).entries[0]).toMatchObject({ verdict: 'interrupted', serial: 'K230-EVB-0043' })
  })

  it('rewriting the same record replaces its index entry instead of duplicating it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'k230-write-'))
    await writeReports(passingRecord(), out, ['json'])
    await writeReports(passingRecord(), out, ['json'])
    expect((await loadIndex(out)).entries).toHaveLength(1)
  })

  it('parseFormats accepts a comma list and names an unknown format', () => {
    expect(parseFormats(' HTML, junit,html ')).toEqual(['html', 'junit'])
    expect(() => parseFormats('html,xlsx')).toThrow("unknown format 'xlsx'")
    expect(() => parseFormats(',')).toThrow('no format given')
  })
})
