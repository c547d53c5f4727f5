// Station sync figures: how long after a finished record lands in the results folder it is on the line server (one background
// pass of the services' sender: open the station's on-disk index under its lock, index and queue the new file, deliver, close),
// with 1,000 earlier records already indexed; and one outbox listing (what the Reports screen asks). Ratio = measured / goal.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { renderJson } from '@engine/report/index'
import { LineSyncService } from '../src-services/line-sync'
import { IndexHolder } from '../src-services/index-holder'
import { EventHub } from '../src-services/events'
import { stationRecord, TEST_TRUSTED } from '../test/db/records'
import { startPostgres } from '../test/db/postgres-server'

const EARLIER = Number(process.env.K230_BENCH_EARLIER ?? 1000)
const NEW = Number(process.env.K230_BENCH_NEW ?? 5)
const GOAL_DELIVER_MS = 3000
const GOAL_LIST_MS = 1500

function line(name: string, ms: number, goalMs: number): void {
  console.log(`${name}: ${ms.toFixed(0)} ms (goal ${goalMs} ms, ratio ${(ms / goalMs).toFixed(3)})`)
}

async function main(): Promise<void> {
  const server = await startPostgres()
  const dir = mkdtempSync(join(tmpdir(), 'k230-bench-sync-'))
  const results = join(dir, 'results')
  try {
    const write = (i: number) => writeFileSync(join(results, `BENCH-${i}.json`), renderJson(stationRecord('BENCH-ST', `B${i}`, i % 1440)))
    mkdirSync(results, { recursive: true })
    for (let i = 0; i < EARLIER; i++) write(i)
    const events = new EventHub()
    const indexes = new IndexHolder()
    const sync = new LineSyncService(dir, () => results, () => TEST_TRUSTED, events, indexes, {})
    sync.configure({ url: server.url })
    const empty = () => new Promise<void>((resolve) => {
      const off = events.on('outbox:changed', (v) => {
        if (v.sending || v.items.length) return
        off()
        resolve()
      })
    })
    let t = performance.now()
    await empty()
    console.log(`first pass: ${EARLIER} earlier records indexed and delivered in ${(performance.now() - t).toFixed(0)} ms`)
    const times: number[] = []
    for (let k = 0; k < NEW; k++) {
      write(EARLIER + k)
      t = performance.now()
      const done = empty()
      sync.poke()
      await done
      times.push(performance.now() - t)
    }
    times.sort((a, b) => a - b)
    line(`one finished record to the line server (median of ${NEW}, ${EARLIER} earlier records)`, times[Math.floor(times.length / 2)], GOAL_DELIVER_MS)
    await sync.outbox()
    const lists: number[] = []
    for (let k = 0; k < 3; k++) {
      t = performance.now()
      await sync.outbox()
      lists.push(performance.now() - t)
    }
    line('outbox listing (best of 3)', Math.min(...lists), GOAL_LIST_MS)
    await sync.dispose()
    await indexes.dispose()
  } finally {
    await server.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}

void main()
