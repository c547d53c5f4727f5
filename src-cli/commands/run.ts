/** `k230-bringup run`: the whole bring-up checklist on a board or a virtual board, with live progress and a record on disk. */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { NET_MODES, type NetMode } from '@shared/record'
import { checklistBoardFor } from '@engine/checklist/index'
import { Bringup, eventSink, reportSink, type BringupResult } from '@engine/bringup/index'
import { loadProfileFile, ProfileError, resolveProfile, type Profile } from '@engine/profile/index'
import { recoverJournals } from '@engine/record/index'
import { sealedRecord } from '@engine/report/json'
import { defaultKeyDir, loadOrCreateStationKey } from '@engine/report/index'
import { EXIT, exitCodeOf, outputFolderProblem, UsageError, type CliCommand, type CliIo } from '../command'
import { appVersion, consoleTarget, labelFlag, openConsole, parseFlags, targetName } from './console-args'
import { progressPrinter, summaryTable } from './run-progress'
import { stationPolicy } from './station-policy'
import { cliT, takeLang } from '../lang'

const USAGE = 'k230-bringup run (--port PATH | --sim SCENARIO) [--profile FILE] [--unit SERIAL] [--modes ecm,rndis,ppp] [--out DIR] [--json] [--time-scale X] [--station ID] [--operator NAME] [--lang en|zh-CN]'

function parseModes(text: string): NetMode[] {
  const modes = text.split(',').map((m) => m.trim().toLowerCase()).filter(Boolean)
  if (!modes.length) throw new UsageError('--modes: give at least one of ecm, rndis, ppp')
  for (const mode of modes) if (!(NET_MODES as readonly string[]).includes(mode)) throw new UsageError(`--modes: unknown mode '${mode}' (use ecm, rndis, ppp)`)
  if (new Set(modes).size !== modes.length) throw new UsageError('--modes: a mode is listed twice')
  return modes as NetMode[]
}

function loadProfile(path: string | undefined, io: CliIo): Profile {
  return path ? loadProfileFile(resolve(io.cwd, path)) : resolveProfile(undefined)
}

