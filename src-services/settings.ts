/** Station settings in one JSON file; a damaged file falls back to defaults and is kept aside, never lost. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Settings } from '@shared/ipc'
import { EventHub } from './events'

/** Defaults taken from the reference procedure: 115200 baud, all three modes in ECM, RNDIS, PPP order. */
export function defaultSettings(resultsDir: string): Settings {
  return { language: 'system', theme: 'system', operator: '', stationId: 'station-1', resultsDir, baud: 115200, scenario: 'healthy', profile: 'default', modes: ['ecm', 'rndis', 'ppp'] }
}

/** Reads and writes settings under `file`; trusts patches already validated by the IPC schema. */
export class SettingsService {
  private current: Settings

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
    mkdirSync(dirname(this.file), { recursive: true })
    const tmp = join(dirname(this.file), `.settings-${process.pid}.tmp`)
    writeFileSync(tmp, JSON.stringify(this.current, null, 2))
    renameSync(tmp, this.file)
    this.events.emit('settings:changed', this.get())
    return this.get()
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
