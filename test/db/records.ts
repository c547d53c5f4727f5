/** Sealed record files for the results-database tests, written into temporary folders. */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunRecord } from '@shared/record'
import { exportPublicKey, loadOrCreateStationKey, parsePublicKeyExport, renderJson, sealedRecord, signRecord, type StationKey, type TrustedKey } from '@engine/report/index'
import { failingRecord, passingRecord } from '../reports/fixtures/records'

const keys = new Map<string, StationKey>()

/** The public keys of every test station that signed a record so far (what a line server would have imported). */
export const TEST_TRUSTED: TrustedKey[] = []

/** The station key of a test station, made on first use in its own temporary key folder. */
export function stationKey(station: string): StationKey {
  let key = keys.get(station)
  if (!key) {
    key = loadOrCreateStationKey(mkdtempSync(join(tmpdir(), 'k230-db-keys-')), station)
    keys.set(station, key)
    TEST_TRUSTED.push(parsePublicKeyExport(exportPublicKey(key)))
  }
  return key
}

/** A sealed record, signed by its station's key, of station `station`, unit `serial`, started `minute` minutes after 2026-11-24T08:00Z; fails when `fail`. */
export function stationRecord(station: string, serial: string, minute: number, fail = false, extra: Partial<RunRecord> = {}): RunRecord {
  const base = fail ? failingRecord() : passingRecord()
  const startedAt = new Date(Date.parse('2026-11-24T08:00:00.000Z') + minute * 60_000).toISOString()
  return signRecord(sealedRecord({ ...base, ...extra, id: `${station}-${serial}-${minute}`, startedAt, endedAt: new Date(Date.parse(startedAt) + 90_000).toISOString(), unit: { ...base.unit, serial, imei: `86830${serial.replace(/\D/g, '').padStart(10, '0')}` }, station: { ...base.station, id: station }, digest: undefined }), stationKey(station))
}

/** A fresh temporary results folder holding these records as their JSON files. */
export function resultsFolder(records: RunRecord[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'k230-results-'))
  for (const r of records) writeFileSync(join(dir, `${r.id}.json`), renderJson(r))
  return dir
}
