import { beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src-cli/main'
import { captureIo } from './helpers/io'

/** What an attacker with a text editor does: recompute the unkeyed SHA-256 the way the project's canonical form does (sorted keys, no digest field). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]))
  return value
}
function rehash(record: Record<string, unknown>): Record<string, unknown> {
  const { digest: _d, ...rest } = record
  const digest = createHash('sha256').update(JSON.stringify(sortKeys(rest))).digest('hex')
  return { ...record, digest }
}
function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n'
}
function reseal(html: string, slot: RegExp): string {
  const m = slot.exec(html) as RegExpExecArray
  const blank = html.replace(m[0], m[0].replace(m[1], '0'.repeat(64)))
  return blank.replace('0'.repeat(64), createHash('sha256').update(blank).digest('hex'))
}
const HTML_SEAL = /<meta name="k230-report-seal" content="([0-9a-f]{64})">/

const env = { ...process.env, K230_KEY_DIR: mkdtempSync(join(tmpdir(), 'k230-keys-')), K230_STATION: 'line-3-station' }
const dir = mkdtempSync(join(tmpdir(), 'k230-tamper-'))
let json = ''
let html = ''

beforeAll(async () => {
  const io = captureIo(dir, env)
  const code = await main(['run', '--sim', 'no-sim', '--out', join(dir, 'run'), '--time-scale', '0.01'], io)
  expect(code, io.err()).toBe(1)
  const files = readdirSync(join(dir, 'run'))
  json = join(dir, 'run', files.find((f) => f.endsWith('.json') && f !== 'index.json') as string)
  html = join(dir, 'run', files.find((f) => f.endsWith('.html')) as string)
}, 120_000)

async function verify(file: string): Promise<{ code: number; out: string }> {
  const io = captureIo(dir, env)
  const code = await main(['verify', file], io)
  return { code, out: io.out() + io.err() }
}

describe('a seal that detects tampering, not only accidents', () => {
  it('the record as written verifies and names the station that signed it', async () => {
    const result = await verify(json)
    expect(result.code, result.out).toBe(0)
    expect(result.out).toMatch(/intact \(json\) signed by 'line-3-station'/)
    expect((await verify(html)).code).toBe(0)
  })

  it('a failing record edited to pass, with its SHA-256 recomputed, is ALTERED', async () => {
    const record = JSON.parse(readFileSync(json, 'utf8'))
    expect(record.verdict).toBe('fail')
    record.verdict = 'pass'
    for (const step of record.steps) if (step.verdict === 'fail') step.verdict = 'pass'
    const forged = join(dir, 'forged.json')
    writeFileSync(forged, canonical(rehash(record)))
    const result = await verify(forged)
    expect(result.code, result.out).toBe(1)
    expect(result.out).toMatch(/ALTERED/)
  })

  it('a hand-made four-field JSON with its hash does not verify', async () => {
    const made = join(dir, 'four.json')
    writeFileSync(made, canonical(rehash({ schemaVersion: 1, id: 'x', steps: [], verdict: 'pass' })))
    const result = await verify(made)
    expect(result.code, result.out).not.toBe(0)
    expect(result.out).not.toMatch(/: intact/)
  })

  it("the HTML page's visible verdict is bound to its signed record: FAIL edited to PASS, seal recomputed, is ALTERED", async () => {
    const page = readFileSync(html, 'utf8')
    const badge = /(<span class="badge v-)fail(">)([^<]*)(<\/span>)/
    expect(page).toMatch(badge)
    const edited = reseal(page.replace(badge, '$1pass$2PASS$4').replace('<header class="banner v-fail">', '<header class="banner v-pass">'), HTML_SEAL)
    const forged = join(dir, 'forged.html')
    writeFileSync(forged, edited)
    const result = await verify(forged)
    expect(result.code, result.out).toBe(1)
    expect(result.out).toMatch(/ALTERED \(html\)/)
  })

  it('report refuses an altered record: no output file, non-zero exit', async () => {
    const record = JSON.parse(readFileSync(json, 'utf8'))
    record.verdict = 'pass'
    const forged = join(dir, 'forged-for-report.json')
    writeFileSync(forged, canonical(rehash(record)))
    const out = join(dir, 'report-out')
    const io = captureIo(dir, env)
    const code = await main(['report', forged, '--format', 'json,html,junit', '--out', out], io)
    expect(code).not.toBe(0)
    expect(io.err()).toMatch(/REFUSED/)
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([])
  })
})
