import { defaultResultsFolder } from '@engine/record/default-folder'
import { resolve } from 'node:path'
import type { CliCommand, CliIo } from '../command'
import { EXIT, UsageError } from '../command'
import { isDirectory, NoChromiumError, parseRangeBound, renderYieldHtml, writeYieldPdf, scanResults, type IndexEntry, type UnitQuery, type YieldSummary } from '@engine/report/index'
import { StationIndex } from '@engine/db/index'
import { replaceFileAtomic, writeFileAtomicAsync } from '@engine/files/atomic'
import { hasKey, type Translate } from '@shared/i18n/translate'
import { parseCommandArgs } from '../args'
import { displayWidth } from './run-progress'
import { keyedText } from '@shared/i18n/render'

function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)))
}

const RESULTS = { results: { type: 'string' } } as const

function resultsDir(results: string | undefined, io: CliIo): string {
  return resolve(io.cwd, results ?? defaultResultsFolder(io.env))
}

async function requireFolder(dir: string): Promise<void> {
  if (!(await isDirectory(dir))) throw new UsageError('cli.common.noResults', { dir })
}

function verdictWord(t: Translate, verdict: string): string {
  const key = `cli.verdict.${verdict}`
  return hasKey(key) ? t(key) : verdict.toUpperCase()
}

function statusWord(t: Translate, status: string): string {
  const key = `report.statusWord.${status}`
  return hasKey(key) ? t(key) : status
}

function runLine(e: IndexEntry, t: Translate): string {
  const causes = e.steps.filter((s) => s.cause).map((s) => `${s.id}:${s.cause}`)
  return `${e.startedAt}  ${e.serial.padEnd(16)} ${padDisplay(verdictWord(t, e.verdict), 8)} ${padDisplay(statusWord(t, e.status), 10)}${e.simulated ? ` ${t('cli.history.simulated')}` : ''} ${causes.join(' ') || '-'}  ${e.file}`
}

async function find(args: string[], io: CliIo): Promise<number> {
  const { values, positionals, t } = parseCommandArgs(args, io.env, { ...RESULTS, json: { type: 'boolean' }, serial: { type: 'string' }, imei: { type: 'string' }, iccid: { type: 'string' }, 'include-simulated': { type: 'boolean' } }, { positionals: 1 })
  const dir = resultsDir(values.results, io)
  const query: UnitQuery = { serial: values.serial, imei: values.imei, iccid: values.iccid, includeSimulated: values['include-simulated'] === true }
  if (positionals[0]) query.any = positionals[0]
  if (!query.serial && !query.imei && !query.iccid && !query.any) throw new UsageError('cli.history.needsUnit')
  await requireFolder(dir)
  const runs = await StationIndex.using(dir, (index) => index.find(query))
  if (values.json) io.stdout.write(JSON.stringify(runs, null, 2) + '\n')
  else if (!runs.length) io.stdout.write(`${t('cli.history.noRuns', { dir })}\n`)
  else for (const run of runs) io.stdout.write(runLine(run, t) + '\n')
  return runs.length ? EXIT.ok : EXIT.failed
}

function percent(rate: number | null): string {
  return rate === null ? '   —  ' : `${(rate * 100).toFixed(1).padStart(5)}%`
}

function yieldText(s: YieldSummary, t: Translate): string {
  const lines = [
    t('cli.history.totals', { runs: s.runs, units: s.units, firstPass: percent(s.firstPassYield).trim(), final: percent(s.finalYield).trim() }),
    '',
    t('cli.history.perStep'),
    ...s.steps.map((y) => `  ${y.id.padEnd(12)} ${percent(y.passRate)}  ${String(y.passed).padStart(4)}/${String(y.tested).padEnd(4)} ${t('cli.history.skipped', { n: y.skipped })}`),
    '',
    t('cli.history.causes'),
    ...(s.causes.length ? s.causes.map((c) => `  ${String(c.count).padStart(4)}  ${percent(c.share)}  ${c.code}  (${c.steps.join(', ')})`) : [`  ${t('cli.history.none')}`]),
  ]
  return lines.join('\n') + '\n'
}

