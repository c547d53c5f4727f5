import { performance } from 'node:perf_hooks'
import { deliverRecord, migrate, openPg, signatureVerifier } from '@engine/db/index'
import { renderJson } from '@engine/report/index'
import type { RunRecord } from '@shared/record'
import { stationRecord, TEST_TRUSTED } from '../test/db/records'
import { startPostgres } from '../test/db/postgres-server'
void (async () => {
  const pg = await startPostgres()
  const sql = openPg(pg.url)
  await migrate(sql)
  const mk = (s: string, i: number) => renderJson(stationRecord(s, `${s}-U${i}`, i % 1440, i % 7 === 0, { transcript: Array.from({ length: 200 }, (_, k) => ({ t: k * 50, dir: 'rx', text: `console line ${k} of unit ${i}` })) } as Partial<RunRecord>))
  for (const mode of ['on', 'off', 'on']) {
    await sql.exec(`ALTER TABLE run ${mode === 'on' ? 'ENABLE' : 'DISABLE'} TRIGGER USER; ALTER TABLE step ${mode === 'on' ? 'ENABLE' : 'DISABLE'} TRIGGER USER;`)
    const texts = Array.from({ length: 60 }, (_, i) => mk('P' + mode + Math.random().toString(36).slice(2, 6), i))
    const t = performance.now()
    for (const x of texts) await deliverRecord(sql, x, signatureVerifier(TEST_TRUSTED))
    console.log(mode, ((performance.now() - t) / 60).toFixed(1), 'ms per record, 1 station')
  }
  await sql.exec("SELECT pg_stat_reset()")
  await sql.close(); await pg.destroy()
})()
