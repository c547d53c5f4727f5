import { stepTitle } from '../../src-shared/i18n/render'
import { translator } from '../../src-shared/i18n/translate'
import { describe, expect, it } from 'vitest'
import { renderHtml, renderJson, renderJunit, renderLedgerRow, pdfHeaderTemplate, pdfFooterTemplate, recordDigest, maskRecord } from '@engine/report/index'
import fc from 'fast-check'
import { failingRecord, FIXTURE_PASSWORD, passingRecord, erroredRecord } from './fixtures/records'
import { fcSeed } from '../setup/fast-check'

function text(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, ' ')
}

describe('HTML run report', () => {
  it('passing record: identity, verdict, every step with a pass mark, measurements with limits and units, timings', () => {
    const record = passingRecord()
    const html = renderHtml(record)
    const visible = text(html)
    expect(visible).toContain('K230-EVB-0042')
    expect(visible).toContain('868371050123456')
    expect(visible).toContain('89860121801234567890')
    expect(visible).toMatch(/Overall verdict\s+PASS/)
    for (const step of record.steps) expect(visible).toContain(stepTitle(translator('en'), step.id))
    expect(html.match(/class="mark m-pass"/g)!.length).toBeGreaterThanOrEqual(14)
    expect(visible).toMatch(/Signal \(CSQ\)\s+-71 dBm\s+≥ -105 dBm\s+PASS/)
    expect(visible).toMatch(/Packet loss\s+0%\s+≤ 20%\s+PASS/)
    expect(visible).toMatch(/RTT average\s+46\.2 ms\s+≤ 300 ms\s+PASS/)
    expect(visible).toContain('No failures: nothing to remediate.')
    expect(visible).toMatch(/Duration\s+1 min 12 s/)
  })

  it('failing record: FAIL verdict, remediation per failure with code, cause and fix, skipped marks, earlier errored attempt', () => {
    const html = renderHtml(failingRecord())
    const visible = text(html)
    expect(visible).toMatch(/Overall verdict\s+FAIL/)
    expect(visible).toContain('option-vidpid-missing')
    expect(visible).toContain('USB_DEVICE_AND_INTERFACE_INFO(0x2c7c, 0x6005, 0xff, 0, 0)')
    expect(visible).toContain('weak-signal')
    expect(visible).toMatch(/Packet loss\s+60%\s+≤ 20%\s+FAIL/)
    expect(html.match(/class="mark m-skipped"/g)!.length).toBeGreaterThanOrEqual(6)
    expect(visible).toMatch(/Earlier attempts #1/)
    expect(visible).toContain('No shell prompt within 30 s')
  })

  it('errored record shows ERROR with the error code and the aborted step', () => {
    const visible = text(renderHtml(erroredRecord()))
    expect(visible).toMatch(/Overall verdict\s+ERROR/)
    expect(visible).toContain('link-lost')
    expect(visible).toContain('ABORTED')
    expect(visible).toContain('console link lost')
  })

  it('transcript is collapsible with kernel messages marked and faults highlighted', () => {
    const html = renderHtml(failingRecord())
    expect(html).toMatch(/<details><summary>Transcript: \d+ lines, 4 kernel messages<\/summary>/)
    expect(html).toMatch(/<span class="l k" title="kernel"><span class="t">\+0\.120<\/span> <span class="d">K<\/span> \[ {4}3\.164090\]/)
    expect(html).toMatch(/<span class="l k kf"[^>]*>.*Unable to handle kernel paging request/)
    expect(renderHtml(failingRecord(), { transcriptOpen: true })).toContain('<details open>')
    expect(html).not.toMatch(/\u001b/)
  })

  it('a transcript limit keeps the first and last lines and states how many were left out', () => {
    const record = passingRecord()
    record.transcript = Array.from({ length: 1000 }, (_, i) => ({ t: i, dir: 'rx' as const, text: `line-${i}-end` }))
    const html = text(renderHtml(record, { transcriptLimit: 100 }))
    expect(html).toContain('line-0-end')
    expect(html).toContain('line-19-end')
    expect(html).not.toContain('line-20-end')
    expect(html).not.toContain('line-919-end')
    expect(html).toContain('line-920-end')
    expect(html).toContain('line-999-end')
    expect(html).toContain('… 900 lines left out of the printed copy')
    expect(renderHtml(record)).toContain('line-500-end')
  })

  it('is self-contained: no scripts run, no external links, images or fonts', () => {
    const html = renderHtml(passingRecord())
    expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|@import|url\(|https?:\/\/(?!k230-bringup\.invalid)(?!www\.w3\.org\/2000\/svg)/i)
    const scripts = html.match(/<script[^>]*>/g) ?? []
    expect(scripts).toEqual(['<script type="application/json" id="k230-record">'])
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`)
  })

  it('Simplified Chinese render has Chinese labels, step names and verdicts', () => {
    const visible = text(renderHtml(failingRecord(), { lang: 'zh-CN' }))
    for (const label of ['K230 上电调试报告', '检查清单', '测量值', '处理建议', '时间统计', '串口记录', '总体结论', '序列号', '内核驱动与配置项', 'ECM 网络连通性', '现场操作', '参考流程 § 2.1.2', '失败', '跳过', '通过'])
      expect(visible).toContain(label)
    expect(renderHtml(failingRecord(), { lang: 'zh-CN' })).toContain('<html lang="zh-CN">')
  })

  it('carries the record digest in a meta tag, the visible footer and the embedded record', () => {
    const record = passingRecord()
    const digest = recordDigest(maskRecord(record))
    const html = renderHtml(record)
    expect(html).toContain(`<meta name="k230-record-digest" content="${digest}">`)
    expect(text(html)).toContain(`Record SHA-256: ${digest}`)
    expect(JSON.parse(renderJson(record)).digest).toBe(digest)
  })

  it('escapes hostile text from the board and never lets it open a tag', () => {
    const record = failingRecord()
    record.steps[3].attempts[0].reason = '<script>alert(1)</script>'
    record.transcript.push({ t: 1, dir: 'rx', text: '</pre><img src=x onerror=alert(2)>' })
    record.unit.serial = '"><b>x'
    const html = renderHtml(record)
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('"><b>x')
    expect(text(html)).toContain('<script>alert(1)</script>')
  })

  it('does not crash on a record missing its steps and transcript', () => {
    const record = { ...passingRecord(), steps: undefined, transcript: undefined } as unknown as ReturnType<typeof passingRecord>
    expect(() => renderHtml(record)).not.toThrow()
    expect(() => renderJunit(record)).not.toThrow()
  })

  it('the PPP password appears in no rendered format, escaped or base64-encoded', () => {
    for (const record of [passingRecord(), failingRecord(), erroredRecord()]) {
      const outputs = [renderHtml(record), renderHtml(record, { lang: 'zh-CN', transcriptOpen: true }), renderJson(record), renderJunit(record), renderLedgerRow(record), pdfHeaderTemplate(record)]
      for (const out of outputs) {
        expect(out).not.toContain(FIXTURE_PASSWORD)
        expect(out).not.toContain('Qx7!pp-S3cret&amp;')
        expect(out).not.toContain(JSON.stringify(FIXTURE_PASSWORD).slice(1, -1))
      }
    }
    expect(renderHtml(passingRecord())).toContain('QL_PASSWORD=********')
    expect(pdfFooterTemplate(passingRecord(), 'f'.repeat(64))).toContain('pageNumber')
  })

  it('masks any password, whatever its characters, in every format', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6, maxLength: 24, unit: 'grapheme' }), (raw) => {
        const password = `P!${raw}`
        const record = passingRecord()
        record.profile.values.password = password
        record.transcript.push({ t: 99999, dir: 'tx', text: `pppd user x password "${password}"` }, { t: 99999, dir: 'tx', text: Buffer.from(`QL_PASSWORD=${password}\n`).toString('base64') })
        record.steps[6].attempts[0].evidence.excerpt = `pw=${password}`
        const outputs = [renderHtml(record), renderJson(record), renderJunit(record), renderLedgerRow(record)]
        const b64 = Buffer.from(password).toString('base64').slice(0, -4)
        for (const out of outputs) {
          expect(out.includes(password)).toBe(false)
          if (b64.length >= 8) expect(out.includes(b64)).toBe(false)
        }
      }),
      { seed: fcSeed(), numRuns: 60 },
    )
  })
})
