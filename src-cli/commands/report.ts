import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { CliCommand } from '../command'
import { EXIT, UsageError } from '../command'
import { defaultKeyDir, DEFAULT_FORMATS, parseFormats, trustedKeys, validateRecord, verifyBytes, writeReports, type OutputFormat, type ReportLang } from '@engine/report/index'

function takeOption(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name)
  if (i < 0) return undefined
  const value = argv[i + 1]
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`)
  argv.splice(i, 2)
  return value
}

/** Parses `--lang`; throws a usage error for anything but en or zh-CN. */
export function parseLang(text: string | undefined): ReportLang {
  if (text === undefined || text === 'en') return 'en'
  if (text === 'zh-CN' || text.toLowerCase() === 'zh-cn' || text === 'zh') return 'zh-CN'
  throw new UsageError(`unknown language '${text}' (use en or zh-CN)`)
}

/** `k230-bringup report RECORD.json`: renders a saved run record to JSON, HTML, PDF, JUnit and the ledger; trusts nothing in the file and writes nothing when it was altered (exit 1) or is not signed by a trusted station (exit 6). */
export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'render a run record as JSON, HTML, PDF, JUnit or a ledger row',
  usage: 'k230-bringup report RECORD.json [--format json,html,pdf,junit,csv] [--out DIR] [--lang en|zh-CN] [--ledger FILE]',
  async run(argv, io) {
    const args = [...argv]
    const formatText = takeOption(args, '--format')
    const outText = takeOption(args, '--out')
    const lang = parseLang(takeOption(args, '--lang'))
    const ledgerText = takeOption(args, '--ledger')
    const unknown = args.filter((a) => a.startsWith('--'))
    if (unknown.length) throw new UsageError(`unknown option ${unknown[0]}`)
    if (args.length !== 1) throw new UsageError(args.length ? 'give exactly one record file' : 'no record file given')
    let formats: OutputFormat[]
    try {
      formats = formatText ? parseFormats(formatText) : [...DEFAULT_FORMATS]
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
    const recordPath = resolve(io.cwd, args[0])
    let text: string
    try {
      text = await readFile(recordPath, 'utf8')
    } catch (error) {
      io.stderr.write(`k230-bringup report: cannot read ${recordPath}: ${(error as Error).message}\n`)
      return EXIT.usage
    }
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      io.stderr.write(`k230-bringup report: ${recordPath} is not JSON: ${(error as Error).message}\n`)
      return EXIT.usage
    }
    const checked = validateRecord(value)
    if (!checked.ok) {
      io.stderr.write(`k230-bringup report: ${recordPath} is not a valid run record:\n${checked.problems.map((p) => `  ${p}`).join('\n')}\n`)
      return EXIT.usage
    }
    const verified = verifyBytes(Buffer.from(text, 'utf8'), trustedKeys(defaultKeyDir(io.env)))
    if (verified.status !== 'intact') {
      const why = verified.status === 'untrusted' ? 'is not signed by a station trusted here' : 'was altered after it was written'
      io.stderr.write(`k230-bringup report: REFUSED ${recordPath} ${why}; no report written\n${verified.details.map((d) => `  ${d}\n`).join('')}`)
      return verified.status === 'untrusted' ? EXIT.untrusted : EXIT.failed
    }
    const outDir = outText ? resolve(io.cwd, outText) : dirname(recordPath)
    const result = await writeReports(checked.record, outDir, formats, { lang, ledgerPath: ledgerText ? resolve(io.cwd, ledgerText) : undefined, env: io.env })
    for (const [format, file] of Object.entries(result.files)) io.stdout.write(`${format.padEnd(5)} ${file}\n`)
    io.stdout.write(`digest ${result.digest}\n`)
    for (const warning of result.warnings) io.stderr.write(`k230-bringup report: ${warning}\n`)
    const pdfMissing = formats.includes('pdf') && !result.files.pdf
    return pdfMissing ? EXIT.failed : EXIT.ok
  },
}
