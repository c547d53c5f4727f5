import { describe, expect, it, beforeAll } from 'vitest'
import fc from 'fast-check'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { verifyBytes, verifyFile, writeReports, renderYieldHtml, summarizeYield, indexEntry, sealedRecord } from '@engine/report/index'
import { main } from '../../src-cli/main'
import { failingRecord, passingRecord } from './fixtures/records'
import { captureIo } from './helpers/io'
import { flipByte } from './helpers/tools'
import { testStation } from './helpers/keys'
import { fcSeed } from '../setup/fast-check'

const station = testStation()

const out = mkdtempSync(join(tmpdir(), 'k230-verify-'))
const files: Record<string, string> = {}

beforeAll(async () => {
  const pass = await writeReports(passingRecord(), out, ['json', 'html', 'junit', 'csv'], { signer: station.key })
  const fail = await writeReports(failingRecord(), out, ['json', 'html', 'junit', 'csv'], { lang: 'zh-CN', signer: station.key })
  Object.assign(files, { json: pass.files.json, html: pass.files.html, junit: pass.files.junit, csv: pass.files.csv, zhHtml: fail.files.html, failJson: fail.files.json })
  files.yield = join(out, 'yield.html')
  const summary = summarizeYield([indexEntry(sealedRecord(passingRecord()), 'a.json'), indexEntry(sealedRecord(failingRecord()), 'b.json')])
  writeFileSync(files.yield, renderYieldHtml(summary))
})

describe('verify', () => {
  it('says intact for every freshly written report', async () => {
    for (const [name, file] of Object.entries(files)) {
      const result = await verifyFile(file, station.trusted)
      expect(result.status, `${name}: ${result.details.join('; ')}`).toBe('intact')
    }
  })

  for (const name of ['json', 'html', 'junit', 'csv', 'zhHtml', 'yield']) {
    it(`${name}: changing any one byte makes verify fail`, () => {
      const bytes = readFileSync(files[name])
      fc.assert(
        fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, delta) => {
          const result = verifyBytes(flipByte(bytes, index, delta), station.trusted)
          expect(result.status, `byte ${index} +${delta}: ${result.details.join('; ')}`).not.toBe('intact')
        }),
        { seed: fcSeed(), numRuns: 150 },
      )
    })
  }

  it('a reformatted but otherwise equal JSON record is reported as altered, with the reason', () => {
    const text = readFileSync(files.json, 'utf8')
    const result = verifyBytes(Buffer.from(JSON.stringify(JSON.parse(text))), station.trusted)
    expect(result.status).toBe('altered')
    expect(result.details.join('\n')).toMatch(/signed by station 'test-station'[\s\S]*canonical form/)
  })

  it('an edited verdict in the JSON is caught by the digest', () => {
    const record = JSON.parse(readFileSync(files.failJson, 'utf8'))
    record.verdict = 'pass'
    const result = verifyBytes(Buffer.from(JSON.stringify(record, null, 2) + '\n'), station.trusted)
    expect(result.status).toBe('altered')
    expect(result.details[0]).toMatch(/does not match its content/)
  })

  it('names the altered ledger line', async () => {
    const text = readFileSync(files.csv, 'utf8').replace(',pass,', ',fail,')
    const result = verifyBytes(Buffer.from(text))
    expect(result.status).toBe('altered')
    expect(result.details.join('\n')).toMatch(/rows altered on line\(s\) 2/)
  })

  it('CLI exits 0 intact, 1 altered, 2 unreadable', async () => {
    const altered = join(out, 'altered.junit.xml')
    writeFileSync(altered, readFileSync(files.junit, 'utf8').replace('K230-EVB-0042', 'K230-EVB-0099'))
    const junk = join(out, 'junk.bin')
    writeFileSync(junk, Buffer.from([0, 1, 2, 3]))
    const cases: Array<[string, number, RegExp]> = [
      [files.html, 0, /intact \(html\)/],
      [altered, 1, /ALTERED \(junit\)[\s\S]*report seal/],
      [join(out, 'missing.json'), 2, /unreadable[\s\S]*cannot read/],
      [junk, 2, /unreadable[\s\S]*unknown format/],
    ]
    for (const [file, code, pattern] of cases) {
      const io = captureIo(out, station.env)
      expect(await main(['verify', file], io)).toBe(code)
      expect(io.out()).toMatch(pattern)
    }
    const io = captureIo(out)
    expect(await main(['verify'], io)).toBe(2)
    expect(io.err()).toMatch(/no file given/)
  })
})
