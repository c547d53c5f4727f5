import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appendLedger, csvField, LEDGER_COLUMNS, LEDGER_HEADER, parseCsv, readLedger, renderLedgerRow } from '@engine/report/index'
import fc from 'fast-check'
import { failingRecord, FIXTURE_PASSWORD, passingRecord } from './fixtures/records'
import { fcSeed } from '../setup/fast-check'

const ROOT = join(__dirname, '../..')

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += String(d)))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'k230-ledger-'))
}

describe('CSV ledger', () => {
  it('opens with an RFC 4180 parser: one header, one row per unit, figures in their columns', async () => {
    const file = join(tempDir(), 'results', 'ledger.csv')
    await appendLedger(file, passingRecord())
    await appendLedger(file, failingRecord())
    const { rows, endsWithNewline, unterminatedQuote } = parseCsv(readFileSync(file, 'utf8'))
    expect(endsWithNewline).toBe(true)
    expect(unterminatedQuote).toBe(false)
    expect(rows[0]).toEqual([...LEDGER_COLUMNS])
    expect(rows).toHaveLength(3)
    const record = (i: number) => Object.fromEntries(LEDGER_COLUMNS.map((c, k) => [c, rows[i][k]]))
    expect(record(1)).toMatchObject({ serial: 'K230-EVB-0042', verdict: 'pass', signal_dbm: '-71', ecm_loss_pct: '0', ecm_rtt_ms: '46.2', ppp_rtt_ms: '62.4', duration_s: '72.0' })
    expect(record(2)).toMatchObject({ serial: 'K230-EVB-0043', verdict: 'fail', failed_steps: 'drivers ecm.net', failure_codes: 'option-vidpid-missing weak-signal', ecm_loss_pct: '60' })
    expect(record(1).record_digest).toMatch(/^[0-9a-f]{64}$/)
    expect(readFileSync(file, 'utf8')).not.toContain(FIXTURE_PASSWORD)
  })

  it('round-trips hostile field text (commas, quotes, newlines) and defuses spreadsheet formulas', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        const line = [csvField(value), csvField('x')].join(',') + '\n'
        const parsed = parseCsv(line).rows
        expect(parsed).toHaveLength(1)
        const expected = value.replace(/\r\n|\r|\n/g, ' ')
        const got = parsed[0][0]
        expect(got === expected || got === `'${expected}`).toBe(true)
        expect(parsed[0][1]).toBe('x')
      }),
      { seed: fcSeed(), numRuns: 300 },
    )
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvField('-71')).toBe('-71')
  })

  it('survives two concurrent writer processes: 400 intact rows, header once', async () => {
    const file = join(tempDir(), 'ledger.csv')
    const helper = join('test', 'reports', 'helpers', 'append-many.ts')
    const [a, b] = await Promise.all([run([helper, file, 'A', '200']), run([helper, file, 'B', '200'])])
    expect(a.code, a.stderr).toBe(0)
    expect(b.code, b.stderr).toBe(0)
    const text = readFileSync(file, 'utf8')
    const ledger = await readLedger(file)
    expect(ledger.headerOk).toBe(true)
    expect(ledger.tornTail).toBeUndefined()
    expect(ledger.alteredLines).toEqual([])
    expect(ledger.rows).toHaveLength(400)
    expect(text.split(LEDGER_HEADER).length - 1).toBe(1)
    const ids = new Set(ledger.rows.map((r) => r.record_id))
    expect(ids.size).toBe(400)
    expect(ledger.rows.filter((r) => r.record_id.startsWith('A-'))).toHaveLength(200)
    expect(parseCsv(text).rows.every((r) => r.length === LEDGER_COLUMNS.length)).toBe(true)
    expect(existsSync(`${file}.lock`)).toBe(false)
  }, 120_000)

  it('a crash mid-write leaves a torn last line that is detected, moved aside and never merged into other rows', async () => {
    const file = join(tempDir(), 'ledger.csv')
    await appendLedger(file, passingRecord())
    const torn = renderLedgerRow(failingRecord()).slice(0, 57)
    appendFileSync(file, torn)
    const before = await readLedger(file)
    expect(before.tornTail).toBe(torn)
    expect(before.rows).toHaveLength(1)
    const result = await appendLedger(file, failingRecord())
    expect(result.repairedBytes).toBe(torn.length)
    const after = await readLedger(file)
    expect(after.tornTail).toBeUndefined()
    expect(after.alteredLines).toEqual([])
    expect(after.rows.map((r) => r.serial)).toEqual(['K230-EVB-0042', 'K230-EVB-0043'])
    expect(readFileSync(`${file}.torn`, 'utf8')).toContain(torn)
  })

  it('a torn header (crash while creating the file) is repaired too', async () => {
    const file = join(tempDir(), 'ledger.csv')
    writeFileSync(file, LEDGER_HEADER.slice(0, 30))
    await appendLedger(file, passingRecord())
    const ledger = await readLedger(file)
    expect(ledger.headerOk).toBe(true)
    expect(ledger.rows).toHaveLength(1)
  })

  it('breaks a lock left by a dead process instead of waiting forever', async () => {
    const file = join(tempDir(), 'ledger.csv')
    writeFileSync(`${file}.lock`, `999999999\n${(await import('node:os')).hostname()}\n2026-01-01T00:00:00Z\n`)
    await appendLedger(file, passingRecord(), { timeoutMs: 5000 })
    expect((await readLedger(file)).rows).toHaveLength(1)
    expect(existsSync(`${file}.lock`)).toBe(false)
  })

  it('a writer killed while holding the lock does not block the next one', async () => {
    const file = join(tempDir(), 'ledger.csv')
    const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'reports', 'helpers', 'hold-lock.ts'), `${file}.lock`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('locked') && resolve())
      child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)))
    })
    expect(existsSync(`${file}.lock`)).toBe(true)
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
    await appendLedger(file, passingRecord(), { timeoutMs: 10_000 })
    expect((await readLedger(file)).rows).toHaveLength(1)
  }, 30_000)

  it('refuses to append to a file that is not a ledger with these columns, and says so', async () => {
    const file = join(tempDir(), 'ledger.csv')
    writeFileSync(file, 'name,score\nbob,3\n')
    await expect(appendLedger(file, passingRecord())).rejects.toThrow(/not a k230-bringup ledger/)
    expect(readFileSync(file, 'utf8')).toBe('name,score\nbob,3\n')
  })
})
