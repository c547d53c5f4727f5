/** Station settings in one JSON file; a damaged file falls back to defaults and is kept aside, never lost. */
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Settings } from '@shared/ipc'
import { writeFileAtomic } from '@engine/files/atomic'
import { EventHub } from './events'

/** Defaults taken from the reference procedure: 115200 baud, all three modes in ECM, RNDIS, PPP order. */
export function defaultSettings(resultsDir: string): Settings {
  return { language: 'system', theme: 'system', operator: '', stationId: 'station-1', resultsDir, baud: 115200, scenario: 'healthy', profile: 'default', modes: ['ecm', 'rndis', 'ppp'], requireOperatorCli: false }
}

/** Values kept in the settings file that never leave the main side (the engineer password hash). */
export interface SettingsSecrets {
  engineerPasswordHash?: string
}

/** Reads and writes settings under `file`; trusts patches already validated by the IPC schema. */
export class SettingsService {
  private current: Settings
  private secrets: SettingsSecrets = {}

  constructor(
    private readonly file: string,
    defaults: Settings,
    private readonly events: EventHub,
  ) {
    this.current = { ...defaults }
    if (existsSync(file)) {
      try {
        const loaded = JSON.parse(readFileSync(file, 'utf8')) as Partial<Settings>
        this.current = { ...defaults, ...pickKnown(loaded, defaults) }
        const hash = (loaded as SettingsSecrets).engineerPasswordHash
        if (typeof hash === 'string') this.secrets.engineerPasswordHash = hash
      } catch {
        renameSync(file, `${file}.damaged-${Date.now()}`)
      }
    }
  }

  /** The settings in force. */
  get(): Settings {
    return { ...this.current, modes: [...this.current.modes] }
  }

  /** Applies a partial change, writes it atomically and announces it. */
  set(patch: Partial<Settings>): Settings {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<Settings>
    this.current = { ...this.current, ...clean }
    this.write()
    this.events.emit('settings:changed', this.get())
    return this.get()
  }

  /** A main-side-only value from the settings file. */
  secret<K extends keyof SettingsSecrets>(key: K): SettingsSecrets[K] {
    return this.secrets[key]
  }

  /** Stores a main-side-only value in the settings file (written atomically with the settings). */
  setSecret<K extends keyof SettingsSecrets>(key: K, value: SettingsSecrets[K]): void {
    this.secrets = { ...this.secrets, [key]: value }
    this.write()
  }

  private write(): void {
    mkdirSync(dirname(this.file), { recursive: true })
    writeFileAtomic(this.file, JSON.stringify({ ...this.current, ...this.secrets }, null, 2))
  }
}

function pickKnown(loaded: Partial<Settings>, defaults: Settings): Partial<Settings> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(defaults) as (keyof Settings)[]) {
    const v = loaded[key]
    if (v !== undefined && typeof v === typeof defaults[key]) out[key] = v
  }
  return out as Partial<Settings>
}
