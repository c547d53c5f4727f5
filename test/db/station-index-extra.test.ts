/** The station's on-disk index rebuilds itself from the record files when its database is gone or damaged, finds units by exact IMEI or ICCID in any case, and `sync --db` against a real PostgreSQL answers 0, 0 again, 3 with the server down (password never shown, records waiting), then 0. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunRecord } from '@shared/record'
import { exportPublicKey, importTrustedKey, renderJson, sealedRecord, signRecord } from '@engine/report/index'
import { findRunsSql, openPg, searchRunsSql, STATION_DB_DIR, StationIndex, type Sql } from '@engine/db/index'
import { syncCommand } from '../../src-cli/commands/sync'
import { captureIo } from '../reports/helpers/io'
import { postgresAvailable, PG_TEST_PASSWORD, startPostgres, type PgServer } from './postgres-server'
import { resultsFolder, stationKey, stationRecord } from './records'

const hasPg = postgresAvailable()
const folders: string[] = []

afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true })
})

function folderOf(records: RunRecord[]): string {
  const dir = resultsFolder(records)
  folders.push(dir)
  return dir
}

/** The record re-sealed and re-signed with its unit's ICCID set (stationRecord keeps the fixture's ICCID). */
function withIccid(record: RunRecord, iccid: string): RunRecord {
  return signRecord(sealedRecord({ ...record, unit: { ...record.unit, iccid }, digest: undefined, signature: undefined }), stationKey(record.station.id))
}

function writeRecord(dir: string, record: RunRecord): void {
  writeFileSync(join(dir, `${record.id}.json`), renderJson(record))
}

async function openAndFind(dir: string, serials: string[]): Promise<{ rebuilt: boolean; added: number; found: string[][] }> {
  const { index, refresh } = await StationIndex.open(dir)
  try {
    const found: string[][] = []
    for (const serial of serials) found.push((await index.find({ serial })).map((e) => e.id))
    return { rebuilt: refresh.rebuilt, added: refresh.added, found }
  } finally {
    await index.close()
  }
}

function damagedFolders(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith(`${STATION_DB_DIR}.damaged-`))
}

describe('embedded station index on disk (PGlite)', () => {
  const records = [stationRecord('ST-IX', 'IX-0001', 1, true), stationRecord('ST-IX', 'IX-0002', 2), stationRecord('ST-IX', 'IX-0003', 3), stationRecord('ST-IX', 'IX-0001', 4), stationRecord('ST-IX', 'IX-0004', 5, true)]
  const serials = ['IX-0001', 'IX-0002', 'IX-0003', 'IX-0004']
  const expected = [
    ['ST-IX-IX-0001-1', 'ST-IX-IX-0001-4'],
    ['ST-IX-IX-0002-2'],
    ['ST-IX-IX-0003-3'],
    ['ST-IX-IX-0004-5'],
  ]

  async function indexedFolder(): Promise<string> {
    const dir = folderOf(records)
    const first = await openAndFind(dir, serials)
    expect(first).toEqual({ rebuilt: true, added: 5, found: expected })
    expect(existsSync(join(dir, STATION_DB_DIR, 'PG_VERSION'))).toBe(true)
    const second = await openAndFind(dir, serials)
    expect(second).toEqual({ rebuilt: false, added: 0, found: expected })
    return dir
  }

  it('its database folder deleted: reopening says it rebuilt and finds the same runs by serial', async () => {
    const dir = await indexedFolder()
    rmSync(join(dir, STATION_DB_DIR), { recursive: true, force: true })
    expect(await openAndFind(dir, serials)).toEqual({ rebuilt: true, added: 5, found: expected })
    expect(damagedFolders(dir)).toEqual([])
    expect(await openAndFind(dir, serials)).toEqual({ rebuilt: false, added: 0, found: expected })
  }, 120_000)

  const damages: Array<[string, (db: string) => void]> = [
    ['PG_VERSION overwritten with garbage', (db) => writeFileSync(join(db, 'PG_VERSION'), '\u0000\u00ffnot a version\n')],
    ['pg_control garbled', (db) => writeFileSync(join(db, 'global', 'pg_control'), Buffer.alloc(8192, 0xa5))],
  ]

  it.each(damages)('its database damaged (%s): reopening rebuilds, keeps the damaged folder beside it, finds the same runs and a record added afterwards', async (_what, damage) => {
    const dir = await indexedFolder()
    damage(join(dir, STATION_DB_DIR))
    const { index, refresh } = await StationIndex.open(dir)
    try {
      expect(refresh.rebuilt).toBe(true)
      expect(refresh.added).toBe(5)
      expect(refresh.skipped).toEqual([])
      expect(damagedFolders(dir)).toHaveLength(1)
      expect(existsSync(join(dir, STATION_DB_DIR, 'PG_VERSION'))).toBe(true)
      for (const [i, serial] of serials.entries()) expect((await index.find({ serial })).map((e) => e.id)).toEqual(expected[i])
      const later = stationRecord('ST-IX', 'IX-0005', 6)
      writeRecord(dir, later)
      const again = await index.refresh()
      expect([again.added, again.removed]).toEqual([1, 0])
      expect((await index.find({ serial: 'ix-0005' })).map((e) => e.id)).toEqual([later.id])
    } finally {
      await index.close()
    }
    const reopened = await openAndFind(dir, [...serials, 'IX-0005'])
    expect(reopened).toEqual({ rebuilt: false, added: 0, found: [...expected, ['ST-IX-IX-0005-6']] })
    expect(damagedFolders(dir)).toHaveLength(1)
  }, 120_000)
})

