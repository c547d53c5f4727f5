/** Station index, outbox and line server against a real PostgreSQL 15 server on loopback (and PGlite on the station side). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { exportPublicKey, importTrustedKey, renderJson } from '@engine/report/index'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliverRecord, deliverRecords, migrate, openPg, signatureVerifier, sendOutbox, StationIndex, type RecordVerifier, type Sql } from '@engine/db/index'
import { syncCommand } from '../../src-cli/commands/sync'
import { captureIo } from '../reports/helpers/io'
import { postgresAvailable, PG_TEST_PASSWORD, startPostgres, type PgServer } from './postgres-server'
import { resultsFolder, stationKey, stationRecord, TEST_TRUSTED } from './records'

const hasPg = postgresAvailable()

async function serverRuns(sql: Sql): Promise<string[]> {
  return (await sql.query<{ id: string }>('SELECT id FROM run ORDER BY id')).rows.map((r) => r.id)
}

describe.skipIf(!hasPg)('line server sync (real PostgreSQL)', () => {
  let pg: PgServer
  let server: Sql
  const folders: string[] = []
  const open: StationIndex[] = []

  beforeAll(async () => {
    pg = await startPostgres()
    server = openPg(pg.url)
    await migrate(server)
  }, 120_000)

  afterAll(async () => {
    for (const s of open) await s.close().catch(() => undefined)
    await server?.close()
    await pg?.destroy()
    for (const f of folders) rmSync(f, { recursive: true, force: true })
  })

  async function station(records: ReturnType<typeof stationRecord>[]): Promise<{ index: StationIndex; dir: string }> {
    const dir = resultsFolder(records)
    folders.push(dir)
    const { index } = await StationIndex.open(dir, { dataDir: null })
    open.push(index)
    return { index, dir }
  }

  it('two stations syncing at once store every record once; a second sync finds them already there', async () => {
    await server.exec('TRUNCATE run, unit, refusal CASCADE')
    const ra12 = Array.from({ length: 12 }, (_, i) => stationRecord('ST-A', `A${i}`, i, i % 4 === 0))
    const rb12 = Array.from({ length: 12 }, (_, i) => stationRecord('ST-B', `B${i}`, i, i % 5 === 0))
    const a = await station(ra12)
    const b = await station(rb12)
    const deliver = (text: string) => deliverRecord(server, text, signatureVerifier(TEST_TRUSTED))
    const [ra, rb] = await Promise.all([sendOutbox(a.index.sql, deliver, { ignoreSchedule: true }), sendOutbox(b.index.sql, deliver, { ignoreSchedule: true })])
    expect([ra.delivered, rb.delivered, ra.refused + rb.refused, ra.failed + rb.failed]).toEqual([12, 12, 0, 0])
    const ids = await serverRuns(server)
    expect(ids).toHaveLength(24)
    expect(new Set(ids).size).toBe(24)
    const steps = await server.query<{ n: string }>('SELECT count(*) AS n FROM step')
    expect(Number(steps.rows[0].n)).toBe([...ra12, ...rb12].reduce((n, r) => n + r.steps.length, 0))
    expect(await a.index.outbox()).toEqual([])
    await a.index.sql.query("UPDATE outbox SET state = 'waiting'")
    const again = await sendOutbox(a.index.sql, deliver, { ignoreSchedule: true })
    expect([again.delivered, again.alreadyThere]).toEqual([0, 12])
    expect(await serverRuns(server)).toHaveLength(24)
  }, 120_000)

  it('the server stopped in the middle of a sync and started again: nothing lost, nothing doubled, the wait reason shown without the password', async () => {
    await server.exec('TRUNCATE run, unit, refusal CASCADE')
    const records = Array.from({ length: 20 }, (_, i) => stationRecord('ST-C', `C${i}`, i))
    const s = await station(records)
    let sent = 0
    const lineServer = openPg(pg.url, { connectTimeoutMs: 2000 })
    const deliver = async (text: string) => {
      sent++
      if (sent === 5) {
        // the record reaches the server but its answer is lost: the retry must not double it
        await deliverRecord(lineServer, text, signatureVerifier(TEST_TRUSTED))
        throw new Error('connection reset after the record was stored')
      }
      if (sent === 11) await pg.stop()
      return deliverRecord(lineServer, text, signatureVerifier(TEST_TRUSTED))
    }
    const first = await sendOutbox(s.index.sql, deliver, { ignoreSchedule: true })
    expect(first.delivered).toBe(4)
    expect(first.failed).toBe(16)
    const waiting = await s.index.outbox()
    expect(waiting).toHaveLength(16)
    expect(waiting[0].lastError).toContain('connection reset')
    const second = await sendOutbox(s.index.sql, deliver, { ignoreSchedule: true })
    expect([second.alreadyThere, second.delivered, second.failed]).toEqual([1, 4, 11])
    const left = await s.index.outbox()
    expect(left.length).toBeGreaterThan(0)
    for (const item of left) {
      expect(item.lastError).toBeTruthy()
      expect(item.lastError).not.toContain(PG_TEST_PASSWORD)
      expect(item.attempts).toBeGreaterThanOrEqual(1)
      expect(Date.parse(item.nextTryAt)).toBeGreaterThan(Date.parse(item.queuedAt))
    }
    await pg.start()
    const third = await sendOutbox(s.index.sql, (t) => deliverRecord(lineServer, t, signatureVerifier(TEST_TRUSTED)), { ignoreSchedule: true })
    expect(third.failed).toBe(0)
    expect(await s.index.outbox()).toEqual([])
    const ids = await serverRuns(lineServer)
    expect(ids).toEqual(records.map((r) => r.id).sort())
    expect([third.delivered, third.alreadyThere]).toEqual([11, 0])
    await lineServer.close()
  }, 120_000)

  it('a backlog delivered 8 per transaction: a refusal and duplicates inside a batch, an answer lost after commit, the server stopped mid-sync: nothing lost, nothing doubled', async () => {
    await server.exec('TRUNCATE run, unit, refusal CASCADE')
    const records = Array.from({ length: 30 }, (_, i) => stationRecord('ST-F', `F${i}`, i, i === 5))
    const s = await station(records)
    writeFileSync(join(s.dir, `${records[5].id}.json`), readFileSync(join(s.dir, `${records[5].id}.json`), 'utf8').replace(/"verdict":\s*"fail"/, '"verdict": "pass"'))
    await s.index.close()
    open.splice(open.indexOf(s.index), 1)
    const { index } = await StationIndex.open(s.dir, { dataDir: null })
    open.push(index)
    const verify = signatureVerifier(TEST_TRUSTED)
    for (const r of [records[1], records[2]]) expect(await deliverRecord(server, renderJson(r), verify)).toEqual({ outcome: 'stored' })
    const lineServer = openPg(pg.url, { connectTimeoutMs: 2000 })
    const batches: number[] = []
    let plan: Array<'ok' | 'lose-answer' | 'stop'> = []
    const deliverMany = async (texts: string[]) => {
      batches.push(texts.length)
      const trouble = plan.shift() ?? 'ok'
      if (trouble === 'stop') await pg.stop()
      const outcomes = await deliverRecords(lineServer, texts, verify)
      if (trouble === 'lose-answer') throw new Error('connection reset after the batch was committed')
      return outcomes
    }
    const unused = () => Promise.reject(new Error('one-by-one delivery used'))
    const options = { ignoreSchedule: true, deliverMany, batch: 8 }

    plan = ['ok', 'lose-answer']
    const first = await sendOutbox(index.sql, unused, options)
    expect(batches).toEqual([8, 8])
    expect([first.delivered, first.alreadyThere, first.refused, first.failed]).toEqual([5, 2, 1, 22])
    expect(first.error).toContain('connection reset')

    batches.length = 0
    plan = ['ok', 'stop']
    const second = await sendOutbox(index.sql, unused, options)
    expect(batches).toEqual([8, 8])
    expect([second.delivered, second.alreadyThere, second.failed]).toEqual([0, 8, 14])
    const waiting = (await index.outbox()).filter((item) => item.state === 'waiting')
    expect(waiting.map((item) => item.runId)).toEqual(records.slice(16).map((r) => r.id))
    for (const item of waiting) expect(item.lastError).not.toContain(PG_TEST_PASSWORD)

    await pg.start()
    batches.length = 0
    const third = await sendOutbox(index.sql, unused, options)
    expect(batches).toEqual([8, 6])
    expect([third.delivered, third.alreadyThere, third.failed]).toEqual([14, 0, 0])
    expect((await index.outbox()).map((item) => [item.runId, item.state])).toEqual([[records[5].id, 'refused']])
    const expected = records.filter((_, i) => i !== 5)
    expect(await serverRuns(lineServer)).toEqual(expected.map((r) => r.id).sort())
    const steps = await lineServer.query<{ n: string }>('SELECT count(*) AS n FROM step')
    expect(Number(steps.rows[0].n)).toBe(expected.reduce((n, r) => n + r.steps.length, 0))
    const refusal = await lineServer.query<{ run_id: string; reason: string }>('SELECT run_id, reason FROM refusal')
    expect(refusal.rows.map((r) => r.run_id)).toEqual([records[5].id])
    expect(refusal.rows[0].reason).toMatch(/digest-mismatch/)
    const yieldRow = await lineServer.query<{ runs: string }>("SELECT sum(runs) AS runs FROM run_hour WHERE station = 'ST-F'")
    expect(Number(yieldRow.rows[0].runs)).toBe(29)
    await lineServer.close()
  }, 120_000)

  it('a tampered record is refused with its reason; the others are stored; status shows why it waits', async () => {
    await server.exec('TRUNCATE run, unit, refusal CASCADE')
    const records = [stationRecord('ST-D', 'D1', 1), stationRecord('ST-D', 'D2', 2, true), stationRecord('ST-D', 'D3', 3)]
    const dir = resultsFolder(records)
    folders.push(dir)
    const file = join(dir, `${records[1].id}.json`)
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"verdict":\s*"fail"/, '"verdict": "pass"'))
    const keyDir = mkdtempSync(join(tmpdir(), 'k230-line-keys-'))
    importTrustedKey(keyDir, exportPublicKey(stationKey('ST-D')))
    const io = captureIo(dir, { K230_LINE_DB: pg.url, K230_KEY_DIR: keyDir })
    const code = await syncCommand.run(['--results', dir], io)
    expect(io.err()).not.toContain(PG_TEST_PASSWORD)
    expect(io.out()).not.toContain(PG_TEST_PASSWORD)
    expect(io.out()).toContain('2 delivered, 0 already there, 1 refused, 0 not sent')
    expect(code).toBe(1)
    expect(await serverRuns(server)).toEqual([records[0].id, records[2].id])
    const refusal = await server.query<{ run_id: string; reason: string }>('SELECT run_id, reason FROM refusal')
    expect(refusal.rows).toHaveLength(1)
    expect(refusal.rows[0].run_id).toBe(records[1].id)
    expect(refusal.rows[0].reason).toMatch(/digest-mismatch/)
    const statusIo = captureIo(dir, {})
    expect(await syncCommand.run(['status', '--results', dir], statusIo)).toBe(0)
    expect(statusIo.out()).toContain(records[1].id)
    expect(statusIo.out()).toMatch(/refused .*the record was changed after it was signed \(digest-mismatch\)\n/)
    const zhIo = captureIo(dir, { LANG: 'zh_CN.UTF-8' })
    expect(await syncCommand.run(['status', '--results', dir], zhIo)).toBe(0)
    expect(zhIo.out()).toMatch(/记录在签名后被修改过 \(digest-mismatch\)\n/)
  }, 120_000)

  it('an injected signature verifier decides: a record it refuses is not stored and its reason comes back', async () => {
    await server.exec('TRUNCATE run, unit, refusal CASCADE')
    const good = stationRecord('ST-E', 'E1', 1)
    const forged = stationRecord('ST-E', 'E2', 2)
    const verifier: RecordVerifier = (text) => (text.includes('"E2"') ? { ok: false, reason: 'station signature does not verify with the key of ST-E' } : { ok: true, station: 'ST-E' })
    expect(await deliverRecord(server, JSON.stringify(good), verifier)).toEqual({ outcome: 'stored' })
    expect(await deliverRecord(server, JSON.stringify(forged), verifier)).toEqual({ outcome: 'refused', reason: 'station signature does not verify with the key of ST-E' })
    const impostor: RecordVerifier = () => ({ ok: true, station: 'ST-Z' })
    expect(await deliverRecord(server, JSON.stringify(stationRecord('ST-E', 'E3', 3)), impostor)).toEqual({ outcome: 'refused', reason: 'signed by station ST-Z but names station ST-E' })
    expect(await serverRuns(server)).toEqual([good.id])
  })

  it('a connection error names the server with its password masked', async () => {
    const bad = openPg(pg.url.replace(/\/postgres$/, '/no_such_db'), { connectTimeoutMs: 2000 })
    const error = await bad.query('SELECT 1').catch((e: Error) => e)
    await bad.close()
    expect(String(error)).toContain('no_such_db')
    expect(String(error)).toContain('***')
    expect(String(error)).not.toContain(PG_TEST_PASSWORD)
  })
})
