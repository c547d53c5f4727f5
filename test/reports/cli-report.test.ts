import { describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src-cli/main'
import { renderJson, sealedRecord, signRecord, verifyFile } from '@engine/report/index'
import { FIXTURE_PASSWORD } from './fixtures/records'
import { captureIo } from './helpers/io'
import { testStation } from './helpers/keys'

const FIXTURES = join(__dirname, 'fixtures')
const station = testStation('line-1')
const signedDir = mkdtempSync(join(tmpdir(), 'k230-signed-'))

/** A fixture record as the station that ran it would have written it: masked, sealed and signed. */
function signedFixture(name: string): string {
  const file = join(signedDir, `${name}.record.json`)
  writeFileSync(file, renderJson(signRecord(sealedRecord(JSON.parse(readFileSync(join(FIXTURES, `${name}.record.json`), 'utf8'))), station.key)))
  return file
}

describe('k230-bringup report', () => {
  it('renders a saved record to the named formats in --out, all verifiable, none with the password', async () => {
    const out = mkdtempSync(join(tmpdir(), 'k230-cli-'))
    const io = captureIo(out, station.env)
    const code = await main(['report', signedFixture('failing'), '--format', 'json,html,junit,csv', '--out', out, '--lang', 'zh-CN'], io)
    expect(code, io.err()).toBe(0)
    expect(io.out()).toMatch(/^json {2}.*K230-EVB-0043_20261124T081502Z_9b2d4e61\.json$/m)
    expect(io.out()).toMatch(/^html {2}.*\.zh-CN\.html$/m)
    expect(io.out()).toMatch(/^摘要 [0-9a-f]{64}$/m)
    const written = readdirSync(out).filter((f) => !f.endsWith('.lock'))
    expect(written.sort()).toEqual(['K230-EVB-0043_20261124T081502Z_9b2d4e61.json', 'K230-EVB-0043_20261124T081502Z_9b2d4e61.junit.xml', 'K230-EVB-0043_20261124T081502Z_9b2d4e61.zh-CN.html', 'index.json', 'ledger.csv'])
    for (const f of written) {
      expect(readFileSync(join(out, f), 'utf8')).not.toContain(FIXTURE_PASSWORD)
      if (f !== 'index.json') expect((await verifyFile(join(out, f), station.trusted)).status).toBe('intact')
    }
    expect(readFileSync(join(out, 'K230-EVB-0043_20261124T081502Z_9b2d4e61.zh-CN.html'), 'utf8')).toContain('检查清单')
  })

  it('default formats are JSON, HTML and JUnit, written next to the record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-cli-'))
    writeFileSync(join(dir, 'rec.json'), readFileSync(signedFixture('passing')))
    const io = captureIo(dir, station.env)
    expect(await main(['report', 'rec.json'], io)).toBe(0)
    expect(existsSync(join(dir, 'K230-EVB-0042_20261124T081502Z_3f1c9a52.junit.xml'))).toBe(true)
    expect(existsSync(join(dir, 'K230-EVB-0042_20261124T081502Z_3f1c9a52.html'))).toBe(true)
    expect(existsSync(join(dir, 'ledger.csv'))).toBe(false)
  })

  it('refuses a record altered after it was written (exit 1) or not signed by a trusted station (exit 6), writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-cli-'))
    const record = JSON.parse(readFileSync(signedFixture('failing'), 'utf8'))
    record.verdict = 'pass'
    writeFileSync(join(dir, 'tampered.json'), renderJson(record))
    let io = captureIo(dir, station.env)
    expect(await main(['report', 'tampered.json', '--format', 'html', '--out', join(dir, 'out')], io)).toBe(1)
    expect(io.err()).toMatch(/REFUSED .*tampered\.json was altered after it was written/)
    expect(existsSync(join(dir, 'out'))).toBe(false)
    io = captureIo(dir, station.env)
    expect(await main(['report', join(FIXTURES, 'failing.record.json'), '--format', 'html', '--out', join(dir, 'out')], io)).toBe(6)
    expect(io.err()).toMatch(/REFUSED .*is not signed by a station trusted here[\s\S]*carries no station signature/)
    io = captureIo(dir, testStation('elsewhere').env)
    expect(await main(['report', signedFixture('failing'), '--format', 'html', '--out', join(dir, 'out')], io)).toBe(6)
    expect(io.err()).toMatch(/station 'line-1'.*not trusted here/)
    expect(existsSync(join(dir, 'out'))).toBe(false)
  })

  it('bad input gives exit 2 and a message naming what was wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-cli-'))
    writeFileSync(join(dir, 'broken.json'), '{"schemaVersion": 1, "id": ')
    const record = JSON.parse(readFileSync(join(FIXTURES, 'passing.record.json'), 'utf8'))
    record.steps[2].attempts[0].durationMs = 'slow'
    writeFileSync(join(dir, 'invalid.json'), JSON.stringify(record))
    const cases: Array<[string[], RegExp]> = [
      [['report', 'broken.json'], /broken\.json is not JSON/],
      [['report', 'invalid.json'], /not a valid run record:\n\s+\/steps\/2\/attempts\/0\/durationMs must be number/],
      [['report', 'missing.json'], /cannot read .*missing\.json/],
      [['report', 'invalid.json', '--format', 'html,docx'], /unknown format 'docx'/],
      [['report', 'invalid.json', '--lang', 'fr'], /unknown language 'fr'/],
      [['report'], /no record file given/],
    ]
    for (const [argv, pattern] of cases) {
      const io = captureIo(dir)
      expect(await main(argv, io), argv.join(' ')).toBe(2)
      expect(io.err()).toMatch(pattern)
    }
  })
})
