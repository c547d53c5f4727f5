import { resolve } from 'node:path'
import type { CliCommand, CliIo } from '../command'
import { EXIT, UsageError } from '../command'
import { isDirectory, NoChromiumError, parseRangeBound, renderYieldHtml, writeYieldPdf, scanResults, type IndexEntry, type UnitQuery, type YieldSummary } from '@engine/report/index'
import { StationIndex } from '@engine/db/index'
import { replaceFileAtomic, writeFileAtomicAsync } from '@engine/files/atomic'
import { parseLang } from './report'

function takeOption(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name)
  if (i < 0) return undefined
  const value = argv[i + 1]
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`)
  argv.splice(i, 2)
  return value
}

function takeFlag(argv: string[], name: string): boolean {
  const i = argv.indexOf(name)
  if (i >= 0) argv.splice(i, 1)
  return i >= 0
}

function resultsDir(args: string[], io: CliIo): string {
  return resolve(io.cwd, takeOption(args, '--results') ?? io.env.K230_RESULTS ?? 'results')
}

async function requireFolder(dir: string): Promise<void> {
  if (!(await isDirectory(dir))) throw new UsageError(`no results folder at ${dir} (give --results DIR or set K230_RESULTS)`)
}

function rejectLeftovers(args: string[], max: number): void {
  const unknown = args.find((a) => a.startsWith('--'))
  if (unknown) throw new UsageError(`unknown option ${unknown}`)
  if (args.length > max) throw new UsageError(`unexpected argument '${args[max]}'`)
}

function runLine(e: IndexEntry): string {
  const causes = e.steps.filter((s) => s.cause).map((s) => `${s.id}:${s.cause}`)
  return `${e.startedAt}  ${e.serial.padEnd(16)} ${e.verdict.toUpperCase().padEnd(8)} ${e.status.padEnd(10)}${e.simulated ? ' SIMULATED' : ''} ${causes.join(' ') || '-'}  ${e.file}`
}

async function find(args: string[], io: CliIo): Promise<number> {
  const dir = resultsDir(args, io)
  const json = takeFlag(args, '--json')
  const query: UnitQuery = { serial: takeOption(args, '--serial'), imei: takeOption(args, '--imei'), iccid: takeOption(args, '--iccid'), includeSimulated: takeFlag(args, '--include-simulated') }
  rejectLeftovers(args, 1)
  if (args[0]) query.any = args[0]
  if (!query.serial && !query.imei && !query.iccid && !query.any) throw new UsageError('give a serial, IMEI or ICCID')
  await requireFolder(dir)
  const runs = await StationIndex.using(dir, (index) => index.find(query))
  if (json) io.stdout.write(JSON.stringify(runs, null, 2) + '\n')
  else if (!runs.length) io.stdout.write(`no runs found in ${dir}\n`)
  else for (const run of runs) io.stdout.write(runLine(run) + '\n')
  return runs.length ? EXIT.ok : EXIT.failed
}

function percent(rate: number | null): string {
  return rate === null ? '   —  ' : `${(rate * 100).toFixed(1).padStart(5)}%`
}

function yieldText(s: YieldSummary): string {
  const lines = [
    `runs ${s.runs}, units ${s.units}, first-pass yield ${percent(s.firstPassYield).trim()}, final yield ${percent(s.finalYield).trim()}`,
    '',
    'pass rate per step:',
    ...s.steps.map((y) => `  ${y.id.padEnd(12)} ${percent(y.passRate)}  ${String(y.passed).padStart(4)}/${String(y.tested).padEnd(4)} skipped ${y.skipped}`),
    '',
    'top failure causes:',
    ...(s.causes.length ? s.causes.map((c) => `  ${String(c.count).padStart(4)}  ${percent(c.share)}  ${c.code}  (${c.steps.join(', ')})`) : ['  none']),
  ]
  return lines.join('\n') + '\n'
}

async function yieldSummary(args: string[], io: CliIo): Promise<number> {
  const dir = resultsDir(args, io)
  const json = takeFlag(args, '--json')
  const fromText = takeOption(args, '--from')
  const toText = takeOption(args, '--to')
  const htmlOut = takeOption(args, '--html')
  const pdfOut = takeOption(args, '--pdf')
  const lang = parseLang(takeOption(args, '--lang'))
  const includeSimulated = takeFlag(args, '--include-simulated')
  rejectLeftovers(args, 0)
  let from: string | undefined
  let to: string | undefined
  try {
    from = fromText ? parseRangeBound(fromText, 'from') : undefined
    to = toText ? parseRangeBound(toText, 'to') : undefined
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  await requireFolder(dir)
  const summary = await StationIndex.using(dir, (index) => index.yield({ from, to, includeSimulated }))
  if (htmlOut) {
    const path = resolve(io.cwd, htmlOut)
    await writeFileAtomicAsync(path, renderYieldHtml(summary, { lang }))
    io.stderr.write(`yield summary written to ${path}\n`)
  }
  let code: number = EXIT.ok
  if (pdfOut) {
    const path = resolve(io.cwd, pdfOut)
    try {
      const { chromium } = await replaceFileAtomic(path, (temp) => writeYieldPdf(summary, temp, { lang, env: io.env }))
      io.stderr.write(`yield summary PDF written to ${path} (printed with ${chromium})\n`)
    } catch (error) {
      if (!(error instanceof NoChromiumError)) throw error
      io.stderr.write(`k230-bringup history: ${error.message}\n`)
      code = EXIT.failed
    }
  }
  io.stdout.write(json ? JSON.stringify(summary, null, 2) + '\n' : yieldText(summary))
  return code
}

async function reindex(args: string[], io: CliIo): Promise<number> {
  const dir = resultsDir(args, io)
  rejectLeftovers(args, 0)
  await requireFolder(dir)
  const { index, skipped } = await scanResults(dir)
  await writeFileAtomicAsync(resolve(dir, 'index.json'), JSON.stringify(index, null, 1) + '\n')
  const refresh = await StationIndex.using(dir, async (_db, r) => r, { rebuild: true })
  io.stdout.write(`${refresh.added} run(s) indexed in ${dir}\n`)
  for (const file of skipped) io.stderr.write(`skipped unreadable ${file}\n`)
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
    throw new UsageError(sub ? `unknown history command '${sub}'` : 'say find, yield or reindex')
  },
}
