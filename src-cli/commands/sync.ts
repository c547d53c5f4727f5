import { resolve } from 'node:path'
import type { CliCommand, CliIo } from '../command'
import { EXIT, UsageError } from '../command'
import { defaultKeyDir, trustedKeys } from '@engine/report/index'
import { deliverRecord, maskUrl, migrate, openPg, signatureVerifier, sendOutbox, StationIndex, type OutboxItem } from '@engine/db/index'
import { isDirectory } from '@engine/report/index'
import { parseFlags } from './console-args'

function itemLine(item: OutboxItem): string {
  return `${item.runId}  ${item.state.padEnd(9)} attempts ${item.attempts}  queued ${item.queuedAt}${item.lastError ? `  ${item.lastError}` : ''}`
}

async function withStation<T>(dir: string, fn: (index: StationIndex) => Promise<T>): Promise<T> {
  if (!(await isDirectory(dir))) throw new UsageError(`no results folder at ${dir} (give --results DIR or set K230_RESULTS)`)
  return StationIndex.using(dir, (index) => fn(index))
}

async function status(argv: string[], io: CliIo): Promise<number> {
  const { flags, rest } = parseFlags(argv, { values: ['results'], booleans: ['json', 'all'] })
  if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`)
  const dir = resolve(io.cwd, (flags.get('results') as string | undefined) ?? io.env.K230_RESULTS ?? 'results')
  const items = await withStation(dir, (index) => index.outbox(flags.has('all')))
  if (flags.has('json')) io.stdout.write(JSON.stringify(items, null, 2) + '\n')
  else if (!items.length) io.stdout.write(`nothing waiting in ${dir}\n`)
  else for (const item of items) io.stdout.write(itemLine(item) + '\n')
  return EXIT.ok
}

async function send(argv: string[], io: CliIo): Promise<number> {
  const { flags, rest } = parseFlags(argv, { values: ['results', 'db'], booleans: [] })
  if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`)
  const url = (flags.get('db') as string | undefined) ?? io.env.K230_LINE_DB
  if (!url) throw new UsageError('give --db URL (or set K230_LINE_DB), e.g. postgres://user@host:5432/line')
  const dir = resolve(io.cwd, (flags.get('results') as string | undefined) ?? io.env.K230_RESULTS ?? 'results')
  return withStation(dir, (index) => deliverAll(index, url, io))
}

async function deliverAll(index: StationIndex, url: string, io: CliIo): Promise<number> {
  const server = openPg(url)
  try {
    try {
      await migrate(server)
    } catch (error) {
      io.stderr.write(`k230-bringup sync: ${(error as Error).message}\n`)
      return EXIT.lost
    }
    const result = await sendOutbox(index.sql, (text) => deliverRecord(server, text, signatureVerifier(trustedKeys(defaultKeyDir(io.env)))), { ignoreSchedule: true })
    io.stdout.write(`${maskUrl(url)}: ${result.delivered} delivered, ${result.alreadyThere} already there, ${result.refused} refused, ${result.failed} not sent\n`)
    if (result.error) io.stderr.write(`k230-bringup sync: ${result.error}\n`)
    const left = await index.outbox()
    for (const item of left) io.stdout.write(itemLine(item) + '\n')
    if (result.failed) return EXIT.lost
    return left.length ? EXIT.failed : EXIT.ok
  } finally {
    await server.close()
  }
}

/** `k230-bringup sync`: deliver the results folder's waiting records to the line server; `sync status` lists what waits and why. */
export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'deliver records to the line database; status lists what waits',
  usage: 'k230-bringup sync --db URL [--results DIR]     (URL may also come from K230_LINE_DB)\n       k230-bringup sync status [--results DIR] [--all] [--json]\nexit: 0 all delivered or already there, 1 some refused (status says why), 3 the line server could not be reached',
  async run(argv, io) {
    if (argv[0] === 'status') return status(argv.slice(1), io)
    return send(argv, io)
  },
}