/** `run`: exit 0 every step ran and passed, 1 a check failed, 2 bad usage or profile, 3 error (link lost, station fault), 4 aborted. */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run the bring-up checklist and write the record',
  usage: USAGE,
  async run(argv, io) {
    argv = [...argv]
    const t = cliT(takeLang(argv, io.env))
    const { flags, rest } = parseFlags(argv, { values: ['port', 'sim', 'profile', 'unit', 'modes', 'out', 'time-scale', 'baud', 'station', 'operator'], booleans: ['json'] })
    if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`)
    let profile: Profile
    try {
      profile = loadProfile(flags.get('profile') as string | undefined, io)
    } catch (error) {
      if (!(error instanceof ProfileError)) throw error
      io.stderr.write(`k230-bringup run: bad profile: ${error.message}\n`)
      return EXIT.usage
    }
    const modesFlag = flags.get('modes')
    if (typeof modesFlag === 'string') profile = { ...profile, modes: parseModes(modesFlag) }
    const target = consoleTarget(flags, profile.baud)
    const unit = flags.get('unit') as string | undefined
    if (unit !== undefined && !/^[\x21-\x7e]{1,64}$/.test(unit)) throw new UsageError('--unit: 1 to 64 printable characters without spaces')
    const operator = labelFlag('operator', ((flags.get('operator') as string | undefined) ?? io.env.K230_OPERATOR)?.trim() || undefined)
    const stationId = labelFlag('station', (flags.get('station') as string | undefined) ?? io.env.K230_STATION)
    if (!operator && stationPolicy(io.env).requireOperator) {
      io.stderr.write('k230-bringup run: this station requires an operator id: add --operator ID (station setting in the app: Settings, Role)\n')
      return EXIT.usage
    }
    const json = flags.get('json') === true
    const progressOut = json ? io.stderr : io.stdout
    const outDir = resolve(io.cwd, (flags.get('out') as string | undefined) ?? 'k230-records')
    try {
      mkdirSync(outDir, { recursive: true })
    } catch (error) {
      const problem = outputFolderProblem(error, outDir)
      io.stderr.write(`k230-bringup run: ${problem ?? `cannot create --out ${outDir}: ${(error as Error).message}`}\n`)
      return problem ? EXIT.output : EXIT.usage
    }
    let signer
    try {
      signer = loadOrCreateStationKey(defaultKeyDir(io.env), stationId)
    } catch (error) {
      io.stderr.write(`k230-bringup run: ${(error as Error).message}\n`)
      return EXIT.lost
    }
    for (const recovered of recoverJournals(outDir, signer)) {
      if (recovered.error) io.stderr.write(`k230-bringup run: could not recover ${recovered.journal}: ${recovered.error}\n`)
      else {
        const stopped = recovered.record?.steps.find((s) => s.attempts.some((a) => a.error?.code === 'interrupted'))
        io.stderr.write(`Recovered an interrupted run${stopped ? ` (stopped in step ${stopped.id})` : ''}: ${recovered.recordPath}\n`)
      }
    }

    let console
    try {
      console = await openConsole(target, [profile.password])
    } catch (error) {
      io.stderr.write(`k230-bringup run: cannot open ${targetName(target)}: ${error instanceof Error ? error.message : String(error)}\n`)
      return EXIT.lost
    }
    let bringup: Bringup
    try {
      bringup = new Bringup({
        board: checklistBoardFor(console, target.kind === 'sim' ? target.timeScale : 1),
        profile,
        unitSerial: unit,
        stationId,
        operator,
        appVersion: appVersion(),
        journalDir: outDir,
        outputs: [eventSink(progressPrinter(progressOut, t), 'progress'), reportSink(outDir, ['json', 'html', 'junit'])],
        signer,
      })
    } catch (error) {
      await console.close()
      const problem = outputFolderProblem(error, outDir)
      if (!problem) throw error
      io.stderr.write(`k230-bringup run: ${problem}\n`)
      return EXIT.output
    }
    progressOut.write(`${t('cli.start', { product: t('product'), port: console.link.name, profile: profile.name, modes: profile.modes.join(', '), id: bringup.record.id })}\n`)
    let interrupts = 0
    const onSigint = () => {
      interrupts++
      if (interrupts === 1) {
        io.stderr.write('\nAborting after the current command (Ctrl-C again to quit at once; the journal is kept)...\n')
        bringup.abort()
      } else process.exit(EXIT.failed)
    }
    process.on('SIGINT', onSigint)
    let result: BringupResult
    try {
      result = await bringup.run()
    } catch (error) {
      const problem = outputFolderProblem(error, outDir)
      if (!problem) throw error
      const kept = bringup.journalPath
      io.stderr.write(`k230-bringup run: ${problem}; the run stopped${kept ? `, its journal ${kept} is kept and becomes a record on the next run once there is room` : ''}\n`)
      return EXIT.output
    } finally {
      process.off('SIGINT', onSigint)
      await console.close()
    }
    const { record } = result
    for (const warning of result.warnings) io.stderr.write(`k230-bringup run: ${warning}\n`)
    let unwritable = false
    for (const failure of result.failed) {
      const problem = outputFolderProblem(failure.error, outDir)
      if (problem) unwritable = true
      const kept = bringup.journalPath
      io.stderr.write(`k230-bringup run: reports not written: ${problem ?? failure.message}${kept ? `; the journal ${kept} is kept and becomes a record on the next run` : ''}\n`)
    }
    if (unwritable) return EXIT.output
    const recordPath = result.files.json
    if (result.failed.length) {
      progressOut.write(summaryTable(record, recordPath, t))
      return EXIT.lost
    }
    progressOut.write(summaryTable(record, recordPath, t))
    if (json) io.stdout.write(JSON.stringify(sealedRecord(record), null, 2) + '\n')
    return exitCodeOf(record.verdict)
  },
}
