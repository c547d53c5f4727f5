import { appendLedger } from '@engine/report/ledger'
import { passingRecord } from '../fixtures/records'

/** Child process for the concurrency test: appends COUNT ledger rows for WRITER to LEDGER. */
async function main(): Promise<void> {
  const [ledger, writer, countText] = process.argv.slice(2)
  const count = Number(countText)
  const base = passingRecord()
  for (let i = 0; i < count; i++) {
    const record = { ...base, id: `${writer}-${String(i).padStart(4, '0')}`, unit: { ...base.unit, serial: `SN-${writer}-${i}` } }
    await appendLedger(ledger, record, { timeoutMs: 60_000 })
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n')
    process.exit(1)
  },
)
