import pg from 'pg'
import type { Sql } from './sql'
import { maskUrl as maskConnectionUrl, maskUrlSecrets } from '../secrets/mask'

/** A connection URL with its password masked, for messages and logs (the one masker's). Pure. */
export const maskUrl = maskConnectionUrl

/** Error text with every occurrence of the password (and any URL password) masked (the one masker's). Pure. */
export const maskSecret = maskUrlSecrets

/** Thrown for line-server failures; the message never carries the password. */
export class LineServerError extends Error {
  override name = 'LineServerError'
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message)
  }
}

function masked(error: unknown, url: string): LineServerError {
  const e = error as { message?: string; code?: string }
  return new LineServerError(`line server ${maskUrl(url)}: ${maskSecret(e?.message ?? String(error), url)}`, e?.code)
}

function wrapClient(client: pg.PoolClient, url: string): Sql {
  return {
    query: async <T>(text: string, params?: unknown[]) => {
      try {
        return { rows: (await client.query(text, params)).rows as T[] }
      } catch (error) {
        throw masked(error, url)
      }
    },
    exec: async (text) => {
      try {
        await client.query(text)
      } catch (error) {
        throw masked(error, url)
      }
    },
    transaction: (fn) => fn(wrapClient(client, url)),
    close: async () => undefined,
  }
}

/** Opens a pool to a PostgreSQL server at `url` behind the shared `Sql` seam; errors name the server with the password masked. */
export function openPg(url: string, options: { max?: number; connectTimeoutMs?: number } = {}): Sql {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4, connectionTimeoutMillis: options.connectTimeoutMs ?? 5000 })
  pool.on('error', () => undefined)
  const connect = async () => {
    try {
      return await pool.connect()
    } catch (error) {
      throw masked(error, url)
    }
  }
  return {
    query: async <T>(text: string, params?: unknown[]) => {
      try {
        return { rows: (await pool.query(text, params)).rows as T[] }
      } catch (error) {
        throw masked(error, url)
      }
    },
    exec: async (text) => {
      try {
        await pool.query(text)
      } catch (error) {
        throw masked(error, url)
      }
    },
    transaction: async (fn) => {
      const client = await connect()
      let broken = false
      try {
        await client.query('BEGIN')
        const out = await fn(wrapClient(client, url))
        await client.query('COMMIT')
        return out
      } catch (error) {
        try {
          await client.query('ROLLBACK')
        } catch {
          broken = true
        }
        throw error instanceof LineServerError ? error : masked(error, url)
      } finally {
        client.release(broken)
      }
    },
    close: () => pool.end(),
  }
}
