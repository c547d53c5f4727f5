/** The line server's guard against a real PostgreSQL 15 with plpython3u: the server refuses what does not verify, a station role can only deliver through k230_ingest, and the guard writes exactly the rows storeRecords writes. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Measurement, RunRecord } from '@shared/record'
import { listScenarios } from '@board/scenarios/index'
import { exportPublicKey, importTrustedKey, recordDigest, renderJson, sealedRecord, signRecord } from '@engine/report/index'
import { canonicalize } from '@engine/report/canonical'
import { deliverRecords, installGuard, migrate, openPg, sendOutbox, serverKeys, signatureVerifier, StationIndex, storeRecord, trustServerKey, type Sql } from '@engine/db/index'
import { storeRecords } from '@engine/db/records'
import { outboxEntry } from '../../src-services/line-sync'
import { syncCommand } from '../../src-cli/commands/sync'
import { main } from '../../src-cli/main'
import { memoryIo } from '../checklist/support/io'
import { captureIo } from '../reports/helpers/io'
import { passingRecord } from '../reports/fixtures/records'
import { fcSeed } from '../setup/fast-check'
import { guardAvailable, PG_TEST_PASSWORD, startPostgres, type PgServer } from './postgres-server'
import { resultsFolder, stationKey, stationRecord, TEST_TRUSTED } from './records'

const hasGuard = guardAvailable()
const STATION_PASSWORD = 'st-S3cret!pw'
const TABLES = ['unit', 'run', 'step', 'measurement', 'run_hour', 'step_hour', 'fail_hour', 'duration_bin', 'unit_span', 'span_count']

function withUser(url: string, user: string, password: string, database?: string): string {
  const u = new URL(url)
  u.username = user
  u.password = encodeURIComponent(password)
  if (database) u.pathname = `/${database}`
  return u.toString()
}

async function rowsOf(sql: Sql, table: string, where = ''): Promise<string[]> {
  return (await sql.query<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM ${table} t ${where} ORDER BY 1`)).rows.map((r) => r.j)
}

/** A record of `station` whose content was changed after signing, with its digest made to match again: only the signature check catches it. */
function reDigested(station: string, serial: string, minute: number): string {
  const signed = stationRecord(station, serial, minute, true)
  const content = { ...signed, verdict: 'pass' as const }
  return JSON.stringify({ ...content, digest: recordDigest(content) })
}

function resign(record: RunRecord, station: string): RunRecord {
  const { signature: _s, digest: _d, ...rest } = record
  return signRecord(sealedRecord({ ...rest, station: { ...rest.station, id: station } } as RunRecord), stationKey(station))
}

