/** `run`'s arguments through node:util parseArgs: repeatable `--port`/`--sim`/`--unit` in command-line order, or the slots of a `--slots FILE` station layout. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { layoutProblemMessage, MAX_SLOTS, parseStationLayout, type SlotLayout } from '@shared/station-layout'
import { keyedText } from '@shared/i18n/render'
import type { Translate } from '@shared/i18n/translate'
import { parseCommandArgs } from '../args'
import { UsageError } from '../command'
import { consoleTarget, type ConsoleTarget } from './console-args'

const OPTIONS = {
  port: { type: 'string', multiple: true },
  sim: { type: 'string', multiple: true },
  unit: { type: 'string', multiple: true },
  slots: { type: 'string' },
  profile: { type: 'string' },
  modes: { type: 'string' },
  out: { type: 'string' },
  'time-scale': { type: 'string' },
  baud: { type: 'string' },
  station: { type: 'string' },
  operator: { type: 'string' },
  json: { type: 'boolean' },
} as const

type Name = keyof typeof OPTIONS

/** `run`'s flags as given: repeatable ones in order, the console sources (`--port`/`--sim`) interleaved as typed. */
export interface RunFlags {
  values: Map<Name, string[]>
  sources: Array<{ kind: 'port' | 'sim'; value: string }>
  json: boolean
  /** The translator of the language in force (`--lang`, else the environment). */
  t: Translate
}

/** One slot of a run: its name, its console and the unit serial typed for it. */
export interface SlotPlan {
  name: string
  target: ConsoleTarget
  /** Where the layout put the slot's console when that is a USB location rather than a device path (resolved when the run opens it). */
  location?: string
  unit?: string
}

/** Parses `run`'s argv with the CLI's one parser (parseCommandArgs: unknown options, missing values, a single option twice and positionals are UsageErrors naming the flag; `--lang` too), keeping the order in which `--port` and `--sim` were typed. */
export function readRunFlags(argv: string[], env: NodeJS.ProcessEnv): RunFlags {
  const parsed = parseCommandArgs(argv, env, OPTIONS)
  const values = new Map<Name, string[]>()
  for (const name of Object.keys(OPTIONS) as Name[]) {
    const value = (parsed.values as Record<string, unknown>)[name]
    if (typeof value === 'string') values.set(name, [value])
    else if (Array.isArray(value)) values.set(name, value as string[])
  }
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true })
  const sources: RunFlags['sources'] = []
  for (const token of tokens) if (token.kind === 'option' && (token.name === 'port' || token.name === 'sim') && token.value !== undefined) sources.push({ kind: token.name, value: token.value })
  return { values, sources, json: parsed.values.json === true, t: parsed.t }
}

/** The one value of a single-valued flag. */
export function flagValue(flags: RunFlags, name: Name): string | undefined {
  return flags.values.get(name)?.[0]
}

/** A USB location (`1-1.3`, `Port_#0003.Hub_#0001`) rather than a device path (`/dev/...`, `\\.\COM3`). */
export function isUsbLocation(port: string): boolean {
  return !/^(\/|\\\\|[A-Za-z]:)/.test(port)
}

function targetOf(kind: 'port' | 'sim', value: string, baud: string | undefined, timeScale: string | undefined, defaultBaud: number): ConsoleTarget {
  const flags = new Map<string, string | true>([[kind, value]])
  if (baud !== undefined) flags.set('baud', baud)
  if (timeScale !== undefined) flags.set('time-scale', timeScale)
  return consoleTarget(flags, defaultBaud)
}

function readLayout(file: string, cwd: string): SlotLayout[] {
  const path = resolve(cwd, file)
  let value: unknown
  try {
    value = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw error instanceof SyntaxError ? new UsageError('cli.slots.layoutNotJson', { file, error: error.message }) : new UsageError('cli.slots.layoutUnreadable', { file, error: (error as Error).message })
  }
  const parsed = parseStationLayout(value)
  if (!parsed.ok) {
    const problems = parsed.problems
    throw new UsageError('cli.slots.layoutBad', { file, errors: (t: Translate) => problems.map((p) => keyedText(t, layoutProblemMessage(p))).join('; ') })
  }
  const missing = parsed.layout.slots.findIndex((s) => s.port === undefined && s.scenario === undefined)
  if (missing >= 0) throw new UsageError('cli.slots.layoutNoConsole', { file, index: missing })
  return parsed.layout.slots
}

function units(flags: RunFlags, count: number): (string | undefined)[] {
  const given = flags.values.get('unit') ?? []
  for (const unit of given) if (!/^[\x21-\x7e]{1,64}$/.test(unit)) throw new UsageError('cli.slots.unitFormat')
  if (given.length > 1 || (given.length === 1 && count > 1)) {
    if (given.length !== count) throw new UsageError('cli.slots.unitPerSlot', { slots: count, units: given.length })
    const twice = given.find((u, i) => given.indexOf(u) !== i)
    if (twice !== undefined) throw new UsageError('cli.slots.unitTwice', { unit: twice })
  }
  return Array.from({ length: count }, (_, i) => given[i])
}

/** The run's slots: one per `--port`/`--sim` in order (named 1, 2, ...), or the `--slots FILE` layout's; UsageErrors name the flag or the layout field that is wrong. */
export function slotPlans(flags: RunFlags, defaultBaud: number, cwd: string): SlotPlan[] {
  const file = flagValue(flags, 'slots')
  const baud = flagValue(flags, 'baud')
  const timeScale = flagValue(flags, 'time-scale')
  if (file !== undefined) {
    if (flags.sources.length) throw new UsageError('cli.slots.layoutWithSources')
    const layout = readLayout(file, cwd)
    const anySim = layout.some((s) => s.scenario !== undefined)
    if (timeScale !== undefined && !anySim) throw new UsageError('cli.args.timeScaleSimOnly')
    const unitList = units(flags, layout.length)
    return layout.map((slot, i) => {
      const slotBaud = slot.baud !== undefined ? String(slot.baud) : baud
      const target =
        slot.scenario !== undefined
          ? targetOf('sim', slot.scenario, slotBaud, timeScale, defaultBaud)
          : targetOf('port', slot.port as string, slotBaud, undefined, defaultBaud)
      return { name: slot.name, target, location: slot.port !== undefined && isUsbLocation(slot.port) ? slot.port : undefined, unit: unitList[i] }
    })
  }
  if (flags.sources.length <= 1) {
    const single = new Map<string, string | true>()
    for (const source of flags.sources) single.set(source.kind, source.value)
    if (baud !== undefined) single.set('baud', baud)
    if (timeScale !== undefined) single.set('time-scale', timeScale)
    const target = consoleTarget(single, defaultBaud)
    return [{ name: '1', target, unit: units(flags, 1)[0] }]
  }
  if (flags.sources.length > MAX_SLOTS) throw new UsageError('cli.slots.tooMany', { max: MAX_SLOTS })
  const anySim = flags.sources.some((s) => s.kind === 'sim')
  if (timeScale !== undefined && !anySim) throw new UsageError('cli.args.timeScaleSimOnly')
  const ports = flags.sources.filter((s) => s.kind === 'port').map((s) => s.value)
  const twice = ports.find((p, i) => ports.indexOf(p) !== i)
  if (twice !== undefined) throw new UsageError('cli.slots.portTwice', { port: twice })
  const unitList = units(flags, flags.sources.length)
  return flags.sources.map((source, i) => ({
    name: String(i + 1),
    target: targetOf(source.kind, source.value, baud, source.kind === 'sim' ? timeScale : undefined, defaultBaud),
    unit: unitList[i],
  }))
}
