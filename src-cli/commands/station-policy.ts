/** The station settings the CLI honours, read from the app's settings file in the per-user data folder (the same file the app writes). */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defaultDataFolder } from '@engine/record/default-folder'

/** What the station requires of a CLI run. */
export interface StationPolicy {
  /** The station setting "the command line also refuses a run without --operator" (off by default). */
  requireOperator: boolean
}

/** Reads the policy from `<data>/settings.json`; a missing or damaged file means the defaults (nothing required). Trusts nothing in the file but a boolean. */
export function stationPolicy(env: NodeJS.ProcessEnv): StationPolicy {
  const file = join(defaultDataFolder(env), 'settings.json')
  if (!existsSync(file)) return { requireOperator: false }
  try {
    const settings = JSON.parse(readFileSync(file, 'utf8')) as { requireOperatorCli?: unknown }
    return { requireOperator: settings.requireOperatorCli === true }
  } catch {
    return { requireOperator: false }
  }
}
