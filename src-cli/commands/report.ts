import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { CliCommand } from '../command'
import { EXIT, UsageError } from '../command'
import { parseCommandArgs } from '../args'
import { defaultKeyDir, DEFAULT_FORMATS, parseFormats, REPORT_FORMATS, trustedKeys, validateRecord, verifyBytes, verifyNoteText, writeReports, type OutputFormat } from '@engine/report/index'
import { keyedText } from '@shared/i18n/render'

/** `k230-bringup report RECORD.json`: renders a saved run record in the CLI's language (`--lang`, else LC_ALL/LC_MESSAGES/LANG) to JSON, HTML, PDF, JUnit and the ledger; trusts nothing in the file and writes nothing when it was altered (exit 1) or is not signed by a trusted station (exit 6). */
export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'render a run record as JSON, HTML, PDF, JUnit or a ledger row',
  usage: 'k230-bringup report RECORD.json [--format json,html,pdf,junit,csv] [--out DIR] [--lang en|zh-CN] [--ledger FILE]',
  async run(argv, io) {
    const { values, positionals: args, lang, t } = parseCommandArgs(argv, io.env, { format: { type: 'string' }, out: { type: 'string' }, ledger: { type: 'string' } }, { positionals: Infinity })
    const { format: formatText, out: outText, ledger: ledgerText } = values
    if (args.length !== 1) throw new UsageError(args.length ? 'cli.report.oneRecord' : 'cli.report.noRecord')
    let formats: OutputFormat[]
    try {
      formats = formatText ? parseFormats(formatText) : [...DEFAULT_FORMATS]
    } catch {
      const unknown = (formatText ?? '').split(',').map((s) => s.trim()).find((s) => s && !(REPORT_FORMATS as readonly string[]).includes(s.toLowerCase()))
      throw new UsageError(unknown ? 'cli.report.unknownFormat' : 'cli.report.noFormat', { format: unknown })
    }
    const recordPath = resolve(io.cwd, args[0])
    let text: string
    try {
      text = await readFile(recordPath, 'utf8')
    } catch (error) {
      io.stderr.write(`k230-bringup report: ${t('cli.common.cannotRead', { file: recordPath, error: (error as Error).message })}\n`)
      return EXIT.usage
    }
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      io.stderr.write(`k230-bringup report: ${t('cli.report.notJson', { file: recordPath, error: (error as Error).message })}\n`)
      return EXIT.usage
    }
    const checked = validateRecord(value)
    if (!checked.ok) {
      io.stderr.write(`k230-bringup report: ${t('cli.report.invalid', { file: recordPath })}\n${checked.problems.map((p) => `  ${p}`).join('\n')}\n`)
      return EXIT.usage
    }
    const verified = verifyBytes(Buffer.from(text, 'utf8'), trustedKeys(defaultKeyDir(io.env)))
    if (verified.status !== 'intact') {
      const refused = t(verified.status === 'untrusted' ? 'cli.report.refusedUntrusted' : 'cli.report.refusedAltered', { file: recordPath })
      io.stderr.write(`k230-bringup report: ${refused}\n${verified.notes.map((note) => `  ${verifyNoteText(note, t)}\n`).join('')}`)
      return verified.status === 'untrusted' ? EXIT.untrusted : EXIT.failed
    }
    const outDir = outText ? resolve(io.cwd, outText) : dirname(recordPath)
    const result = await writeReports(checked.record, outDir, formats, { lang, ledgerPath: ledgerText ? resolve(io.cwd, ledgerText) : undefined, env: io.env })
    for (const [format, file] of Object.entries(result.files)) io.stdout.write(`${format.padEnd(5)} ${file}\n`)
    io.stdout.write(`${t('cli.report.digest')} ${result.digest}\n`)
    for (const warning of result.warnings) io.stderr.write(`k230-bringup report: ${keyedText(t, warning)}\n`)
    const pdfMissing = formats.includes('pdf') && !result.files.pdf
    return pdfMissing ? EXIT.failed : EXIT.ok
  },
}