describe('finding a unit by IMEI or ICCID through SQL (PGlite)', () => {
  const a1 = withIccid(stationRecord('ST-Q', 'Q-0101', 30), '8986012180000000101F')
  const a0 = withIccid(stationRecord('ST-Q', 'Q-0101', 10, true), '8986012180000000101F')
  const b = withIccid(stationRecord('ST-Q', 'Q-0202', 20), '8986012180000000202F')
  let index: StationIndex
  let sql: Sql

  beforeAll(async () => {
    const dir = folderOf([a1, b, a0])
    const opened = await StationIndex.open(dir)
    index = opened.index
    sql = index.sql
    expect(opened.refresh.added).toBe(3)
  }, 120_000)

  afterAll(async () => {
    await index?.close()
  })

  it('the records carry the IMEI and ICCID searched for', () => {
    expect([a0.unit.imei, a0.unit.iccid, b.unit.imei, b.unit.iccid]).toEqual(['868300000000101', '8986012180000000101F', '868300000000202', '8986012180000000202F'])
  })

  it('an exact IMEI finds that unit\u2019s runs oldest first; a part of it finds nothing', async () => {
    const ids = [a0.id, a1.id]
    expect((await findRunsSql(sql, { imei: '868300000000101' })).map((e) => e.id)).toEqual(ids)
    expect((await findRunsSql(sql, { imei: ' 868300000000101 ' })).map((e) => e.id)).toEqual(ids)
    expect((await index.find({ any: '868300000000101' })).map((e) => e.id)).toEqual(ids)
    expect((await index.find({ any: '868300000000202' })).map((e) => e.id)).toEqual([b.id])
    expect(await findRunsSql(sql, { imei: '86830000000010' })).toEqual([])
    const found = await index.find({ imei: '868300000000101' })
    expect(found.map((e) => [e.serial, e.imei, e.iccid, e.verdict])).toEqual([
      ['Q-0101', '868300000000101', '8986012180000000101F', 'fail'],
      ['Q-0101', '868300000000101', '8986012180000000101F', 'pass'],
    ])
    expect(found[0].steps.length).toBeGreaterThan(0)
  })

  it('an ICCID finds that unit\u2019s runs oldest first, in any case', async () => {
    const ids = [a0.id, a1.id]
    for (const iccid of ['8986012180000000101F', '8986012180000000101f']) {
      expect((await findRunsSql(sql, { iccid })).map((e) => e.id)).toEqual(ids)
      expect((await index.find({ any: iccid })).map((e) => e.id)).toEqual(ids)
    }
    expect((await index.find({ any: '8986012180000000202f' })).map((e) => e.id)).toEqual([b.id])
    expect((await index.find({ serial: 'q-0101' })).map((e) => e.id)).toEqual(ids)
  })

  it('an unknown IMEI or ICCID finds nothing', async () => {
    expect(await findRunsSql(sql, { imei: '868300000009999' })).toEqual([])
    expect(await findRunsSql(sql, { iccid: '8986012180000000999F' })).toEqual([])
    expect(await index.find({ any: '868300000009999' })).toEqual([])
    expect(await index.find({ any: '8986012180000000999f' })).toEqual([])
    expect(await searchRunsSql(sql, '0000000999', false)).toEqual([])
  })

  it('a search by part of an IMEI or ICCID, any case, finds the matching runs newest first', async () => {
    expect((await searchRunsSql(sql, '300000000101', false)).map((e) => e.id)).toEqual([a1.id, a0.id])
    expect((await searchRunsSql(sql, '0000000101f', false)).map((e) => e.id)).toEqual([a1.id, a0.id])
    expect((await index.search('0202F', false)).map((e) => e.id)).toEqual([b.id])
    expect((await index.search('89860121800000', false)).map((e) => e.id)).toEqual([a1.id, b.id, a0.id])
  })
})

