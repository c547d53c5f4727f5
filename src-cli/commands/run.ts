/** `k230-bringup run`: the whole bring-up checklist on one board or on every slot of a station at once, with live progress and a record per slot on disk. */
import { defaultResultsFolder } from '@engine/record/default-folder'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { NET_MODES, type NetMode, type RunRecord } from '@shared/record'
import { translator, type Translate } from '@shared/i18n/translate'
import { checklistBoardFor, type ChecklistEvent } from '@engine/checklist/index'
import { Bringup, bringupPlan, eventSink, PlanError, reportSink, type BringupResult } from '@engine/bringup/index'
import { loadProfileFile, ProfileError, resolveProfile, type Profile } from '@engine/profile/index'
import { keyedText } from '@shared/i18n/render'
import { recoverJournals } from '@engine/record/index'
import { sealedRecord } from '@engine/report/json'
import { defaultKeyDir, loadOrCreateStationKey, type StationKey } from '@engine/report/index'
import { EXIT, exitCodeOf, outputFolderProblem, UsageError, worstExitCode, type CliCommand, type CliIo, thrownText } from '../command'
import { appVersion, labelFlag, openConsole, targetName, type ConsoleTarget } from './console-args'
import { flagValue, readRunFlags, slotPlans, type SlotPlan } from './run-args'
import { portAtUsbLocation } from './usb-location'
import { progressPrinter, StationProgress, stationTable, summaryTable } from './run-progress'
import { stationPolicy } from './station-policy'

const USAGE = translator('en')('cli.cmd.run.usage')

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

/** What every slot of one run shares: the profile, the station, the output folder and its key. */
interface RunContext {
  io: CliIo
  t: Translate
  profile: Profile
  stationId?: string
  operator?: string
  outDir: string
  signer: StationKey
  progressOut: CliIo['stdout']
  interrupts: Interrupts
}

/** How one slot speaks: its stderr notes, its progress sink and its start line. */
interface SlotVoice {
  note(text: string): void
  progress(event: ChecklistEvent): void
  started(text: string): void
}

/** How one slot ended: its exit code, its record when there is one, whether its summary and JSON are shown. */
interface SlotOutcome {
  code: number
  console: string
  record?: RunRecord
  recordPath?: string
  summarize: boolean
  printJson: boolean
}

/** Ctrl-C: the first aborts every bring-up in flight (and any that starts later), the second quits at once. */
class Interrupts {
  private readonly running = new Set<Bringup>()
  private count = 0
  private installed = false
  private pinned = false

  constructor(
    private readonly io: CliIo,
    private readonly message: string,
  ) {}

  /** Keeps the handler installed until release(), for a run of several slots. */
  pin(): void {
    this.pinned = true
    this.install()
  }

  release(): void {
    this.pinned = false
    if (!this.running.size) this.uninstall()
  }

  track(bringup: Bringup): void {
    this.running.add(bringup)
    this.install()
    if (this.count) bringup.abort()
  }

  untrack(bringup: Bringup): void {
    this.running.delete(bringup)
    if (!this.running.size && !this.pinned) this.uninstall()
  }

  private readonly onSigint = () => {
    this.count++
    if (this.count === 1) {
      this.io.stderr.write(this.message)
      for (const bringup of this.running) bringup.abort()
    } else process.exit(EXIT.failed)
  }

  private install(): void {
    if (this.installed) return
    this.installed = true
    process.on('SIGINT', this.onSigint)
  }

  private uninstall(): void {
    if (!this.installed) return
    this.installed = false
    process.off('SIGINT', this.onSigint)
  }
}

async function resolveLocation(slot: SlotPlan): Promise<ConsoleTarget | string[]> {
  if (!slot.location || slot.target.kind !== 'port') return slot.target
  const found = await portAtUsbLocation(slot.location)
  return 'path' in found ? { ...slot.target, port: found.path } : found.candidates
}

