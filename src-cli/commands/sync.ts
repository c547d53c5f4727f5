import { defaultResultsFolder } from '@engine/record/default-folder'
import { resolve } from 'node:path'
import type { CliCommand, CliIo } from '../command'
import { EXIT, UsageError, thrownText } from '../command'
import { defaultKeyDir, trustedKeys } from '@engine/report/index'
import { connectionFailure, deliverRecord, deliverRecords, maskUrl, refusalCode, migrate, openPg, signatureVerifier, sendOutbox, StationIndex, type OutboxItem } from '@engine/db/index'
import { isDirectory } from '@engine/report/index'
import type { Translate } from '@shared/i18n/translate'
import { parseCommandArgs } from '../args'
import { displayWidth } from './run-progress'

/** Why a row waits or was refused, in the reader's language: the refusal or connection code's words, the stored text when it names no code. */
function whyText(item: OutboxItem, t: Translate): string {
  if (!item.lastError) return ''
  const code = item.state === 'refused' ? refusalCode(item.lastError) : connectionFailure(item.lastError)
  if (code === undefined || code === 'other') return item.lastError
  const words = t(`outbox.code.${code}`)
  return words === `outbox.code.${code}` ? item.lastError : `${words} (${code})`
}

function itemLine(item: OutboxItem, t: Translate): string {
  const state = t(`cli.sync.state.${item.state}`)
  const why = whyText(item, t)
  return `${t('cli.sync.item', { runId: item.runId, state: state + ' '.repeat(Math.max(0, 9 - displayWidth(state))), attempts: item.attempts, queuedAt: item.queuedAt })}${why ? `  ${why}` : ''}`
}

async function withStation<T>(dir: string, fn: (index: StationIndex) => Promise<T>): Promise<T> {
  if (!(await isDirectory(dir))) throw new UsageError('cli.common.noResults', { dir })
  return StationIndex.using(dir, (index) => fn(index))
}

async function status(argv: string[], io: CliIo): Promise<number> {
  const { values, t } = parseCommandArgs(argv, io.env, { results: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' } })
  const dir = resolve(io.cwd, values.results ?? defaultResultsFolder(io.env))
  const items = await withStation(dir, (index) => index.outbox(values.all === true))
  if (values.json) io.stdout.write(JSON.stringify(items, null, 2) + '\n')
  else if (!items.length) io.stdout.write(`${t('cli.sync.nothing', { dir })}\n`)
  else for (const item of items) io.stdout.write(itemLine(item, t) + '\n')
  return EXIT.ok
}

async function send(argv: string[], io: CliIo): Promise<number> {
  const { values, t } = parseCommandArgs(argv, io.env, { results: { type: 'string' }, db: { type: 'string' } })
  const url = values.db ?? io.env.K230_LINE_DB
  if (!url) throw new UsageError('cli.sync.needsDb')
  const dir = resolve(io.cwd, values.results ?? defaultResultsFolder(io.env))
  return withStation(dir, (index) => deliverAll(index, url, io, t))
}

async function deliverAll(index: StationIndex, url: string, io: CliIo, t: Translate): Promise<number> {
  const server = openPg(url)
  try {
    try {
      await migrate(server)
    } catch (error) {
      io.stderr.write(`k230-bringup sync: ${thrownText(error, t, maskUrl(url))}\n`)
      return EXIT.lost
    }
    const verify = signatureVerifier(trustedKeys(defaultKeyDir(io.env)))
    const result = await sendOutbox(index.sql, (text) => deliverRecord(server, text, verify), { ignoreSchedule: true, deliverMany: (texts) => deliverRecords(server, texts, verify) })
    io.stdout.write(`${t('cli.sync.sent', { url: maskUrl(url), delivered: result.delivered, already: result.alreadyThere, refused: result.refused, failed: result.failed })}\n`)
    if (result.error) io.stderr.write(`k230-bringup sync: ${thrownText(result.failure ?? result.error, t, maskUrl(url))}\n`)
    const left = await index.outbox()
    for (const item of left) io.stdout.write(itemLine(item, t) + '\n')
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