describe.skipIf(!hasPg)('sync --db URL to a real PostgreSQL line server', () => {
  let pg: PgServer
  let keyDir: string

  beforeAll(async () => {
    pg = await startPostgres()
    keyDir = mkdtempSync(join(tmpdir(), 'k230-extra-keys-'))
    folders.push(keyDir)
    importTrustedKey(keyDir, exportPublicKey(stationKey('ST-S')))
  }, 120_000)

  afterAll(async () => {
    await pg?.start().catch(() => undefined)
    await pg?.destroy()
  })

  async function serverRuns(): Promise<string[]> {
    const server = openPg(pg.url)
    try {
      return (await server.query<{ id: string }>('SELECT id FROM run ORDER BY id')).rows.map((r) => r.id)
    } finally {
      await server.close()
    }
  }

  async function sync(dir: string, args: string[] = ['--db', pg.url, '--results', dir]): Promise<{ code: number; out: string; err: string }> {
    const io = captureIo(dir, { K230_KEY_DIR: keyDir })
    const code = await syncCommand.run(args, io)
    const text = io.out() + io.err()
    expect(text).not.toContain(PG_TEST_PASSWORD)
    expect(text).not.toContain(encodeURIComponent(PG_TEST_PASSWORD))
    return { code, out: io.out(), err: io.err() }
  }

  it('delivers every signed record (0), finds nothing new (0) and, after a rebuild, all already there (0); with the server down exits 3 naming why without the password, the records wait; up again, delivered (0)', async () => {
    const records = Array.from({ length: 5 }, (_, i) => stationRecord('ST-S', `S-000${i}`, i, i === 2))
    const dir = folderOf(records)
    const maskedUrl = new RegExp(`postgres://k230:\\*+@127\\.0\\.0\\.1:${pg.port}/postgres: `)

    const first = await sync(dir)
    expect(first.out).toContain('5 delivered, 0 already there, 0 refused, 0 not sent')
    expect(first.out).toMatch(maskedUrl)
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    expect(await serverRuns()).toEqual(records.map((r) => r.id).sort())

    const again = await sync(dir)
    expect(again.out).toContain('0 delivered, 0 already there, 0 refused, 0 not sent')
    expect(again.code).toBe(0)

    rmSync(join(dir, STATION_DB_DIR), { recursive: true, force: true })
    const rebuilt = await sync(dir)
    expect(rebuilt.out).toContain('0 delivered, 5 already there, 0 refused, 0 not sent')
    expect(rebuilt.code).toBe(0)
    expect(await serverRuns()).toEqual(records.map((r) => r.id).sort())

    const later = [stationRecord('ST-S', 'S-0005', 5), stationRecord('ST-S', 'S-0006', 6, true), stationRecord('ST-S', 'S-0007', 7)]
    for (const r of later) writeRecord(dir, r)
    await pg.stop()
    const down = await sync(dir)
    expect(down.code).toBe(3)
    expect(down.err).toMatch(/^k230-bringup sync: postgres:\/\/\S+: connection refused \(is the server running\?\)/)
    expect(down.err).toContain(new URL(pg.url).port)
    expect(down.out).not.toContain('delivered')
    const statusIo = captureIo(dir, {})
    expect(await syncCommand.run(['status', '--results', dir], statusIo)).toBe(0)
    const waiting = statusIo.out().trim().split('\n')
    expect(waiting).toHaveLength(3)
    for (const [i, r] of later.entries()) expect(waiting[i]).toMatch(new RegExp(`^${r.id}\\s+waiting `))
    expect(statusIo.out()).not.toContain(PG_TEST_PASSWORD)

    await pg.start()
    const up = await sync(dir)
    expect(up.out).toContain('3 delivered, 0 already there, 0 refused, 0 not sent')
    expect(up.err).toBe('')
    expect(up.code).toBe(0)
    expect(await serverRuns()).toEqual([...records, ...later].map((r) => r.id).sort())
    const done = captureIo(dir, {})
    expect(await syncCommand.run(['status', '--results', dir], done)).toBe(0)
    expect(done.out()).toContain('nothing waiting in')
  }, 180_000)
})
