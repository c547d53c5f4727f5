/** The station's line-server sync: connection settings (password in its own owner-only file), the outbox fed from the results folder, and a background sender with backoff. */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { dirname, join } from 'node:path'
import type { LineServerView, LineTestView, OutboxEntryView, OutboxView, InvokeRequest } from '@shared/ipc'
import type { TrustedKeys } from '@engine/report/index'
import { connectionFailure, deliverRecord, deliverRecords, maskSecret, refusalCode, migrate, openPg, sendOutbox, serveDashboard, signatureVerifier, type StationIndex, type OutboxItem, type Sql } from '@engine/db/index'
import type { IndexHolder } from './index-holder'
import { MASK } from '@engine/secrets/mask'
import { writeFileAtomic } from '@engine/files/atomic'
import { EventHub } from './events'
import { ServiceError } from './errors'

/** The line server's address without its password. */
interface LineServerConfig {
  host: string
  port: number
  database: string
  user: string
}

/** Retry timing of the background sender. */
export interface LineSyncTiming {
  /** First retry delay after a failed delivery (doubling per attempt). */
  baseMs?: number
  /** Longest retry delay. */
  maxMs?: number
  /** Connection timeout to the line server. */
  connectTimeoutMs?: number
  /** How long the embedded index and its lock stay held after their last use (default HOLD_IDLE_MS, index-holder.ts). */
  holdIdleMs?: number
}

const EMPTY: LineServerConfig = { host: '', port: 5432, database: '', user: '' }
/** How long to wait for the line server to accept a connection (a loaded server's first SCRAM login can take seconds). */
const CONNECT_TIMEOUT_MS = 15_000
/** Connection URL of a config and password. Pure. */
export function lineServerUrl(config: LineServerConfig, password: string | undefined): string {
  const auth = `${encodeURIComponent(config.user)}${password ? `:${encodeURIComponent(password)}` : ''}@`
  const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host
  return `postgres://${config.user ? auth : ''}${host}:${config.port}/${encodeURIComponent(config.database)}`
}

/** One outbox row as the UI shows it: why it waits, in codes. Pure. */
export function outboxEntry(item: OutboxItem, configured: boolean, serial?: string): OutboxEntryView {
  const base = { runId: item.runId, serial, attempts: item.attempts, queuedAt: item.queuedAt, nextTryAt: item.nextTryAt, detail: item.lastError }
  if (item.state === 'refused') {
    return { ...base, state: 'refused', reason: 'refused', code: refusalCode(item.lastError) }
  }
  if (!configured) return { ...base, state: 'waiting', reason: 'not-configured' }
  if (!item.lastError) return { ...base, state: 'waiting', reason: 'pending' }
  return { ...base, state: 'waiting', reason: 'unreachable', code: connectionFailure(item.lastError) }
}

/** Connection settings, the outbox view and the sender; trusts payloads validated by the IPC schema; the password is never returned, logged or put in an error. */
export class LineSyncService {
  private config: LineServerConfig
  private password: string | undefined
  private server: { url: string; sql: Sql; migrated?: Promise<void> } | undefined
  private dashboard: { url: string; server: Server; sql: Sql } | undefined
  private view: OutboxView
  private pass: Promise<void> | undefined
  private again: 'scheduled' | 'now' | undefined
  private timer: NodeJS.Timeout | undefined
  private stopped = false
  private deferred = false
  private readonly offRun: () => void

  constructor(
    private readonly dataDir: string,
    private readonly resultsDir: () => string,
    private readonly trusted: () => TrustedKeys,
    private readonly events: EventHub,
    /** The app's held embedded indexes (the outbox lives in the results folder's index). */
    private readonly indexes: IndexHolder,
    private readonly timing: LineSyncTiming = {},
    /** True while a run is in progress: background passes wait for its end so the embedded database never competes with a run. */
    private readonly busy: () => boolean = () => false,
  ) {
    this.config = this.readConfig()
    this.password = this.readPassword()
    this.view = { configured: this.configured(), sending: false, items: [], delivered: 0 }
    this.offRun = events.on('run:update', (snapshot) => {
      if (snapshot.running || !this.deferred) return
      this.deferred = false
      void this.run('scheduled')
    })
  }

  private get configFile(): string {
    return join(this.dataDir, 'line-server.json')
  }

  private get passwordFile(): string {
    return join(this.dataDir, 'line-server.password')
  }

  private readConfig(): LineServerConfig {
    try {
      const v = JSON.parse(readFileSync(this.configFile, 'utf8')) as Partial<LineServerConfig>
      return { host: String(v.host ?? ''), port: Number.isInteger(v.port) ? Number(v.port) : 5432, database: String(v.database ?? ''), user: String(v.user ?? '') }
    } catch {
      return { ...EMPTY }
    }
  }