describe.skipIf(!hasGuard)('line server guard (real PostgreSQL, plpython3u)', () => {
  let pg: PgServer
  let admin: Sql
  let station: Sql
  let reference: Sql
  let stationUrl: string
  const folders: string[] = []
  const open: StationIndex[] = []
  const trusted = new Set<string>()

  async function trust(name: string): Promise<void> {
    if (trusted.has(name)) return
    await trustServerKey(admin, exportPublicKey(stationKey(name)))
    trusted.add(name)
  }

  async function ingest(sql: Sql, text: string): Promise<string> {
    return (await sql.query<{ o: string }>('SELECT k230_ingest($1) AS o', [text])).rows[0].o
  }

  async function stationFolder(records: RunRecord[]): Promise<{ index: StationIndex; dir: string }> {
    const dir = resultsFolder(records)
    folders.push(dir)
    const { index } = await StationIndex.open(dir, { dataDir: null })
    open.push(index)
    return { index, dir }
  }

  beforeAll(async () => {
    pg = await startPostgres()
    admin = openPg(pg.url)
    const first = await installGuard(admin)
    expect(first.migrated.length).toBeGreaterThan(0)
    expect(await installGuard(admin)).toEqual({ role: 'k230_station', schema: 'public', migrated: [] })
    await admin.exec(`ALTER ROLE k230_station LOGIN PASSWORD '${STATION_PASSWORD}'`)
    stationUrl = withUser(pg.url, 'k230_station', STATION_PASSWORD)
    station = openPg(stationUrl)
    await admin.exec('CREATE DATABASE reference')
    reference = openPg(withUser(pg.url, 'k230', PG_TEST_PASSWORD, 'reference'))
    await migrate(reference)
    for (const name of ['GA', 'GB', 'GC', 'GD', 'GF']) await trust(name)
  }, 120_000)

  afterAll(async () => {
    for (const s of open) await s.close().catch(() => undefined)
    await station?.close()
    await reference?.close()
    await admin?.close()
    await pg?.destroy()
    for (const f of folders) rmSync(f, { recursive: true, force: true })
  })

  it('line-server guard, trust and keys from the CLI: idempotent, in both languages, the password never shown', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'k230-guard-cli-'))
    folders.push(cwd)
    writeFileSync(join(cwd, 'GE.pub'), exportPublicKey(stationKey('GE')))
    writeFileSync(join(cwd, 'bad.pub'), '{"kind": "something else"}')
    const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const io = captureIo(cwd, env)
      const code = await main(['line-server', ...args], io)
      expect(io.out() + io.err()).not.toContain(PG_TEST_PASSWORD)
      return { code, out: io.out(), err: io.err() }
    }
    const guarded = await run(['guard', '--db', pg.url, '--station-role', 'k230_station'])
    expect(guarded.code).toBe(0)
    expect(guarded.out).toContain('the signature guard is installed in schema public; stations connecting as role k230_station')
    expect((await run(['trust', '--db', pg.url, 'GE.pub'])).out).toContain(`the line server now trusts station 'GE' key ${stationKey('GE').keyId}`)
    const zh = await run(['trust', '--db', pg.url, 'GE.pub', '--lang', 'zh-CN'])
    expect(zh.out).toContain(`产线服务器已信任工位“GE”的密钥 ${stationKey('GE').keyId}`)
    const listed = await run(['keys', '--db', pg.url])
    expect(listed.out).toMatch(new RegExp(`${stationKey('GE').keyId}  GE +added \\d{4}-`))
    expect(await ingest(station, renderJson(stationRecord('GE', 'E1', 30)))).toBe('stored')
    const bad = await run(['trust', '--db', pg.url, 'bad.pub'])
    expect([bad.code, bad.err.trim()]).toEqual([2, 'k230-bringup line-server: not an exported k230-bringup station key (kind, station, keyId, publicKey)'])
    const role = await run(['guard', '--db', pg.url, '--station-role', 'x; DROP TABLE run'])
    expect(role.code).toBe(2)
    expect(role.err).toContain("is not a role name")
    const bare = await run(['keys', '--db', withUser(pg.url, 'k230', PG_TEST_PASSWORD, 'reference')])
    expect([bare.code, bare.err.trim()]).toEqual([2, 'k230-bringup line-server: the line server has no signature guard yet: install it first with line-server guard'])
    const unreachable = await run(['keys', '--db', pg.url.replace(/:\d+\//, ':1/')])
    expect(unreachable.code).toBe(3)
    await admin.query('DELETE FROM trusted_key WHERE station = $1', ['GE'])
  })

  it('lists the keys it trusts; trusting a key again changes nothing', async () => {
    const again = await trustServerKey(admin, exportPublicKey(stationKey('GA')))
    expect(again.added).toBe(false)
    const keys = await serverKeys(admin)
    expect(keys.map((k) => k.station)).toEqual(['GA', 'GB', 'GC', 'GD', 'GF'])
    expect(keys.find((k) => k.station === 'GA')?.keyId).toBe(stationKey('GA').keyId)
  })

  it('refuses unsigned, unknown-key, altered, badly signed, misattributed and unreadable records, each with its reason kept in refusal', async () => {
    await admin.exec('TRUNCATE run, unit, refusal CASCADE')
    const unsigned = sealedRecord({ ...passingRecord(), id: 'G-unsigned', station: { ...passingRecord().station, id: 'GA' } })
    const foreign = stationRecord('GX', 'X1', 1)
    const altered = renderJson(stationRecord('GA', 'A1', 2, true)).replace(/"verdict":\s*"fail"/, '"verdict": "pass"')
    const signed = stationRecord('GA', 'A2', 3, true)
    const content = { ...signed, verdict: 'pass' as const }
    const badlySigned = { ...content, digest: recordDigest(content) }
    const { signature: _s, digest: _d, ...plain } = stationRecord('GB', 'B1', 4)
    const misattributed = signRecord(sealedRecord({ ...plain, id: 'G-misattributed', station: { ...plain.station, id: 'GB' } } as RunRecord), stationKey('GA'))
    const cases: Array<[string, string, string]> = [
      ['G-unsigned', renderJson(unsigned), 'unsigned'],
      [foreign.id, renderJson(foreign), 'unknown-key'],
      ['GA-A1-2', altered, 'digest-mismatch'],
      [signed.id, JSON.stringify(badlySigned), 'bad-signature'],
      ['G-misattributed', JSON.stringify(misattributed), 'station-mismatch'],
      ['(no id)', '{"id": "G-broken", ', 'not-json'],
    ]
    for (const [, text, code] of cases) expect(await ingest(station, text)).toBe(`refused:${code}`)
    const refusals = await admin.query<{ run_id: string; station: string | null; reason: string }>('SELECT run_id, station, reason FROM refusal ORDER BY run_id')
    expect(refusals.rows.map((r) => [r.run_id, r.reason.split(':')[0]]).sort()).toEqual(cases.map(([id, , code]) => [id, code]).sort())
    expect((await admin.query('SELECT id FROM run')).rows).toEqual([])
    expect(await ingest(station, renderJson(stationRecord('GA', 'A3', 5)))).toBe('stored')
    expect(await ingest(station, renderJson(stationRecord('GA', 'A3', 5)))).toBe('already-there')
  })

  it('the station role cannot write or read the rows itself, yet delivers through deliverRecords (idempotently) and migrate leaves a current schema alone', async () => {
    await admin.exec('TRUNCATE run, unit, refusal CASCADE')
    const writes = [
      "INSERT INTO run (id, serial, started_at, verdict, status) VALUES ('forged', 'S', now(), 'pass', 'completed')",
      "INSERT INTO unit (serial, first_seen) VALUES ('forged', now())",
      "INSERT INTO step (run_id, ordinal, step_id, title, verdict) VALUES ('forged', 0, 'a', 'a', 'pass')",
      "INSERT INTO measurement (run_id, step_ordinal, ordinal, name, outcome) VALUES ('forged', 0, 0, 'n', 'pass')",
      "INSERT INTO refusal (run_id, reason) VALUES ('forged', 'x')",
      "INSERT INTO trusted_key (key_id, station, public_key_pem) VALUES ('0000000000000000', 'GA', 'x')",
      "UPDATE run SET verdict = 'pass'",
      'DELETE FROM run',
      'TRUNCATE run CASCADE',
      'SELECT id FROM run',
      "SELECT k230_record_refusal('{}')",
      'CREATE TABLE forged (x int)',
    ]
    for (const statement of writes) await expect(station.query(statement), statement).rejects.toThrow(/permission denied/)
    expect(await migrate(station)).toEqual([])
    const records = [stationRecord('GB', 'B2', 10), stationRecord('GB', 'B3', 11, true)]
    const verify = signatureVerifier(TEST_TRUSTED)
    expect(await deliverRecords(station, records.map(renderJson), verify)).toEqual([{ outcome: 'stored' }, { outcome: 'stored' }])
    expect(await deliverRecords(station, records.map(renderJson), verify)).toEqual([{ outcome: 'already-there' }, { outcome: 'already-there' }])
    const tampered = renderJson(stationRecord('GB', 'B4', 12, true)).replace(/"verdict":\s*"fail"/, '"verdict": "pass"')
    const [local] = await deliverRecords(station, [tampered], verify)
    expect(local).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/^digest-mismatch: record digest/) })
    const [server] = await deliverRecords(station, [reDigested('GB', 'B5', 13)], signatureVerifier([]))
    expect(server).toEqual({ outcome: 'refused', reason: "bad-signature: refused by the line server's signature guard" })
    const reasons = (await admin.query<{ reason: string }>('SELECT reason FROM refusal ORDER BY reason')).rows.map((r) => r.reason.split(':')[0])
    expect(reasons).toEqual(['bad-signature', 'digest-mismatch'])
    expect((await admin.query<{ id: string }>('SELECT id FROM run ORDER BY id')).rows.map((r) => r.id)).toEqual(records.map((r) => r.id).sort())
    expect(Number((await admin.query<{ runs: string }>("SELECT sum(runs) AS runs FROM run_hour WHERE station = 'GB'")).rows[0].runs)).toBe(2)
  })

  it('sync as the station role: the guard stores what verifies, refuses a re-signed-looking record the station had no key to judge, and status and the app show the server reason', async () => {
    await admin.exec('TRUNCATE run, unit, refusal CASCADE')
    const records = [stationRecord('GC', 'C1', 20), stationRecord('GC', 'C2', 21, true), stationRecord('GC', 'C3', 22)]
    const dir = resultsFolder(records)
    folders.push(dir)
    const file = join(dir, `${records[1].id}.json`)
    writeFileSync(file, reDigested('GC', 'C2', 21))
    const keyDir = mkdtempSync(join(tmpdir(), 'k230-guard-keys-'))
    folders.push(keyDir)
    const io = captureIo(dir, { K230_LINE_DB: stationUrl, K230_KEY_DIR: keyDir })
    const code = await syncCommand.run(['--results', dir], io)
    expect(io.out() + io.err()).not.toContain(STATION_PASSWORD)
    expect(io.out()).toContain('2 delivered, 0 already there, 1 refused, 0 not sent')
    expect(code).toBe(1)
    expect((await admin.query<{ id: string }>('SELECT id FROM run ORDER BY id')).rows.map((r) => r.id)).toEqual([records[0].id, records[2].id])
    const refusal = await admin.query<{ run_id: string; reason: string }>('SELECT run_id, reason FROM refusal')
    expect(refusal.rows).toEqual([{ run_id: records[1].id, reason: "bad-signature: refused by the line server's signature guard" }])
    const statusIo = captureIo(dir, {})
    expect(await syncCommand.run(['status', '--results', dir], statusIo)).toBe(0)
    expect(statusIo.out()).toMatch(/refused .*the station signature does not match \(bad-signature\)\n/)
    const item = (await StationIndex.using(dir, (index) => index.outbox())).find((i) => i.runId === records[1].id)!
    expect(outboxEntry(item, true)).toMatchObject({ state: 'refused', reason: 'refused', code: 'bad-signature' })
    importTrustedKey(keyDir, exportPublicKey(stationKey('GC')))
    await StationIndex.using(dir, (index) => index.sql.query("UPDATE outbox SET state = 'waiting'"))
    const again = captureIo(dir, { K230_LINE_DB: stationUrl, K230_KEY_DIR: keyDir })
    expect(await syncCommand.run(['--results', dir], again)).toBe(1)
    expect(again.out()).toContain('0 delivered, 2 already there, 1 refused, 0 not sent')
    const both = await admin.query<{ reason: string }>('SELECT reason FROM refusal ORDER BY reason')
    expect(both.rows.map((r) => r.reason)).toEqual(["bad-signature: refused by the line server's signature guard", expect.stringMatching(/^bad-signature: the signature does not match/)])
  }, 120_000)

  it('two stations delivering at once through the guard store every record once; a second pass finds them already there', async () => {
    await admin.exec('TRUNCATE run, unit, refusal CASCADE')
    const a = await stationFolder(Array.from({ length: 12 }, (_, i) => stationRecord('GA', `PA${i}`, 100 + i, i % 4 === 0)))
    const b = await stationFolder(Array.from({ length: 12 }, (_, i) => stationRecord('GB', `PB${i}`, 100 + i, i % 5 === 0)))
    const verify = signatureVerifier(TEST_TRUSTED)
    const connections = [openPg(stationUrl), openPg(stationUrl)]
    try {
      const pass = () =>
        Promise.all([a, b].map((s, k) => sendOutbox(s.index.sql, () => Promise.reject(new Error('one by one')), { ignoreSchedule: true, batch: 5, deliverMany: (texts) => deliverRecords(connections[k], texts, verify) })))
      const first = await pass()
      expect(first.map((r) => [r.delivered, r.refused, r.failed])).toEqual([[12, 0, 0], [12, 0, 0]])
      for (const s of [a, b]) await s.index.sql.query("UPDATE outbox SET state = 'waiting'")
      const second = await pass()
      expect(second.map((r) => [r.delivered, r.alreadyThere])).toEqual([[0, 12], [0, 12]])
    } finally {
      for (const c of connections) await c.close()
    }
    const runs = await admin.query<{ station: string; n: string }>('SELECT station, count(*) AS n FROM run GROUP BY station ORDER BY station')
    expect(runs.rows.map((r) => [r.station, Number(r.n)])).toEqual([['GA', 12], ['GB', 12]])
    const hours = await admin.query<{ runs: string }>('SELECT sum(runs) AS runs FROM run_hour')
    expect(Number(hours.rows[0].runs)).toBe(24)
  }, 120_000)

  it("writes exactly storeRecords' rows for every scenario's record, and its canonical JSON and digest are TypeScript's", async () => {
    await admin.exec('TRUNCATE run, unit, refusal CASCADE')
    await reference.exec('TRUNCATE run, unit, refusal CASCADE')
    const keyDir = mkdtempSync(join(tmpdir(), 'k230-guard-scenario-keys-'))
    folders.push(keyDir)
    const texts = await Promise.all(
      listScenarios().map(async ({ name }) => {
        const dir = mkdtempSync(join(tmpdir(), `k230-guard-${name}-`))
        folders.push(dir)
        const io = memoryIo(dir, { K230_KEY_DIR: keyDir })
        await main(['run', '--sim', name, '--time-scale', '0.01', '--out', dir, '--json', '--unit', `SN-${name}`], io)
        return renderJson(resign(JSON.parse(io.out()) as RunRecord, 'GD'))
      }),
    )
    expect(texts.length).toBe(listScenarios().length)
    await compare(texts)
  }, 180_000)

  async function compare(texts: string[]): Promise<void> {
    for (const text of texts) {
      const value = JSON.parse(text) as RunRecord
      const { rows } = await admin.query<{ canonical: string; digest: string }>('SELECT k230_canonical_json($1) AS canonical, k230_record_digest($1) AS digest', [text])
      expect(rows[0].canonical).toBe(JSON.stringify(canonicalize(value)))
      expect(rows[0].digest).toBe(recordDigest(value))
      expect(await ingest(station, text)).toBe('stored')
    }
    await storeRecords(reference, texts.map((t) => JSON.parse(t) as RunRecord), { keepRecord: true })
    for (const table of TABLES) expect(await rowsOf(admin, table), table).toEqual(await rowsOf(reference, table))
  }

  it('writes exactly storeRecords’ rows for awkward numbers and strings in measurements, durations and transcripts', async () => {
    await admin.exec('TRUNCATE run, unit, refusal CASCADE')
    await reference.exec('TRUNCATE run, unit, refusal CASCADE')
    const awkwardNumber = fc.oneof(
      fc.double(),
      fc.constantFrom(1e-7, 1e21, 1e16, 2 ** 53 + 2, 2 ** 60, 5e-324, 1.7976931348623157e308, -0, 0.1 + 0.2, 123456789012345680000, -1.5e-300, 1e-6, 1e20, 100),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
    )
    const text = fc.string({ unit: 'binary', maxLength: 24 }).map((s) => s.replace(/\0/g, ''))
    const value = fc.oneof(awkwardNumber, text, fc.boolean(), fc.constant(null))
    const measurement = fc.record({ name: text.map((s) => `m${s}`), value, unit: fc.option(text, { nil: undefined }), outcome: fc.constantFrom('pass', 'fail', 'unset') })
    let n = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(measurement, { maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { maxLength: 4 }),
        fc.array(text, { maxLength: 5 }),
        fc.dictionary(text.filter((k) => k !== '__proto__'), fc.oneof(awkwardNumber, text), { maxKeys: 4 }),
        async (measurements, durations, lines, values) => {
          n++
          const base = stationRecord('GF', `F${n}`, n)
          const steps = base.steps.map((s, i) => {
            const ms = measurements[i % measurements.length] as Measurement[]
            const attempts = s.attempts.map((a, k) => ({ ...a, durationMs: durations[k] ?? a.durationMs, measurements: k === s.attempts.length - 1 ? ms : a.measurements }))
            return { ...s, attempts, verdict: i === 1 && ms.length ? ('fail' as const) : s.verdict }
          })
          const transcript = lines.map((line, k) => ({ ...base.transcript[0], t: durations[k] ?? k, text: line }))
          const record = stationRecord('GF', `F${n}`, n, false, { steps, transcript, profile: { ...base.profile, values } })
          await compareOne(renderJson(record), record.id)
        },
      ),
      { seed: fcSeed(), numRuns: 40 },
    )
    const seen = await admin.query<{ exp: string; nums: string; texts: string }>("SELECT count(*) FILTER (WHERE value ~ 'e[-+]') AS exp, count(num) AS nums, count(*) FILTER (WHERE num IS NULL AND value IS NOT NULL) AS texts FROM measurement")
    expect(Object.values(seen.rows[0]).map(Number).every((n) => n > 0), JSON.stringify(seen.rows[0])).toBe(true)
  }, 180_000)

  it("formats numbers as JavaScript's String and canonical JSON as JSON.stringify, lone surrogates and astral keys included", async () => {
    const doubles = fc.sample(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.double({ min: -1e25, max: 1e25 })), { seed: fcSeed(), numRuns: 2000 })
    const edges = [1e-7, 1e21, 1e16, 2 ** 53 + 2, 2 ** 60, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, 123456789012345680000, 1e-6, 1e20, 9.95e20, 1.5e-300, 100, 12.5, -1e-7]
    const numbers = [...edges, ...edges.map((x) => -x), ...doubles].filter((x) => Number.isFinite(x) && !Object.is(x, -0))
    const { rows } = await admin.query<{ t: string[] }>('SELECT array(SELECT k230_js_number_text(x) FROM unnest($1::text[]) WITH ORDINALITY AS u(x, i) ORDER BY i) AS t', [numbers.map((x) => JSON.stringify(x))])
    expect(rows[0].t).toEqual(numbers.map((x) => String(x)))
    const odd = fc.constantFrom('\ud800', '\udfff', 'a\ud83d', '\ud83d\ude00', '\u2028', '\u007f', '\u0000', '\u001f', '"\\', '\uffff', '\ue000', '𝄞')
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), odd)
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(text.filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 5 })),
    })).value
    const values = fc.sample(json, { seed: fcSeed(), numRuns: 300 })
    const texts = values.map((v) => JSON.stringify(v))
    const canonical = await admin.query<{ c: string[] }>('SELECT array(SELECT k230_canonical_json(x) FROM unnest($1::text[]) WITH ORDINALITY AS u(x, i) ORDER BY i) AS c', [texts])
    expect(canonical.rows[0].c).toEqual(texts.map((t) => JSON.stringify(canonicalize(JSON.parse(t)))))
    const literal = '{"b": [-0, 1E5, 1.50, 12345678901234567891, 1e400, -1e-400, 0.1e-6], "a": "\\ud800\\u00e9"}'
    const one = await admin.query<{ c: string }>('SELECT k230_canonical_json($1) AS c', [literal])
    expect(one.rows[0].c).toBe(JSON.stringify(canonicalize(JSON.parse(literal))))
  })

  async function compareOne(text: string, id: string): Promise<void> {
    const value = JSON.parse(text) as RunRecord
    const { rows } = await admin.query<{ canonical: string; digest: string }>('SELECT k230_canonical_json($1) AS canonical, k230_record_digest($1) AS digest', [text])
    expect(rows[0].canonical).toBe(JSON.stringify(canonicalize(value)))
    expect(rows[0].digest).toBe(recordDigest(value))
    expect(await ingest(station, text)).toBe('stored')
    await storeRecord(reference, value, { keepRecord: true })
    for (const [table, column] of [['run', 'id'], ['step', 'run_id'], ['measurement', 'run_id']])
      expect(await rowsOf(admin, table, `WHERE ${column} = '${id}'`), table).toEqual(await rowsOf(reference, table, `WHERE ${column} = '${id}'`))
  }
})
