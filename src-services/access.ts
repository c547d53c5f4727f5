/** Roles at the station (technician, engineer, support), the engineer unlock and the audit log of every change (`audit.jsonl`). */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { AccessView, AuditEntry, Role } from '@shared/ipc'
import { EventHub } from './events'
import { ServiceError } from './errors'
import { hashPassword, verifyPassword } from './password'
import type { SettingsService } from './settings'
import type serviceEn from '@shared/i18n/engine/service-en'

const AUDIT_SHOWN = 200
/** Wrong passwords in a row before unlocking pauses, and for how long. */
const MAX_FAILURES = 5
const PAUSE_MS = 30_000

/** Holds the role of this session (technician after every start) and writes the audit log; trusts payloads validated by the IPC schema. */
export class AccessService {
  private current: Role = 'technician'
  private failures = 0
  private pausedUntil = 0

  constructor(
    private readonly settings: SettingsService,
    private readonly auditFile: string,
    private readonly events: EventHub,
    private readonly busy: () => boolean = () => false,
    private readonly now: () => number = Date.now,
  ) {}

  /** The role in force. */
  role(): Role {
    return this.current
  }

  /** The role and whether an engineer password has been set. */
  state(): AccessView {
    return { role: this.current, passwordSet: !!this.settings.secret('engineerPasswordHash') }
  }

  /** Becomes engineer when the password matches; a wrong one is refused and logged. */
  async unlock(password: string): Promise<AccessView> {
    const stored = this.settings.secret('engineerPasswordHash')
    if (!stored) throw ServiceError.keyed('no-password', 'noPassword')
    this.refuseWhileBusy()
    const wait = this.pausedUntil - this.now()
    if (wait > 0) throw ServiceError.keyed('too-many-attempts', 'tooManyAttempts', { seconds: Math.ceil(wait / 1000) })
    if (!(await verifyPassword(password, stored))) {
      this.failures++
      if (this.failures >= MAX_FAILURES) {
        this.pausedUntil = this.now() + PAUSE_MS
        this.failures = 0
      }
      this.log('role.unlock-refused', { failures: this.failures })
      throw ServiceError.keyed('wrong-password', 'wrongPassword')
    }
    this.failures = 0
    return this.become('engineer')
  }

  /** Sets the engineer password: the first time anyone may (and becomes engineer), afterwards only an engineer or with the current password. */
  async setPassword(password: string, current?: string): Promise<AccessView> {
    const stored = this.settings.secret('engineerPasswordHash')
    if (stored && this.current !== 'engineer' && !(current !== undefined && (await verifyPassword(current, stored)))) throw ServiceError.keyed('wrong-password', 'onlyEngineerChangesPassword')
    this.settings.setSecret('engineerPasswordHash', await hashPassword(password))
    this.log(stored ? 'password.change' : 'password.set', {})
    return this.current === 'engineer' ? this.state() : this.become('engineer')
  }

  /** Leaves engineer mode or switches between technician and support. */
  useRole(role: 'technician' | 'support'): AccessView {
    this.refuseWhileBusy()
    return this.become(role)
  }

  /** Throws unless the engineer is unlocked; `what` names the refused change (`serviceError.what.*`, with its parameters). */
  requireEngineer(what: keyof typeof serviceEn.what, params: Record<string, string> = {}): void {
    if (this.current !== 'engineer') throw ServiceError.keyed('locked', 'locked', { whatKey: `serviceError.what.${what}`, ...params })
  }

  /** Appends one entry (who, when, what) to the audit log. */
  log(action: string, detail: Record<string, unknown>): void {
    const entry: AuditEntry = { at: new Date().toISOString(), role: this.current, operator: this.settings.get().operator, action, detail }
    mkdirSync(dirname(this.auditFile), { recursive: true })
    appendFileSync(this.auditFile, `${JSON.stringify(entry)}\n`)
  }

  /** The last entries of the audit log, newest first; damaged lines are skipped, not fatal. */
  audit(): AuditEntry[] {
    if (!existsSync(this.auditFile)) return []
    const out: AuditEntry[] = []
    for (const line of readFileSync(this.auditFile, 'utf8').split('\n')) {
      if (!line.trim()) continue
      try {
        const e = JSON.parse(line) as AuditEntry
        if (typeof e.at === 'string' && typeof e.action === 'string') out.push(e)
      } catch {
        /* a torn last line after a power cut: skipped */
      }
    }
    return out.slice(-AUDIT_SHOWN).reverse()
  }

  private refuseWhileBusy(): void {
    if (this.busy()) throw ServiceError.keyed('busy', 'roleBusy')
  }

  private become(role: Role): AccessView {
    if (role !== this.current) {
      this.current = role
      this.log(`role.${role}`, {})
    }
    const view = this.state()
    this.events.emit('access:changed', view)
    return view
  }
}

/** Settings a technician may change (their own id, language, theme, the connection); everything else is station layout. */
export const TECHNICIAN_SETTINGS = new Set(['language', 'theme', 'operator', 'baud', 'scenario'])
