import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { CliCommand, CliIo } from '../command'
import { EXIT, UsageError, thrownText } from '../command'
import { hasKey, type Translate } from '@shared/i18n/translate'
import { parseCommandArgs } from '../args'
import { displayWidth } from './run-progress'
import { DEFAULT_STATION_ROLE, GuardError, guardInstalled, installGuard, maskUrl, openPg, serverKeys, trustServerKey, type Sql } from '@engine/db/index'
import { KeyStoreError } from '@engine/report/index'

const USAGE =
  'k230-bringup line-server guard --db ADMIN_URL [--station-role NAME]   (once per server, and again after an upgrade)\n       k230-bringup line-server trust --db ADMIN_URL KEY.pub...   (files written by k230-bringup keys export)\n       k230-bringup line-server keys --db ADMIN_URL\nexit: 0 done, 2 bad usage, a key file that is not one or no guard installed, 3 the line server could not be reached or refused the change'

async function withServer(url: string, io: CliIo, t: Translate, fn: (sql: Sql) => Promise<number>): Promise<number> {
  const sql = openPg(url, { max: 1 })
  try {
    return await fn(sql)
  } catch (error) {
    if (error instanceof KeyStoreError || error instanceof GuardError) throw error
    io.stderr.write(`k230-bringup line-server: ${thrownText(error, t, maskUrl(url))}\n`)
    return EXIT.lost
  } finally {
    await sql.close().catch(() => undefined)
  }
}

async function guard(sql: Sql, url: string, role: string, io: CliIo, t: Translate): Promise<number> {
  const done = await installGuard(sql, role)
  io.stdout.write(`${t('cli.lineServer.guarded', { url: maskUrl(url), role: done.role, schema: done.schema })}\n`)
  if (done.migrated.length) io.stdout.write(`${t('cli.lineServer.migrated', { versions: done.migrated.join(', ') })}\n`)
  io.stdout.write(`${t('cli.lineServer.next', { role: done.role })}\n`)
  return EXIT.ok
}

async function trust(sql: Sql, files: string[], io: CliIo, t: Translate): Promise<number> {
  if (!(await guardInstalled(sql))) {
    io.stderr.write(`k230-bringup line-server: ${t('cli.lineServer.noGuard')}\n`)
    return EXIT.usage
  }
  for (const name of files) {
    const file = resolve(io.cwd, name)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      io.stderr.write(`k230-bringup line-server: ${t('cli.common.cannotRead', { file, error: (error as Error).message })}\n`)
      return EXIT.usage
    }
    const { key, added } = await trustServerKey(sql, text)
    io.stdout.write(`${t(added ? 'cli.lineServer.trusted' : 'cli.lineServer.alreadyTrusted', { station: key.station, keyId: key.keyId })}\n`)
  }
  return EXIT.ok
}

async function keys(sql: Sql, io: CliIo, t: Translate): Promise<number> {
  if (!(await guardInstalled(sql))) {
    io.stderr.write(`k230-bringup line-server: ${t('cli.lineServer.noGuard')}\n`)
    return EXIT.usage
  }
  const list = await serverKeys(sql)
  if (!list.length) io.stdout.write(`${t('cli.lineServer.noKeys')}\n`)
  const width = Math.max(0, ...list.map((k) => displayWidth(k.station)))
  for (const k of list) io.stdout.write(`${k.keyId}  ${k.station}${' '.repeat(width - displayWidth(k.station))}  ${t('cli.lineServer.added', { at: k.addedAt })}\n`)
  return EXIT.ok
}

/** `k230-bringup line-server`: the line administrator installs the guard on the line server (PostgreSQL checks every record's station signature) and manages the station keys it trusts. Trusts the admin URL it is given; never prints its password. */
export const lineServerCommand: CliCommand = {
  name: 'line-server',
  summary: 'install the signature guard on the line server and manage the station keys it trusts',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals, t } = parseCommandArgs(argv, io.env, { db: { type: 'string' }, 'station-role': { type: 'string' } }, { positionals: 64 })
    const [action, ...rest] = positionals
    const url = values.db
    if (!action) throw new UsageError('cli.lineServer.noAction')
    if (!['guard', 'trust', 'keys'].includes(action) || (action !== 'trust' && rest.length) || (action === 'trust' && !rest.length)) throw new UsageError('cli.lineServer.unknownAction', { action })
    if (!url) throw new UsageError('cli.lineServer.needsDb')
    if (values['station-role'] !== undefined && action !== 'guard') throw new UsageError('cli.lineServer.roleGuardOnly')
    try {
      return await withServer(url, io, t, (sql) => (action === 'guard' ? guard(sql, url, values['station-role'] ?? DEFAULT_STATION_ROLE, io, t) : action === 'trust' ? trust(sql, rest, io, t) : keys(sql, io, t)))
    } catch (error) {
      if (error instanceof GuardError) throw new UsageError('cli.lineServer.badRole', error.params)
      if (!(error instanceof KeyStoreError)) throw error
      io.stderr.write(`k230-bringup line-server: ${hasKey(`cli.keys.error.${error.why}`) ? t(`cli.keys.error.${error.why}`, error.params) : error.message}\n`)
      return EXIT.usage
    }
  },
}
