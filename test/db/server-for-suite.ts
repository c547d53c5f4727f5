/** The real PostgreSQL test server as a Vitest suite's fixture (kept apart from postgres-server.ts, which Playwright specs import too). */
import { afterAll, beforeAll } from 'vitest'
import { startPostgres, type PgServer } from './postgres-server'

/** A real server started before the calling suite's tests and destroyed after them; the getter returns it (throws before it started). */
export function serverForSuite(): () => PgServer {
  let pg: PgServer | undefined
  beforeAll(async () => {
    pg = await startPostgres()
  }, 120_000)
  afterAll(async () => {
    await pg?.destroy()
  })
  return () => {
    if (!pg) throw new Error('the PostgreSQL test server has not started (its beforeAll failed)')
    return pg
  }
}
