/** Shared CLI plumbing: the `--port PATH | --sim SCENARIO` options, opening the console, the app version. */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { connect, type Console } from '@engine/console'
import { listScenarios } from '@board/scenarios/index'
import { hasControlCharacters } from '@shared/record'
import { UsageError } from '../command'
import { parseCommandArgs, type ArgOptions } from '../args'

/** Where the console is: a serial port or a virtual board scenario. */
export type ConsoleTarget = { kind: 'port'; port: string; baud: number } | { kind: 'sim'; scenario: string; timeScale: number; baud: number }

/** Baud rates the console can be opened at (the K230 console is 115200). */
export const STANDARD_BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000, 1500000, 2000000, 3000000]

/** Fastest virtual-board time scale a run accepts: faster, chat's and the session's timeouts become shorter than the host can answer in. */
export const MIN_TIME_SCALE = 0.01

/** A `--station`/`--operator` value: 1 to 64 characters, no control characters; a UsageError naming the flag otherwise. */
export function labelFlag(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!value.trim() || value.length > 64 || hasControlCharacters(value)) throw new UsageError('cli.args.label', { flag: `--${name}` })
  return value.trim()
}

/** The options that say where the console is, for parseCommandArgs. */
export const CONSOLE_OPTIONS = { port: { type: 'string' }, sim: { type: 'string' }, 'time-scale': { type: 'string' }, baud: { type: 'string' } } as const satisfies ArgOptions

/** Parsed console options, as parseCommandArgs gives them. */
export interface ConsoleFlags {
  port?: string
  sim?: string
  'time-scale'?: string
  baud?: string
}

/** Flag parser of the older commands, on the shared parseCommandArgs: `--name value`, `--name=value`, boolean flags, positionals in `rest`; unknown flags are a UsageError. */
export function parseFlags(argv: string[], spec: { values: string[]; booleans: string[] }): { flags: Map<string, string | true>; rest: string[] } {
  const options: ArgOptions = {}
  for (const name of spec.values) options[name] = { type: 'string' }
  for (const name of spec.booleans) options[name] = { type: 'boolean' }
  const { values, positionals } = parseCommandArgs(argv, {}, options, { positionals: Infinity })
  const flags = new Map<string, string | true>()
  for (const [name, value] of Object.entries(values)) if (name !== 'lang' && (typeof value === 'string' || value === true)) flags.set(name, value)
  return { flags, rest: positionals }
}

function flagOf(flags: ConsoleFlags | Map<string, string | true>, name: keyof ConsoleFlags): string | undefined {
  const value = flags instanceof Map ? flags.get(name) : flags[name]
  return value === undefined ? undefined : String(value)
}

/** Reads `--port`/`--sim`/`--time-scale`/`--baud` into a target; exactly one of port and sim. */
export function consoleTarget(flags: ConsoleFlags | Map<string, string | true>, defaultBaud = 115200): ConsoleTarget {
  const port = flagOf(flags, 'port')
  const sim = flagOf(flags, 'sim')
  if ((port === undefined) === (sim === undefined)) throw new UsageError('cli.args.portOrSim')
  const baudText = flagOf(flags, 'baud')
  const baud = baudText === undefined ? defaultBaud : /^[1-9]\d{0,7}$/.test(baudText) ? Number(baudText) : NaN
  if (!STANDARD_BAUD_RATES.includes(baud)) throw new UsageError('cli.args.baud', { value: String(baudText), rates: STANDARD_BAUD_RATES.join(', ') })
  const scaleText = flagOf(flags, 'time-scale')
  if (port !== undefined) {
    if (scaleText !== undefined) throw new UsageError('cli.args.timeScaleSimOnly')
    return { kind: 'port', port, baud }
  }
  const scenario = String(sim)
  const names = listScenarios().map((s) => s.name)
  if (!names.includes(scenario)) throw new UsageError('cli.args.unknownScenario', { name: scenario, names: names.join(', ') })
  const timeScale = scaleText === undefined ? 1 : /^\d+(\.\d+)?$/.test(scaleText) ? Number(scaleText) : NaN
  if (!(timeScale >= MIN_TIME_SCALE && timeScale <= 10)) throw new UsageError('cli.args.timeScale', { value: String(scaleText), min: MIN_TIME_SCALE })
  return { kind: 'sim', scenario, timeScale, baud }
}

/** Opens the console of a target; secrets are masked in its transcript. */
export function openConsole(target: ConsoleTarget, secrets: string[] = []): Promise<Console> {
  return target.kind === 'port'
    ? connect({ port: target.port, baudRate: target.baud, secrets })
    : connect({ sim: { scenario: target.scenario, timeScale: target.timeScale, baud: target.baud }, secrets })
}

/** Human name of a target: the port path or `virtual:SCENARIO`. */
export function targetName(target: ConsoleTarget): string {
  return target.kind === 'port' ? target.port : `virtual:${target.scenario}`
}

let version: string | undefined

/** The app version from the installation's package.json. */
export function appVersion(): string {
  if (version) return version
  let dir = resolve(typeof __dirname === 'string' ? __dirname : process.cwd())
  for (;;) {
    const candidate = join(dir, 'package.json')
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'k230-bringup' && pkg.version) return (version = pkg.version)
    }
    const parent = dirname(dir)
    if (parent === dir) return (version = '0.0.0')
    dir = parent
  }
}
