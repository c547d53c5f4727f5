import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from '@engine/console'
import { Checklist, checklistBoardFor } from '@engine/checklist/index'
import { resolveProfile } from '@engine/profile/index'
import { pppdQuote, shQuote } from '@engine/ppp/index'
import { findChromium, writeReports } from '@engine/report/index'
import type { RunRecord } from '@shared/record'
import { hasTool } from './helpers/tools'

const PASSWORDS = [' ', 'OK', 'a', 'password', 'Hunter2-Secret', `it's "q"\\x`]
const pdfReady = !!findChromium().path && hasTool('pdftotext')

/** What must never be readable in an output: the secret files' lines, the script's echo, and the bare password when it is distinctive. */
function needles(password: string): string[] {
  const list = [`password ${pppdQuote(password)}`, `QL_PASSWORD=${shQuote(password)}`, `password  ${password}   #`, `password "${password}"`, `password=${password}`]
  if (password.length >= 6 && /[^A-Za-z]/.test(password)) list.push(password)
  return list
}

function unescapeMarkup(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#x27;/g, "'").replace(/&amp;/g, '&')
}

function base64Decodings(text: string): string[] {
  const out: string[] = []
  const cleaned = text.replace(/\r/g, '').replace(/\n> ?/g, '\n')
  for (const match of cleaned.matchAll(/[A-Za-z0-9+/]{8,}={0,2}(?:\s+[A-Za-z0-9+/]{4,}={0,2})*/g)) {
    const run = match[0].replace(/\s+/g, '')
    for (let shift = 0; shift < 4; shift++) out.push(Buffer.from(run.slice(shift), 'base64').toString('latin1'))
  }
  return out
}

function hexDecodings(text: string): string[] {
  const out: string[] = []
  for (const match of text.matchAll(/(?:[0-9a-fA-F]{2}[\s:]?){4,}/g)) {
    const run = match[0].replace(/[\s:]/g, '')
    for (let shift = 0; shift < 2; shift++) out.push(Buffer.from(run.slice(shift, shift + Math.floor((run.length - shift) / 2) * 2), 'hex').toString('latin1'))
  }
  return out
}

function printfDecoding(text: string): string {
  return text.replace(/\\\\/g, '\u0000').replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8))).replace(/%%/g, '%').replace(/\u0000/g, '\\')
}

function jsonStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const v of value) jsonStrings(v, out)
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) {
      out.push(k)
      jsonStrings(v, out)
    }
  return out
}

/** Every reading of a text an attacker could try: as is, markup and JSON unescaped, base64/hex/printf decoded, the concatenated transcript. */
function readings(text: string): string[] {
  const layers = [text, unescapeMarkup(text)]
  for (const candidate of [text, ...layers.flatMap((t) => [...t.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => unescapeMarkup(m[1])))]) {
    try {
      const strings = jsonStrings(JSON.parse(candidate))
      layers.push(...strings, strings.join(''))
    } catch {
      /* not JSON */
    }
  }
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      layers.push(...jsonStrings(JSON.parse(line)))
    } catch {
      /* not a journal line */
    }
  }
  const decoded = layers.flatMap((t) => [...base64Decodings(t), ...hexDecodings(t), printfDecoding(t)])
  return [...layers, ...decoded, ...decoded.flatMap((t) => [printfDecoding(t), Buffer.from(t, 'latin1').toString('utf8')])]
}

function leaks(text: string, password: string): string[] {
  const found = new Set<string>()
  for (const reading of readings(text)) for (const needle of needles(password)) if (reading.includes(needle)) found.add(needle)
  return [...found]
}

async function bringUp(password: string): Promise<{ record: RunRecord; outputs: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-secret-'))
  const consoleJournal = join(dir, 'console.journal.jsonl')
  const profile = resolveProfile({ password })
  const console = await connect({ sim: { scenario: 'healthy', timeScale: 0.01 }, journalPath: consoleJournal, secrets: [password] })
  const checklist = new Checklist({ board: checklistBoardFor(console, 0.01), profile, unitSerial: 'SN-SECRET', stationId: 'station-test', appVersion: '0.0.0-test', outDir: dir })
  let record: RunRecord
  const runJournal = join(dir, 'run.journal.copy')
  try {
    record = await checklist.run()
    const journal = readdirSync(dir).find((f) => f.endsWith('.journal.jsonl') && f !== 'console.journal.jsonl')
    expect(journal, 'the run journal exists while the run is open').toBeDefined()
    copyFileSync(join(dir, journal as string), runJournal)
    checklist.finish()
  } finally {
    await console.close()
  }
  const formats = pdfReady && (password === 'Hunter2-Secret' || password === 'OK') ? (['json', 'html', 'junit', 'csv', 'pdf'] as const) : (['json', 'html', 'junit', 'csv'] as const)
  const written = await writeReports(record, join(dir, 'reports'), formats)
  const outputs: Record<string, string> = { 'console journal': readFileSync(consoleJournal, 'latin1'), 'run journal': readFileSync(runJournal, 'latin1') }
  for (const [format, file] of Object.entries(written.files)) {
    if (format === 'pdf') {
      const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
      expect(r.status, r.stderr).toBe(0)
      outputs.pdf = r.stdout
      outputs['pdf bytes'] = readFileSync(file, 'latin1')
    } else outputs[format] = readFileSync(file, 'utf8')
  }
  const recordFile = readdirSync(dir).find((f) => f.endsWith('.json') && existsSync(join(dir, f)))
  if (recordFile) outputs['record file'] = readFileSync(join(dir, recordFile), 'utf8')
  return { record, outputs }
}

describe('the PPP password never leaves the station, in any encoding', () => {
  it('the detector finds a base64 heredoc, hex and printf copy of a secret file line', () => {
    const line = `user "test" password ${pppdQuote('Hunter2-Secret')}\n`
    const b64 = Buffer.from(`# header line\n${line}`).toString('base64')
    expect(leaks(`base64 -d >x <<'K230EOF'\n${b64.slice(0, 16)}\n> ${b64.slice(16)}\nK230EOF`, 'Hunter2-Secret').length).toBeGreaterThan(0)
    expect(leaks(Buffer.from(line).toString('hex'), 'Hunter2-Secret').length).toBeGreaterThan(0)
    expect(leaks(`printf 'user \\042test\\042 password \\042OK\\042'`, 'OK')).toContain('password "OK"')
    expect(leaks(JSON.stringify({ transcript: [{ text: b64 }] }), 'Hunter2-Secret').length).toBeGreaterThan(0)
  })

  for (const password of PASSWORDS) {
    it(`password ${JSON.stringify(password)}: no output decodes to it, and the transcript is otherwise intact`, async () => {
      const { record, outputs } = await bringUp(password)
      expect(record.verdict, 'the bring-up itself passes').toBe('pass')
      if (password === 'Hunter2-Secret') expect(outputs.pdf !== undefined || (!pdfReady && !process.env.CI), 'the PDF was printed and read back (Chromium and pdftotext are needed under CI)').toBe(true)
      for (const [name, text] of Object.entries(outputs)) expect(leaks(text, password), `${name} leaks the password`).toEqual([])
      const transcript = record.transcript.map((e) => e.text).join('')
      expect(transcript).toMatch(/\r?\nOK\r?\n/)
      expect(transcript).toContain('Linux version')
      expect(transcript).toContain('+CSQ:')
      expect(transcript).toMatch(/secret file \/etc\/ppp\/peers\/quectel-pppd/)
      expect(transcript.split('****').length - 1, 'masks are where the secret was, not everywhere').toBeLessThan(20)
    }, 90_000)
  }
})
