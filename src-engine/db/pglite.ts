import { PGlite, type Transaction } from '@electric-sql/pglite'
import type { Sql } from './sql'

function wrapTx(tx: Transaction): Sql {
  return {
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await tx.query<T>(text, params)).rows }),
    exec: async (text) => void (await tx.exec(text)),
    transaction: (fn) => fn(wrapTx(tx)),
    close: async () => undefined,
  }
}

/** Opens an embedded PostgreSQL (PGlite) in `dataDir` (in memory when undefined) behind the shared `Sql` seam. */
export async function openPglite(dataDir?: string): Promise<Sql> {
  const db = dataDir ? new PGlite(dataDir) : new PGlite()
  await db.waitReady
  return {
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await db.query<T>(text, params)).rows }),
    exec: async (text) => void (await db.exec(text)),
    transaction: (fn) => db.transaction((tx) => fn(wrapTx(tx))),
    close: () => db.close(),
  }
}
