/** The one database seam: PGlite (station) and `pg` (line server) both answer `query(text, params)` with rows. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>
  /** Runs several statements (no parameters), for migrations. */
  exec(text: string): Promise<void>
  /** Runs `fn` inside one transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>
  close(): Promise<void>
}
