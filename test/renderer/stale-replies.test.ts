import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { ConsoleState, ReportEntry } from '@shared/ipc'
import { useReportsStore } from '../../src-renderer/stores/reports'
import { useStationStore } from '../../src-renderer/stores/station'

interface Pending<T> {
  promise: Promise<T>
  resolve(value: T): void
}
function pending<T>(): Pending<T> {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}
const flush = () => new Promise((resolve) => setImmediate(resolve))

function install(api: unknown): void {
  ;(globalThis as { window?: unknown }).window = { api }
}

beforeEach(() => setActivePinia(createPinia()))

describe('a reply that arrives after a newer one never replaces it', () => {
  it('Reports: ticking "include simulated" while the first list is still loading shows the simulated run', async () => {
    const lists: Pending<ReportEntry[]>[] = []
    install({
      reports: {
        list: () => {
          const p = pending<ReportEntry[]>()
          lists.push(p)
          return p.promise
        },
        yield: async () => ({ total: 0, passed: 0, steps: [], includesSimulated: false, causes: [] }),
      },
    })
    const reports = useReportsStore()
    const first = reports.refresh()
    reports.includeSimulated = true
    const second = reports.refresh()
    const run: ReportEntry = { id: 'r1', serial: 'K230-1', verdict: 'fail', startedAt: '2026-12-03T10:00:00Z', simulated: true }
    lists[1].resolve([run])
    await second
    lists[0].resolve([])
    await first
    expect(reports.entries.map((e) => e.id)).toEqual(['r1'])
  })

  it('Station: Disconnect pressed before the Connect reply came back shows Disconnected', async () => {
    let onState: (s: ConsoleState) => void = () => undefined
    const open = pending<ConsoleState>()
    install({
      ports: { list: async () => [], onChanged: () => () => undefined },
      console: {
        onState: (listener: (s: ConsoleState) => void) => {
          onState = listener
          return () => undefined
        },
        state: async () => ({ open: false }),
        open: () => open.promise,
        close: async () => {
          onState({ open: false, target: 'virtual:healthy' })
          return { open: false, target: 'virtual:healthy' }
        },
      },
      sim: { scenarios: async () => [] },
      profiles: { list: async () => [] },
    })
    const station = useStationStore()
    await station.load()
    const connecting = station.connect({ kind: 'sim', scenario: 'healthy' })
    onState({ open: true, target: 'virtual:healthy' })
    await station.disconnect()
    open.resolve({ open: true, target: 'virtual:healthy' })
    await connecting
    await flush()
    expect(station.connection).toMatchObject({ open: false })
  })
})
