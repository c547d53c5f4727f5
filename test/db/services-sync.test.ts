/** The services feed the outbox from finished runs and deliver them to a real PostgreSQL 15 line server: arrival, server down and up again (delivered once), refusal, and the password kept out of every answer and file. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { createServices, type Services } from '../../src-services/index'
import type { OutboxView, RunSnapshot } from '@shared/ipc'
import { postgresAvailable, PG_TEST_PASSWORD, startPostgres, type PgServer } from './postgres-server'

const hasPg = postgresAvailable()

function runEnds(s: Services, timeoutMs = 150_000): Promise<RunSnapshot> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('run did not end')), timeoutMs)
    const off = s.events.on('run:update', (u) => {
      if (u.running) return
      clearTimeout(timer)
      off()
      resolve(u)
    })
  })
}

function outboxUntil(s: Services, what: string, test: (v: OutboxView) => boolean, timeoutMs = 90_000): Promise<OutboxView> {
  return new Promise((resolve, reject) => {
    let last: OutboxView | undefined
    const timer = setTimeout(() => reject(new Error(`outbox never showed ${what}; last: ${JSON.stringify(last)}`)), timeoutMs)
    const off = s.events.on('outbox:changed', (v) => {
      last = v
      if (!test(v)) return
      clearTimeout(timer)
      off()
      resolve(v)
    })
  })
}

describe.skipIf(!hasPg)('services sync to the line server (real PostgreSQL)', () => {
  let server: PgServer
  let services: Services
  let dir: string
  let beforeConfigured = ''

  async function onServer(runId: string): Promise<number> {
    const client = new pg.Client(server.url)
    await client.connect()
    try {
      return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM run WHERE id = $1', [runId])).rows[0].n)
    } finally {
      await client.end()
    }
  }

  async function runUnit(serial: string): Promise<string> {
    const ended = runEnds(services)
    await services.handlers['run:start']({ serial, steps: ['console'] })
    const done = await ended
    expect(done.record?.unit.serial).toBe(serial)
    return done.record!.id
  }

  beforeAll(async () => {
    server = await startPostgres()
    dir = mkdtempSync(join(tmpdir(), 'k230-svc-sync-'))
    services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), simTimeScale: 0.02, appVersion: 'test', host: 'browser', lineSync: { baseMs: 300, maxMs: 2000 } })
    await services.handlers['settings:set']({ operator: 'sync-op' })
    await services.handlers['console:open']({ kind: 'sim', scenario: 'healthy' })
  }, 120_000)

  afterAll(async () => {
    await services?.dispose()
    await server?.destroy()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('a run finished before any line server is set waits in the outbox, saying so', async () => {
    beforeConfigured = await runUnit('SYNC-0000')
    const view = await services.handlers['outbox:list'](undefined as never)
    expect(view).toMatchObject({ configured: false, items: [{ runId: beforeConfigured, serial: 'SYNC-0000', state: 'waiting', reason: 'not-configured' }] })
    await expect(services.handlers['outbox:send'](undefined as never)).rejects.toMatchObject({ code: 'line-not-configured' })
  }, 200_000)

  it('only an engineer sets the line server; the password is in no answer, log, audit entry or settings file', async () => {
    await expect(services.handlers['line:set']({ url: server.url })).rejects.toMatchObject({ code: 'locked' })
    await services.handlers['access:setPassword']({ password: 'sync-engineer-pw' })
    const bad = services.handlers['line:set']({ url: 'mysql://k230:pw-Wrong-Kind@127.0.0.1/line' })
    await expect(bad).rejects.toMatchObject({ code: 'line-bad-url' })
    await expect(bad).rejects.not.toThrow(/pw-Wrong-Kind/)
    const view = await services.handlers['line:set']({ url: server.url })
    expect(view).toMatchObject({ configured: true, host: '127.0.0.1', port: server.port, database: 'postgres', user: 'k230', passwordSet: true })
    const answers = [view, await services.handlers['line:get'](undefined as never), await services.handlers['settings:get'](undefined as never), await services.handlers['access:audit'](undefined as never)]
    for (const a of answers) expect(JSON.stringify(a)).not.toContain(PG_TEST_PASSWORD)
    expect((await services.handlers['access:audit'](undefined as never))[0]).toMatchObject({ action: 'line.change', detail: { host: { to: '127.0.0.1' }, password: 'changed' } })
    for (const f of readdirSync(dir).filter((n) => n !== 'line-server.password' && statSync(join(dir, n)).isFile())) expect(readFileSync(join(dir, f), 'utf8'), f).not.toContain(PG_TEST_PASSWORD)
    expect(readFileSync(join(dir, 'line-server.password'), 'utf8')).toBe(PG_TEST_PASSWORD)
    expect(statSync(join(dir, 'line-server.password')).mode & 0o077).toBe(0)
    expect(await services.handlers['line:test'](undefined as never)).toMatchObject({ ok: true, server: expect.stringMatching(/^PostgreSQL 15/) })
  }, 60_000)

  it('a finished run arrives on the line server; with the server down it waits with the reason, then is delivered once', async () => {
    const arrived = outboxUntil(services, 'the first runs delivered', (v) => v.delivered >= 2 && !v.sending && v.items.length === 0)
    const first = await runUnit('SYNC-0001')
    await arrived
    expect(await onServer(first)).toBe(1)
    expect(await onServer(beforeConfigured)).toBe(1)

    await server.stop()
    const waits = outboxUntil(services, 'the second run waiting as unreachable', (v) => v.items.some((i) => i.serial === 'SYNC-0002' && i.reason === 'unreachable'))
    const second = await runUnit('SYNC-0002')
    const waiting = (await waits).items.find((i) => i.runId === second)!
    expect(waiting).toMatchObject({ state: 'waiting', reason: 'unreachable', code: 'ECONNREFUSED' })
    expect(waiting.attempts).toBeGreaterThanOrEqual(1)
    expect(waiting.detail).toContain('127.0.0.1')
    expect(JSON.stringify(await services.handlers['outbox:list'](undefined as never))).not.toContain(PG_TEST_PASSWORD)
    expect(await services.handlers['line:test'](undefined as never)).toMatchObject({ ok: false, code: 'ECONNREFUSED' })

    await server.start()
    const delivered = await outboxUntil(services, 'the second run delivered after the restart', (v) => !v.sending && v.items.length === 0)
    expect(delivered.delivered).toBeGreaterThanOrEqual(3)
    expect(await onServer(second)).toBe(1)
    const again = await services.handlers['outbox:send'](undefined as never)
    expect(again.items).toEqual([])
    expect(await onServer(first)).toBe(1)
    expect(await onServer(second)).toBe(1)
  }, 300_000)

  it('a record whose content no longer matches its signature is refused and says why; the server does not store it', async () => {
    const results = join(dir, 'results')
    const file = readdirSync(results).find((f) => f.startsWith('SYNC-0001') && f.endsWith('.json'))!
    const record = JSON.parse(readFileSync(join(results, file), 'utf8')) as { id: string; unit: { serial: string } }
    record.id = `${record.id}-forged`
    record.unit.serial = 'SYNC-FORGED'
    writeFileSync(join(results, 'SYNC-FORGED.json'), JSON.stringify(record, null, 2))
    const view = await services.handlers['outbox:send'](undefined as never)
    expect(view.items).toEqual([expect.objectContaining({ runId: record.id, serial: 'SYNC-FORGED', state: 'refused', reason: 'refused', code: 'digest-mismatch' })])
    expect(await onServer(record.id)).toBe(0)
  }, 120_000)
})
