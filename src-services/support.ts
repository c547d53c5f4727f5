/** The support desk: a returned unit's runs (factory first), ticket notes, and the support bundle a colleague opens in Reports. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import type { BundleView, BundleWritten, ReportEntry } from '@shared/ipc'
import type { RunRecord, TranscriptEntry } from '@shared/record'
import { factoryRun } from '@shared/compare'
import { maskRecord, reportBaseName, sealedRecord } from '@engine/report/index'
import type { Profile } from '@engine/profile/index'
import { withoutSecrets } from '@engine/secrets/mask'
import { writeFileAtomic } from '@engine/files/atomic'
import { readBundle, writeBundle, BundleError, type BundleFile } from './bundle'
import { ServiceError } from './errors'
import type { ReportsService } from './reports'
import type { Connection } from './console'

/** What the support desk reads: production and support results, the profile in force, the live console when idle. */
export interface SupportDeps {
  production: ReportsService
  support: ReportsService
  appVersion: string
  notesDir: () => string
  bundlesDir: () => string
  profile: () => Profile
  /** The open console when nothing else drives it (no run, no AT command), else null. */
  idleConsole: () => Connection | null
}

const DIAGNOSTICS = [
  { file: 'dmesg.txt', command: 'dmesg', step: 'usb' },
  { file: 'usb-devices.txt', command: '[ -e /sys/kernel/debug/usb/devices ] || mount -t debugfs none /sys/kernel/debug/; cat /sys/kernel/debug/usb/devices', step: 'usb' },
] as const

const safeKey = (key: string): string => key.replace(/[^A-Za-z0-9._-]/g, '_')

/** Renders a transcript as text, one entry per line group with its time since the run start and direction. */
export function transcriptText(entries: readonly TranscriptEntry[]): string {
  return entries.map((e) => `[+${(e.t / 1000).toFixed(3)}s ${e.dir}] ${e.text}${e.text.endsWith('\n') ? '' : '\n'}`).join('')
}

/** Looks units up, keeps notes and writes/reads bundles; trusts keys and ids already checked by the IPC schema. */
export class SupportService {
  constructor(private readonly deps: SupportDeps) {}

  /** Every run of the unit: production runs with the factory run first, then support runs; each marked with its purpose. */
  async lookup(key: string): Promise<ReportEntry[]> {
    const production = (await this.deps.production.lookup(key)).map((e) => ({ ...e, purpose: 'production' as const }))
    const support = (await this.deps.support.lookup(key)).map((e) => ({ ...e, purpose: 'support' as const }))
    const factory = factoryRun(production)
    const ordered = factory ? [factory, ...production.filter((e) => e !== factory)] : production
    return [...ordered, ...support]
  }

  /** A record from either folder, without its transcript. */
  async record(id: string): Promise<Omit<RunRecord, 'transcript'>> {
    const { transcript: _t, ...rest } = await this.find(id)
    return rest
  }

  /** Reads the ticket notes of a unit, or saves them when `text` is given; returns what is stored. */
  notes(key: string, text?: string): string {
    const file = join(this.deps.notesDir(), `${safeKey(key)}.txt`)
    if (text !== undefined) {
      mkdirSync(this.deps.notesDir(), { recursive: true })
      writeFileAtomic(file, text)
      return text
    }
    return existsSync(file) ? readFileSync(file, 'utf8') : ''
  }

  /** Writes the support bundle for `key` with the chosen runs, notes, transcripts, dmesg, usb/devices, profile (no password) and app version. */
  async bundle(key: string, notes: string, ids: string[]): Promise<BundleWritten> {
    const chosen = ids.length ? ids : (await this.lookup(key)).map((e) => e.id)
    if (!chosen.length) throw ServiceError.keyed('not-found', 'noRunsForBundle', { unit: key })
    const records = await Promise.all(chosen.map((id) => this.find(id)))
    this.notes(key, notes)
    const files: BundleFile[] = []
    for (const r of records) {
      const masked = sealedRecord(maskRecord(r))
      const base = `${reportBaseName(masked)}${masked.purpose === 'support' ? '.support' : ''}`
      files.push({ name: `records/${base}.json`, data: Buffer.from(JSON.stringify(masked, null, 2)) })
      files.push({ name: `transcripts/${base}.txt`, data: Buffer.from(transcriptText(masked.transcript ?? [])) })
    }
    const latest = [...records].sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0]
    for (const d of DIAGNOSTICS) files.push({ name: d.file, data: Buffer.from(await this.diagnostic(d.command, d.step, latest)) })
    files.push({ name: 'profile.yaml', data: Buffer.from(stringify(withoutSecrets(this.deps.profile()))) })
    files.push({ name: 'notes.txt', data: Buffer.from(notes) })
    files.push({ name: 'app-version.txt', data: Buffer.from(`${this.deps.appVersion}\n`) })
    const createdAt = new Date().toISOString()
    const fileName = `support-${safeKey(key)}-${createdAt.replace(/[-:]/g, '').replace(/\..*/, '')}.zip`
    const path = join(this.deps.bundlesDir(), fileName)
    await writeBundle(path, { appVersion: this.deps.appVersion, createdAt, unit: key, notes }, files)
    return { path, fileName, files: ['manifest.json', ...files.map((f) => f.name)] }
  }

  /** Opens a bundle for the Reports screen: its runs become viewable by id; a damaged one is refused with the reason. */
  async open(path: string): Promise<BundleView> {
    if (!existsSync(path)) throw ServiceError.keyed('not-found', 'noFile', { path })
    let bundle: Awaited<ReturnType<typeof readBundle>>
    try {
      bundle = await readBundle(path)
    } catch (error) {
      if (error instanceof BundleError) throw ServiceError.keyed('bad-bundle', 'badBundle', { reasonTextKey: `serviceError.bundle.${error.why}`, ...error.params })
      throw error
    }
    this.deps.production.remember(bundle.records)
    const m = bundle.manifest
    return {
      fileName: path.split(/[\\/]/).pop() ?? path,
      appVersion: m.appVersion,
      createdAt: m.createdAt,
      unit: m.unit,
      notes: m.notes,
      entries: bundle.records.map((r) => ({ id: r.id, serial: r.unit.serial, verdict: r.verdict, startedAt: r.startedAt, imei: r.unit.imei, iccid: r.unit.iccid, purpose: r.purpose === 'support' ? 'support' : 'production' })),
    }
  }

  private async find(id: string): Promise<RunRecord> {
    try {
      return await this.deps.support.record(id)
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'not-found') return this.deps.production.record(id)
      throw error
    }
  }

  /** The command's output from the board now when the console is idle, else what the latest run captured in its step evidence. */
  private async diagnostic(command: string, step: string, latest: RunRecord): Promise<string> {
    const live = this.deps.idleConsole()
    if (live) {
      try {
        await live.session.attach({ timeout: 15_000 })
        const result = await live.session.run(command, { timeout: 15_000 })
        return `# ${command} (from the board, ${new Date().toISOString()})\n${result.output}`
      } catch (error) {
        return `# ${command}: the board did not answer (${error instanceof Error ? error.message : String(error)}); from run ${latest.id} instead\n${this.fromRecord(step, latest)}`
      } finally {
        await live.session.detach().catch(() => undefined)
      }
    }
    return `# ${command}: no idle console; evidence of step '${step}' in run ${latest.id} (${latest.startedAt})\n${this.fromRecord(step, latest)}`
  }

  private fromRecord(step: string, record: RunRecord): string {
    const s = record.steps.find((x) => x.id === step)
    return s?.attempts.at(-1)?.evidence.excerpt ?? '(the run has no such step)\n'
  }
}
