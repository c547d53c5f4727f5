import type { BoardState } from '../types'
import { checkValue } from '@shared/schema'
import { SCENARIO_FILE_SCHEMA, SCENARIO_SCHEMA, type DeepPartial, type Scenario, type ScenarioFile } from './types'
import healthy from './healthy.json'
import noSim from './no-sim.json'
import weakSignal from './weak-signal.json'
import noSignal from './no-signal.json'
import notRegistered from './not-registered.json'
import noOptionVidpid from './no-option-vidpid.json'
import noRndisDriver from './no-rndis-driver.json'
import noPppd from './no-pppd.json'
import moduleStuckAfterReset from './module-stuck-after-reset.json'
import dhcpTimeout from './dhcp-timeout.json'
import lossyNetwork from './lossy-network.json'
import dnsFailure from './dns-failure.json'
import rebootMidRun from './reboot-mid-run.json'
import unplugMidTransfer from './unplug-mid-transfer.json'
import noisyLine from './noisy-line.json'
import readonlyRootfs from './readonly-rootfs.json'

export type {
  Scenario,
  ScenarioFile,
  ScenarioState,
  ModemSettings,
  NetworkSettings,
  FaultSettings,
  SymptomExpectation,
} from './types'

const FILES: ScenarioFile[] = [
  healthy,
  noSim,
  weakSignal,
  noSignal,
  notRegistered,
  noOptionVidpid,
  noRndisDriver,
  noPppd,
  moduleStuckAfterReset,
  dhcpTimeout,
  lossyNetwork,
  dnsFailure,
  rebootMidRun,
  unplugMidTransfer,
  noisyLine,
  readonlyRootfs,
] as ScenarioFile[]

/** Thrown by `loadScenario` for an unknown name or a malformed inline scenario; the message names the problem. */
export class ScenarioError extends Error {
  override name = 'ScenarioError'
}

/** Names and one-line summaries of every built-in scenario, `healthy` first. */
export function listScenarios(): { name: string; summary: string }[] {
  return FILES.map((f) => ({ name: f.name, summary: f.summary }))
}

/** Resolves a built-in scenario by name, or completes an inline scenario file over `healthy`; throws ScenarioError. */
export function loadScenario(nameOrFile: string | ScenarioFile): Scenario {
  const file =
    typeof nameOrFile === 'string' ? FILES.find((f) => f.name === nameOrFile) : nameOrFile
  if (!file) {
    const known = FILES.map((f) => f.name).join(', ')
    throw new ScenarioError(`unknown scenario '${String(nameOrFile)}' (known: ${known})`)
  }
  const fileProblem = checkValue(SCENARIO_FILE_SCHEMA, file, `scenario ${describeName(file)}`)
  if (fileProblem) throw new ScenarioError(fileProblem)
  const base = structuredClone(healthy) as unknown as Scenario
  const merged = deepMerge(base, file as DeepPartial<Scenario>) as Scenario
  const problem = checkValue(SCENARIO_SCHEMA, merged, `scenario ${describeName(file)}`)
  if (problem) throw new ScenarioError(problem)
  return merged
}

/** Writes a scenario's build facts into the board's state (drivers as a Set); trusts a resolved Scenario. */
export function applyScenarioState(state: BoardState, scenario: Scenario): void {
  const s = scenario.state
  state.drivers = new Set(s.drivers.filter((d) => !s.withoutDrivers.includes(d)))
  state.optionHasEc200a = s.optionHasEc200a
  state.kernelPpp = s.kernelPpp
  state.procConfig = s.procConfig
  state.pppdInstalled = s.pppdInstalled
  state.readonlyRootfs = s.readonlyRootfs
}

function describeName(file: unknown): string {
  const name = typeof file === 'object' && file !== null ? (file as { name?: unknown }).name : undefined
  return typeof name === 'string' && name ? `'${name.slice(0, 64)}'` : '(unnamed)'
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base
  if (Array.isArray(over) || over === null || typeof over !== 'object') return over
  if (base === null || typeof base !== 'object' || Array.isArray(base)) return over
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) }
  for (const [key, value] of Object.entries(over as Record<string, unknown>))
    out[key] = deepMerge(out[key], value)
  return out
}
