/** `run`'s arguments through node:util parseArgs: repeatable `--port`/`--sim`/`--unit` in command-line order, or the slots of a `--slots FILE` station layout. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { MAX_SLOTS, parseStationLayout, type SlotLayout } from '@shared/station-layout'
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
}

/** One slot of a run: its name, its console and the unit serial typed for it. */
export interface SlotPlan {
  name: string
  target: ConsoleTarget
  /** Where the layout put the slot's console when that is a USB location rather than a device path (resolved when the run opens it). */
  location?: string
  unit?: string
}

/** Parses `run`'s argv (after `--lang` was taken out) with parseArgs; unknown options, missing values and positionals are UsageErrors in the CLI's own words. */
export function readRunFlags(argv: string[]): RunFlags {
  const { tokens } = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true, tokens: true })
  const values = new Map<Name, string[]>()
  const sources: RunFlags['sources'] = []
  let json = false
  let terminated = false
  for (const token of tokens) {
    if (token.kind === 'option-terminator') {
      terminated = true
      continue
    }
    if (token.kind === 'positional' || terminated) throw new UsageError(`unexpected argument '${token.kind === 'positional' ? token.value : token.rawName}'`)
    if (!token.rawName.startsWith('--')) throw new UsageError(`unexpected argument '${token.rawName}'`)
    const name = token.name as Name
    const spec = Object.prototype.hasOwnProperty.call(OPTIONS, name) ? OPTIONS[name] : undefined
    if (!spec) throw new UsageError(`unknown option --${token.name}`)
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`--${name} takes no value`)
      json = true
      continue
    }
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) throw new UsageError(`--${name} needs a value`)
    const list = values.get(name) ?? []
    if (list.length && !('multiple' in spec)) throw new UsageError(`--${name} given twice`)
    list.push(token.value)
    values.set(name, list)
    if (name === 'port' || name === 'sim') sources.push({ kind: name, value: token.value })
  }
  return { values, sources, json }
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
    throw new UsageError(`--slots ${file}: ${error instanceof SyntaxError ? `not JSON (${error.message})` : (error as Error).message}`)
  }
  const parsed = parseStationLayout(value)
  if (!parsed.ok) throw new UsageError(`--slots ${file}: ${parsed.errors.join('; ')}`)
  const missing = parsed.layout.slots.findIndex((s) => s.port === undefined && s.scenario === undefined)
  if (missing >= 0) throw new UsageError(`--slots ${file}: layout.slots[${missing}]: give the slot a port or a scenario`)
  return parsed.layout.slots
}

function units(flags: RunFlags, count: number): (string | undefined)[] {
  const given = flags.values.get('unit') ?? []
  for (const unit of given) if (!/^[\x21-\x7e]{1,64}$/.test(unit)) throw new UsageError('--unit: 1 to 64 printable characters without spaces')
  if (given.length > 1 || (given.length === 1 && count > 1)) {
    if (given.length !== count) throw new UsageError(`--unit: give one per slot (${count} slots, ${given.length} --unit)`)
    const twice = given.find((u, i) => given.indexOf(u) !== i)
    if (twice !== undefined) throw new UsageError(`--unit: '${twice}' is given for two slots`)
  }
  return Array.from({ length: count }, (_, i) => given[i])
}

/** The run's slots: one per `--port`/`--sim` in order (named 1, 2, ...), or the `--slots FILE` layout's; UsageErrors name the flag or the layout field that is wrong. */
export function slotPlans(flags: RunFlags, defaultBaud: number, cwd: string): SlotPlan[] {
  const file = flagValue(flags, 'slots')
  const baud = flagValue(flags, 'baud')
  const timeScale = flagValue(flags, 'time-scale')
  if (file !== undefined) {
    if (flags.sources.length) throw new UsageError('--slots FILE names every slot\'s console: leave out --port and --sim')
    const layout = readLayout(file, cwd)
    const anySim = layout.some((s) => s.scenario !== undefined)
    if (timeScale !== undefined && !anySim) throw new UsageError('--time-scale applies to --sim only (a real board runs in real time)')
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
  if (flags.sources.length > MAX_SLOTS) throw new UsageError(`at most ${MAX_SLOTS} slots: give --port and --sim ${MAX_SLOTS} times in all at most`)
  const anySim = flags.sources.some((s) => s.kind === 'sim')
  if (timeScale !== undefined && !anySim) throw new UsageError('--time-scale applies to --sim only (a real board runs in real time)')
  const ports = flags.sources.filter((s) => s.kind === 'port').map((s) => s.value)
  const twice = ports.find((p, i) => ports.indexOf(p) !== i)
  if (twice !== undefined) throw new UsageError(`--port: '${twice}' is given for two slots (each slot has its own console)`)
  const unitList = units(flags, flags.sources.length)
  return flags.sources.map((source, i) => ({
    name: String(i + 1),
    target: targetOf(source.kind, source.value, baud, source.kind === 'sim' ? timeScale : undefined, defaultBaud),
    unit: unitList[i],
  }))
}
