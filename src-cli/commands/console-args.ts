/** Shared CLI plumbing: `--port PATH | --sim SCENARIO` parsing, opening the console, the app version. */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { connect, type Console } from '@engine/console'
import { listScenarios } from '@board/scenarios/index'
import { hasControlCharacters } from '@shared/record'
import { UsageError } from '../command'

/** Where the console is: a serial port or a virtual board scenario. */
export type ConsoleTarget = { kind: 'port'; port: string; baud: number } | { kind: 'sim'; scenario: string; timeScale: number; baud: number }

/** Baud rates the console can be opened at (the K230 console is 115200). */
export const STANDARD_BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000, 1500000, 2000000, 3000000]

/** Fastest virtual-board time scale a run accepts: faster, chat's and the session's timeouts become shorter than the host can answer in. */
export const MIN_TIME_SCALE = 0.01

/** A `--station`/`--operator` value: 1 to 64 characters, no control characters; a UsageError naming the flag otherwise. */
export function labelFlag(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!value.trim() || value.length > 64 || hasControlCharacters(value)) throw new UsageError(`--${name}: 1 to 64 characters without control characters (escape, bell, newline...)`)
  return value.trim()
}

/** Minimal flag parser: `--name value`, `--name=value`, boolean flags; unknown flags are a UsageError. */
export function parseFlags(argv: string[], spec: { values: string[]; booleans: string[] }): { flags: Map<string, string | true>; rest: string[] } {
  const flags = new Map<string, string | true>()
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      rest.push(...argv.slice(i + 1))
      break
    }
    if (!arg.startsWith('--')) {
      rest.push(arg)
      continue
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2)
    if (spec.booleans.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`)
      flags.set(name, true)
    } else if (spec.values.includes(name)) {
      const value = inline ?? argv[++i]
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`)
      if (flags.has(name)) throw new UsageError(`--${name} given twice`)
      flags.set(name, value)
    } else throw new UsageError(`unknown option --${name}`)
  }
  return { flags, rest }
}

/** Reads `--port`/`--sim`/`--time-scale`/`--baud` into a target; exactly one of port and sim. */
export function consoleTarget(flags: Map<string, string | true>, defaultBaud = 115200): ConsoleTarget {
  const port = flags.get('port')
  const sim = flags.get('sim')
  if ((port === undefined) === (sim === undefined)) throw new UsageError('give exactly one of --port PATH or --sim SCENARIO')
  const baudText = flags.get('baud')
  const baud = baudText === undefined ? defaultBaud : /^[1-9]\d{0,7}$/.test(String(baudText)) ? Number(baudText) : NaN
  if (!STANDARD_BAUD_RATES.includes(baud)) throw new UsageError(`--baud: '${String(baudText)}' is not a standard baud rate (use one of ${STANDARD_BAUD_RATES.join(', ')}; the K230 console runs at 115200)`)
  const scaleText = flags.get('time-scale')
  if (typeof port === 'string') {
    if (scaleText !== undefined) throw new UsageError('--time-scale applies to --sim only (a real board runs in real time)')
    return { kind: 'port', port, baud }
  }
  const scenario = String(sim)
  const names = listScenarios().map((s) => s.name)
  if (!names.includes(scenario)) throw new UsageError(`unknown scenario '${scenario}' (k230-bringup scenarios lists: ${names.join(', ')})`)
  const timeScale = scaleText === undefined ? 1 : /^\d+(\.\d+)?$/.test(String(scaleText)) ? Number(scaleText) : NaN
  if (!(timeScale >= MIN_TIME_SCALE && timeScale <= 10)) throw new UsageError(`--time-scale: '${String(scaleText)}' must be a decimal number from ${MIN_TIME_SCALE} to 10 (1 = real time, 0.01 = 100x faster)`)
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