/** One slot's bring-up from opening its console to its stored record; never throws for a console or output-folder problem. */
async function runSlot(slot: SlotPlan, ctx: RunContext, voice: SlotVoice): Promise<SlotOutcome> {
  const { profile, outDir, t } = ctx
  const target = await resolveLocation(slot)
  if (Array.isArray(target)) {
    voice.note(target.length ? t('cli.slots.severalPortsAt', { location: slot.location, ports: target.join(', ') }) : t('cli.slots.noPortAt', { location: slot.location }))
    return { code: EXIT.lost, console: slot.location ?? '', summarize: false, printJson: false }
  }
  const name = targetName(target)
  let console
  try {
    console = await openConsole(target, [profile.password])
  } catch (error) {
    voice.note(ctx.t('cli.run.cannotOpen', { name, error: error instanceof Error ? error.message : String(error) }))
    return { code: EXIT.lost, console: name, summarize: false, printJson: false }
  }
  let bringup: Bringup
  try {
    bringup = new Bringup({
      board: checklistBoardFor(console, target.kind === 'sim' ? target.timeScale : 1),
      profile,
      unitSerial: slot.unit,
      stationId: ctx.stationId,
      operator: ctx.operator,
      appVersion: appVersion(),
      journalDir: outDir,
      outputs: [eventSink(voice.progress, 'progress'), reportSink(outDir, ['json', 'html', 'junit'])],
      signer: ctx.signer,
    })
  } catch (error) {
    await console.close()
    const problem = outputFolderProblem(error, outDir, ctx.t)
    if (!problem) throw error
    voice.note(problem)
    return { code: EXIT.output, console: name, summarize: false, printJson: false }
  }
  voice.started(t('cli.start', { product: t('product'), port: console.link.name, profile: profile.name, modes: profile.modes.join(', '), id: bringup.record.id }))
  ctx.interrupts.track(bringup)
  let result: BringupResult
  try {
    result = await bringup.run()
  } catch (error) {
    const problem = outputFolderProblem(error, outDir, ctx.t)
    if (!problem) throw error
    const kept = bringup.journalPath
    voice.note(kept ? ctx.t('cli.run.stoppedKept', { problem, journal: kept }) : ctx.t('cli.run.stopped', { problem }))
    return { code: EXIT.output, console: name, record: bringup.record, summarize: false, printJson: false }
  } finally {
    ctx.interrupts.untrack(bringup)
    await console.close()
  }
  const { record } = result
  for (const warning of result.warnings) voice.note(keyedText(ctx.t, warning))
  let unwritable = false
  for (const failure of result.failed) {
    const problem = outputFolderProblem(failure.error, outDir, ctx.t)
    if (problem) unwritable = true
    const kept = bringup.journalPath
    voice.note(kept ? ctx.t('cli.run.reportsNotWrittenKept', { problem: problem ?? keyedText(ctx.t, failure.keyed, failure.message), journal: kept }) : ctx.t('cli.run.reportsNotWritten', { problem: problem ?? keyedText(ctx.t, failure.keyed, failure.message) }))
  }
  if (unwritable) return { code: EXIT.output, console: name, record, summarize: false, printJson: false }
  const recordPath = result.files.json
  if (result.failed.length) return { code: EXIT.lost, console: name, record, recordPath, summarize: true, printJson: false }
  return { code: exitCodeOf(record.verdict), console: name, record, recordPath, summarize: true, printJson: true }
}

/** A lone slot: today's output, line for line. */
async function runLone(slot: SlotPlan, ctx: RunContext, json: boolean): Promise<number> {
  const { io, progressOut, t } = ctx
  const outcome = await runSlot(slot, ctx, {
    note: (text) => io.stderr.write(`k230-bringup run: ${text}\n`),
    progress: progressPrinter(progressOut, t),
    started: (text) => progressOut.write(`${text}\n`),
  })
  if (outcome.summarize && outcome.record) progressOut.write(summaryTable(outcome.record, outcome.recordPath, t))
  if (json && outcome.printJson && outcome.record) io.stdout.write(JSON.stringify(sealedRecord(outcome.record), null, 2) + '\n')
  return outcome.code
}