  private readPassword(): string | undefined {
    try {
      return readFileSync(this.passwordFile, 'utf8') || undefined
    } catch {
      return undefined
    }
  }

  private configured(): boolean {
    return !!this.config.host && !!this.config.database
  }

  private url(): string | undefined {
    return this.configured() ? lineServerUrl(this.config, this.password) : undefined
  }

  /** The connection settings without the password. */
  settings(): LineServerView {
    return { ...this.config, configured: this.configured(), passwordSet: !!this.password }
  }

  /** Changes the connection (a URL's parts, or fields); returns what changed for the audit log (never the password). */
  configure(patch: InvokeRequest<'line:set'>): { view: LineServerView; changed: Record<string, unknown> } {
    const next = { ...this.config }
    let password = this.password
    if (patch.url !== undefined && patch.url.trim()) {
      let parsed: URL
      try {
        parsed = new URL(patch.url.trim())
      } catch {
        throw ServiceError.keyed('line-bad-url', 'lineBadUrl')
      }
      if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw ServiceError.keyed('line-bad-url', 'lineBadProtocol', { protocol: parsed.protocol.replace(/:$/, '') + ':' })
      next.host = parsed.hostname.replace(/^\[|\]$/g, '')
      next.port = parsed.port ? Number(parsed.port) : 5432
      next.database = decodeURIComponent(parsed.pathname.replace(/^\//, ''))
      next.user = decodeURIComponent(parsed.username)
      if (parsed.password) password = decodeURIComponent(parsed.password)
    }
    if (patch.host !== undefined) next.host = patch.host.trim()
    if (patch.port !== undefined) next.port = patch.port
    if (patch.database !== undefined) next.database = patch.database.trim()
    if (patch.user !== undefined) next.user = patch.user.trim()
    if (patch.password !== undefined && patch.password !== '') password = patch.password
    if (patch.clearPassword) password = undefined
    const changed: Record<string, unknown> = {}
    for (const key of Object.keys(next) as (keyof LineServerConfig)[]) if (next[key] !== this.config[key]) changed[key] = { from: this.config[key], to: next[key] }
    if (password !== this.password) changed.password = password ? 'changed' : 'cleared'
    this.config = next
    this.password = password
    this.write()
    void this.closeDashboard()
    this.view = { ...this.view, configured: this.configured() }
    this.poke()
    return { view: this.settings(), changed }
  }

  private write(): void {
    mkdirSync(dirname(this.configFile), { recursive: true })
    writeFileAtomic(this.configFile, JSON.stringify(this.config, null, 2))
    if (this.password) writeFileAtomic(this.passwordFile, this.password, { mode: 0o600 })
    else if (existsSync(this.passwordFile)) rmSync(this.passwordFile, { force: true })
  }

  private masked(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error)
    const url = this.url()
    let out = url ? maskSecret(text, url) : text
    if (this.password) out = out.split(this.password).join(MASK)
    return out
  }

  /** Reaches the line server once with the settings in force and says whether it answered (never throws for an unreachable server). */
  async test(): Promise<LineTestView> {
    const url = this.url()
    if (!url) throw ServiceError.keyed('line-not-configured', 'lineNotConfigured')
    const sql = openPg(url, { max: 1, connectTimeoutMs: this.timing.connectTimeoutMs ?? CONNECT_TIMEOUT_MS })
    try {
      const { rows } = await sql.query<{ version: string }>('SELECT version() AS version')
      return { ok: true, server: /^\S+ \S+/.exec(rows[0]?.version ?? '')?.[0] ?? rows[0]?.version }
    } catch (error) {
      const detail = this.masked(error)
      return { ok: false, code: connectionFailure(detail) ?? (error as { code?: string }).code, detail }
    } finally {
      await sql.close().catch(() => undefined)
    }
  }

  /** Address of the line dashboard the app serves on loopback over the line server (started on first use). */
  async dashboardUrl(): Promise<string> {
    const url = this.url()
    if (!url) throw ServiceError.keyed('line-not-configured', 'lineNotConfigured')
    if (this.dashboard?.url === url) return `http://127.0.0.1:${(this.dashboard.server.address() as { port: number }).port}/`
    await this.closeDashboard()
    const sql = openPg(url, { connectTimeoutMs: this.timing.connectTimeoutMs ?? CONNECT_TIMEOUT_MS })
    try {
      await migrate(sql)
    } catch (error) {
      await sql.close().catch(() => undefined)
      throw ServiceError.keyed('line-unreachable', 'lineUnreachable', { detail: this.masked(error) })
    }
    const { server, port } = await serveDashboard(sql, 0)
    this.dashboard = { url, server, sql }
    return `http://127.0.0.1:${port}/`
  }

  /** What waits in the outbox now (the results folder's new records indexed and queued first). */
  async outbox(): Promise<OutboxView> {
    await this.run('list')
    return this.view
  }

  /** Sends every waiting record now, whatever its retry time, and returns what still waits. */
  async sendNow(): Promise<OutboxView> {
    if (!this.configured()) throw ServiceError.keyed('line-not-configured', 'lineNotConfigured')
    await this.run('now')
    return this.view
  }

  /** A record was stored: with a line server set, index, queue and send it in the background (never awaited by the run); without one, the outbox is filled from the record files at the next pass or listing. */
  poke(): void {
    if (this.configured()) void this.run('scheduled')
  }

  /** Starts the sender: when a line server is set, a first pass over the outbox in the background. */
  start(): void {
    this.stopped = false
    if (this.configured()) this.poke()
  }

  private run(mode: 'list' | 'scheduled' | 'now'): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (this.pass) {
      if (mode !== 'list') this.again = this.again === 'now' || mode === 'now' ? 'now' : 'scheduled'
      return this.pass.then(() => this.pass ?? undefined)
    }
    this.pass = this.once(mode).finally(() => {
      this.pass = undefined
      const again = this.again
      this.again = undefined
      if (again && !this.stopped) void this.run(again)
    })
    return this.pass
  }

