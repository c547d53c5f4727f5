/** Seeds a line database for the dashboard spec: starts a real PostgreSQL server, delivers records of two stations (some failing, some retried, one simulated) through the line-server path, prints `{url, dir}` as JSON on stdout and runs until stdin closes. */
import { deliverRecord, migrate, openPg , signatureVerifier } from '@engine/db/index'
import { renderJson } from '@engine/report/index'
import { startPostgres } from './postgres-server'
import { stationRecord, TEST_TRUSTED } from './records'

async function main(): Promise<void> {
  const pg = await startPostgres()
  const sql = openPg(pg.url)
  await migrate(sql)
  const records = [
    ...Array.from({ length: 9 }, (_, i) => stationRecord('LINE1-ST01', `SN1${i}`, i * 20, i % 3 === 0)),
    ...Array.from({ length: 6 }, (_, i) => stationRecord('LINE1-ST02', `SN2${i}`, 300 + i * 35, i === 1)),
    stationRecord('LINE1-ST02', 'SN10', 520, false),
    stationRecord('LINE1-ST02', 'SN13', 530, true),
    stationRecord('LINE1-ST09', 'SIM-1', 540, true, { simulated: true }),
  ]
  for (const r of records) {
    const result = await deliverRecord(sql, renderJson(r), signatureVerifier(TEST_TRUSTED))
    if (result.outcome !== 'stored') throw new Error(`seed record ${r.id}: ${JSON.stringify(result)}`)
  }
  await sql.close()
  process.stdout.write(JSON.stringify({ url: pg.url, dir: pg.dir }) + '\n')
  process.stdin.resume()
  await new Promise<void>((done) => process.stdin.once('end', done).once('close', done))
  await pg.destroy()
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n')
  process.exit(1)
})