/** Several slots at once through the one orchestrator: a line per slot, each slot's summary, a station table, the worst slot's exit code. */
async function runStation(slots: SlotPlan[], ctx: RunContext, json: boolean): Promise<number> {
  const { io, progressOut, t } = ctx
  const view = new StationProgress(progressOut, slots.map((s) => s.name), t)
  ctx.interrupts.pin()
  let outcomes: SlotOutcome[]
  try {
    outcomes = await Promise.all(
      slots.map((slot, i) =>
        runSlot(slot, ctx, {
          note: (text) => io.stderr.write(`k230-bringup run: ${t('cli.slots.slot', { name: slot.name })}: ${text}\n`),
          progress: view.printer(i),
          started: (text) => view.line(i, text),
        }),
      ),
    )
  } finally {
    ctx.interrupts.release()
    view.end()
  }
  outcomes.forEach((outcome, i) => {
    if (!outcome.summarize || !outcome.record) return
    progressOut.write(`\n${t('cli.slots.header', { name: slots[i].name, console: outcome.console })}\n${summaryTable(outcome.record, outcome.recordPath, t)}`)
  })
  const code = worstExitCode(outcomes.map((o) => o.code))
  const rows = outcomes.map((o, i) => ({ name: slots[i].name, console: o.console, unit: o.record?.unit.serial, verdict: o.record?.verdict, code: o.code, record: o.recordPath }))
  progressOut.write(`\n${stationTable(rows, t)}\n${t('cli.slots.station', { passed: outcomes.filter((o) => o.code === EXIT.ok).length, total: slots.length, code })}\n`)
  if (json) io.stdout.write(JSON.stringify(outcomes.map((o) => (o.record ? sealedRecord(o.record) : null)), null, 2) + '\n')
  return code
}

/** `run`: exit 0 every step ran and passed, 1 a check failed, 2 bad usage or profile, 3 error (link lost, station fault), 4 aborted, 5 output folder; several slots: the worst slot's. */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run the bring-up checklist and write the record',
  usage: USAGE,
  async run(argv, io) {
    const flags = readRunFlags(argv, io.env)
    const t = flags.t
    let profile: Profile
    try {
      profile = loadProfile(flagValue(flags, 'profile'), io)
    } catch (error) {
      if (!(error instanceof ProfileError)) throw error
      io.stderr.write(`k230-bringup run: ${t('cli.run.badProfile', { error: keyedText(t, error.keyed, error.message) })}\n`)
      return EXIT.usage
    }
    const modesFlag = flagValue(flags, 'modes')
    if (modesFlag !== undefined) profile = { ...profile, modes: parseModes(modesFlag) }
    try {
      bringupPlan(profile)
    } catch (error) {
      if (!(error instanceof PlanError)) throw error
      io.stderr.write(`k230-bringup run: ${t('cli.run.badPlan', { error: keyedText(t, error) })}\n`)
      return EXIT.lost
    }
    const slots = slotPlans(flags, profile.baud, io.cwd)
    const operator = labelFlag('operator', (flagValue(flags, 'operator') ?? io.env.K230_OPERATOR)?.trim() || undefined)
    const stationId = labelFlag('station', flagValue(flags, 'station') ?? io.env.K230_STATION)
    if (!operator && stationPolicy(io.env).requireOperator) {
      io.stderr.write(`k230-bringup run: ${t('cli.run.operatorRequired')}\n`)
      return EXIT.usage
    }
    const json = flags.json
    const progressOut = json ? io.stderr : io.stdout
    const outDir = resolve(io.cwd, flagValue(flags, 'out') ?? defaultResultsFolder(io.env))
    try {
      mkdirSync(outDir, { recursive: true })
    } catch (error) {
      const problem = outputFolderProblem(error, outDir, t)
      io.stderr.write(`k230-bringup run: ${problem ?? t('cli.run.outCreate', { dir: outDir, error: thrownText(error, t) })}\n`)
      return problem ? EXIT.output : EXIT.usage
    }
    let signer
    try {
      signer = loadOrCreateStationKey(defaultKeyDir(io.env), stationId)
    } catch (error) {
      io.stderr.write(`k230-bringup run: ${thrownText(error, t)}\n`)
      return EXIT.lost
    }
    for (const recovered of recoverJournals(outDir, signer)) {
      if (recovered.error) io.stderr.write(`k230-bringup run: ${t('cli.run.recoverFailed', { journal: recovered.journal, error: recovered.error })}\n`)
      else {
        const stopped = recovered.record?.steps.find((s) => s.attempts.some((a) => a.error?.code === 'interrupted'))
        io.stderr.write(`${stopped ? t('cli.run.recoveredIn', { step: stopped.id, path: recovered.recordPath ?? '' }) : t('cli.run.recovered', { path: recovered.recordPath ?? '' })}\n`)
      }
    }
    const lone = slots.length === 1
    const aborting = `\n${t(lone ? 'cli.run.aborting' : 'cli.slots.aborting')}\n`
    const ctx: RunContext = { io, t, profile, stationId, operator, outDir, signer, progressOut, interrupts: new Interrupts(io, aborting) }
    return lone ? runLone(slots[0], ctx, json) : runStation(slots, ctx, json)
  },
}