  private async once(mode: 'list' | 'scheduled' | 'now'): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (mode === 'scheduled' && this.busy()) {
      this.deferred = true
      return
    }
    const url = mode === 'list' ? undefined : this.url()
    this.view = { ...this.view, sending: !!url }
    if (url) this.events.emit('outbox:changed', this.view)
    let error: string | undefined
    let items: OutboxEntryView[] = this.view.items
    let delivered = 0
    try {
      items = await this.withIndex(async (index) => {
        if (url) {
          const verify = signatureVerifier(this.trusted())
          const result = await sendOutbox(index.sql, async (text) => deliverRecord(await this.lineServer(url), text, verify), {
            deliverMany: async (texts) => deliverRecords(await this.lineServer(url), texts, verify),
            ignoreSchedule: mode === 'now',
            baseMs: this.timing.baseMs ?? 2000,
            maxMs: this.timing.maxMs ?? 300_000,
          })
          delivered = result.delivered + result.alreadyThere
        }
        const waiting = await index.outbox()
        return Promise.all(waiting.map(async (item) => outboxEntry({ ...item, lastError: item.lastError && this.masked(item.lastError) }, this.configured(), (await index.run(item.runId))?.serial)))
      })
    } catch (e) {
      error = this.masked(e)
    }
    this.view = { configured: this.configured(), sending: false, items, delivered: this.view.delivered + delivered, lastPassAt: url ? new Date().toISOString() : this.view.lastPassAt, error }
    this.events.emit('outbox:changed', this.view)
    this.scheduleRetry()
  }

  /** Runs `fn` on the results folder's held index (the holder lets it and its lock go when idle, so a CLI on the same folder gets in). */
  private withIndex<T>(fn: (index: StationIndex) => Promise<T>): Promise<T> {
    return this.indexes.use(this.resultsDir(), fn)
  }

  private async lineServer(url: string): Promise<Sql> {
    if (this.server?.url !== url) {
      await this.dropServer()
      this.server = { url, sql: openPg(url, { max: 2, connectTimeoutMs: this.timing.connectTimeoutMs ?? CONNECT_TIMEOUT_MS }) }
    }
    const server = this.server
    server.migrated ??= migrate(server.sql).then(
      () => undefined,
      (error: unknown) => {
        server.migrated = undefined
        throw error
      },
    )
    await server.migrated
    return server.sql
  }

  private scheduleRetry(): void {
    if (this.stopped || !this.configured()) return
    const next = this.view.items.filter((i) => i.state === 'waiting').map((i) => Date.parse(i.nextTryAt))
    if (!next.length) return
    const ms = Math.max(250, Math.min(...next) - Date.now())
    this.timer = setTimeout(() => void this.run('scheduled'), ms)
    this.timer.unref?.()
  }

  private async dropServer(): Promise<void> {
    const old = this.server
    this.server = undefined
    await old?.sql.close().catch(() => undefined)
  }

  private async closeDashboard(): Promise<void> {
    const old = this.dashboard
    this.dashboard = undefined
    if (!old) return
    await new Promise<void>((done) => {
      old.server.close(() => done())
      old.server.closeAllConnections()
    })
    await old.sql.close().catch(() => undefined)
  }

  /** Stops the sender after the pass under way and closes its connections. */
  async dispose(): Promise<void> {
    this.stopped = true
    this.offRun()
    if (this.timer) clearTimeout(this.timer)
    await this.pass?.catch(() => undefined)
    await Promise.all([this.dropServer(), this.closeDashboard()])
  }
}