async function yieldSummary(args: string[], io: CliIo): Promise<number> {
  const { values, lang, t } = parseCommandArgs(args, io.env, { ...RESULTS, json: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' }, html: { type: 'string' }, pdf: { type: 'string' }, 'include-simulated': { type: 'boolean' } })
  const dir = resultsDir(values.results, io)
  const { json, from: fromText, to: toText, html: htmlOut, pdf: pdfOut } = values
  const includeSimulated = values['include-simulated'] === true
  let from: string | undefined
  let to: string | undefined
  try {
    from = fromText ? parseRangeBound(fromText, 'from') : undefined
  } catch {
    throw new UsageError('cli.history.badDate', { flag: '--from', value: fromText })
  }
  try {
    to = toText ? parseRangeBound(toText, 'to') : undefined
  } catch {
    throw new UsageError('cli.history.badDate', { flag: '--to', value: toText })
  }
  await requireFolder(dir)
  const summary = await StationIndex.using(dir, (index) => index.yield({ from, to, includeSimulated }))
  if (htmlOut) {
    const path = resolve(io.cwd, htmlOut)
    await writeFileAtomicAsync(path, renderYieldHtml(summary, { lang }))
    io.stderr.write(`${t('cli.history.htmlWritten', { path })}\n`)
  }
  let code: number = EXIT.ok
  if (pdfOut) {
    const path = resolve(io.cwd, pdfOut)
    try {
      const { chromium } = await replaceFileAtomic(path, (temp) => writeYieldPdf(summary, temp, { lang, env: io.env }))
      io.stderr.write(`${t('cli.history.pdfWritten', { path, chromium })}\n`)
    } catch (error) {
      if (!(error instanceof NoChromiumError)) throw error
      io.stderr.write(`k230-bringup history: ${keyedText(t, error.keyed, error.message)}\n`)
      code = EXIT.failed
    }
  }
  io.stdout.write(json ? JSON.stringify(summary, null, 2) + '\n' : yieldText(summary, t))
  return code
}

async function reindex(args: string[], io: CliIo): Promise<number> {
  const { values, t } = parseCommandArgs(args, io.env, RESULTS)
  const dir = resultsDir(values.results, io)
  await requireFolder(dir)
  const { index, skipped } = await scanResults(dir)
  await writeFileAtomicAsync(resolve(dir, 'index.json'), JSON.stringify(index, null, 1) + '\n')
  const refresh = await StationIndex.using(dir, async (_db, r) => r, { rebuild: true })
  io.stdout.write(`${t('cli.history.reindexed', { count: refresh.added, dir })}\n`)
  for (const file of skipped) io.stderr.write(`${t('cli.history.unreadable', { file })}\n`)
  return EXIT.ok
}

/** `k230-bringup history`: find a unit's runs by serial, IMEI or ICCID, summarise yield over a date range, rebuild the index. */
export const historyCommand: CliCommand = {
  name: 'history',
  summary: 'find a unit in the results folder, yield summary, reindex',
  usage: 'k230-bringup history find (SERIAL|IMEI|ICCID | --serial S | --imei I | --iccid C) [--results DIR] [--json] [--include-simulated]\n       k230-bringup history yield [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--html FILE] [--pdf FILE] [--lang en|zh-CN] [--results DIR] [--json] [--include-simulated]\n       k230-bringup history reindex [--results DIR]',
  async run(argv, io) {
    const [sub, ...rest] = argv
    if (sub === 'find') return find(rest, io)
    if (sub === 'yield') return yieldSummary(rest, io)
    if (sub === 'reindex') return reindex(rest, io)
    throw new UsageError(sub ? 'cli.history.unknownSub' : 'cli.history.needsSub', { sub })
  },
}
