/** Starts and stops a real PostgreSQL 15 server (Debian's /usr/lib/postgresql/15/bin) on loopback in a temporary folder, as the `postgres` OS user when run as root. */
import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Where Debian's `postgresql-15` package puts the server binaries. */
export const PG_BIN = process.env.K230_PG_BIN ?? '/usr/lib/postgresql/15/bin'

/** Whether the server binaries are here; under CI=true their absence is a failure, never a skip. */
export function postgresAvailable(): boolean {
  const ok = existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'))
  if (!ok && process.env.CI === 'true') throw new Error(`PostgreSQL server binaries missing in ${PG_BIN}: .ci/run installs the Debian package 'postgresql'`)
  return ok
}

/** Whether PL/Python (Debian's `postgresql-plpython3-15`) and Python's `cryptography` are here for the line-server guard; under CI=true their absence is a failure, never a skip. */
export function guardAvailable(): boolean {
  const ok = postgresAvailable() && existsSync(join(PG_BIN, '..', 'lib', 'plpython3.so')) && ['/usr/lib/python3/dist-packages/cryptography', '/usr/local/lib/python3/dist-packages/cryptography'].some((dir) => existsSync(dir))
  if (!ok && process.env.CI === 'true') throw new Error(`PL/Python or python3-cryptography missing: .ci/run installs the Debian packages 'postgresql-plpython3-15' and 'python3-cryptography'`)
  return ok
}

/** The password of the test server's user; tests check it never shows in messages. */
export const PG_TEST_PASSWORD = 'pg-S3cret!word'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      const port = typeof address === 'object' && address ? address.port : 0
      s.close(() => resolve(port))
    })
  })
}

/** A running test server. */
export interface PgServer {
  url: string
  port: number
  dir: string
  stop(): Promise<void>
  start(): Promise<void>
  /** Stops the server and deletes its folder. */
  destroy(): Promise<void>
}

function asUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {}
  return { uid: 101, gid: 104 }
}

async function pgUser(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {}
  const { stdout } = await run('id', ['-u', 'postgres'])
  const { stdout: g } = await run('id', ['-g', 'postgres'])
  return { uid: Number(stdout.trim()), gid: Number(g.trim()) }
}

/** initdb into a fresh temporary folder, then pg_ctl start on a free loopback port with the socket in that folder. */
export async function startPostgres(): Promise<PgServer> {
  const user = await pgUser().catch(asUser)
  const dir = mkdtempSync(join(tmpdir(), 'k230-pg-'))
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!)
  const data = join(dir, 'data')
  const pwfile = join(dir, 'pw')
  writeFileSync(pwfile, PG_TEST_PASSWORD + '\n')
  if (user.uid !== undefined) chownSync(pwfile, user.uid, user.gid!)
  const opts = { ...user, cwd: dir, env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } }
  await run(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'k230', '--pwfile', pwfile, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-sync'], opts)
  const port = await freePort()
  const start = async () => {
    await run(join(PG_BIN, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c max_connections=60`, 'start'], opts)
  }
  const stop = async () => {
    await run(join(PG_BIN, 'pg_ctl'), ['-D', data, '-w', '-t', '60', '-m', 'fast', 'stop'], opts)
  }
  await start()
  return {
    url: `postgres://k230:${encodeURIComponent(PG_TEST_PASSWORD)}@127.0.0.1:${port}/postgres`,
    port,
    dir,
    start,
    stop,
    destroy: async () => {
      await stop().catch(() => undefined)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
