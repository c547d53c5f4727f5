/** The AT console: one command at a time to the EC200A through microcom on the board, raw and parsed answers side by side. */
import type { AtExchange } from '@shared/ipc'
import {
  AtError,
  createMicrocomAtChannel,
  describeFinal,
  parseAnswer,
  type AtResponse,
  type MicrocomAtChannel,
} from '@engine/at/index'
import type { ShellSession } from '@engine/session/types'
import type { Connection } from './console'
import { ServiceError } from './errors'

const AT_DEADLINE_MS = 45_000

function withDeadline<T>(work: Promise<T>, ms: number, refusal: () => ServiceError): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(refusal()), ms)))
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
}

/** ms without an AT command after which the AT console leaves microcom and gives the shell back. */
export const AT_IDLE_LEAVE_MS = 30_000

/** Sends AT commands through one microcom kept open on the module's AT port while the AT console is used; trusts commands already checked by the IPC schema (one line). */
export class AtService {
  private sending = false
  private held: { session: ShellSession; channel: MicrocomAtChannel } | null = null
  private idleTimer: ReturnType<typeof setTimeout> | undefined
  private leaving: Promise<void> = Promise.resolve()

  constructor(
    private readonly connection: () => Connection,
    private readonly runActive: () => boolean,
  ) {}

  /** True while an AT exchange holds the shell (console typing waits). */
  busy(): boolean {
    return this.sending
  }

  /** True while microcom holds the console for the AT console (between commands too). */
  holding(): boolean {
    return this.held?.channel.open ?? false
  }

  /** Sends one command and returns its exchange as soon as the module's final result code arrives; refused while a run uses the modem or another command is pending. */
  async send(command: string): Promise<AtExchange> {
    if (this.runActive()) throw ServiceError.keyed('busy', 'modemInUse')
    if (this.sending) throw ServiceError.keyed('busy', 'atBusy')
    const connection = this.connection()
    const c = command.trim()
    const started = Date.now()
    this.sending = true
    this.stopIdleTimer()
    try {
      await this.leaving
      if (this.held && this.held.session !== connection.session) await this.leaveNow()
      const held = (this.held ??= { session: connection.session, channel: createMicrocomAtChannel(connection.session) })
      const response = await withDeadline(
        (async () => {
          if (!held.channel.open) await connection.session.attach({ timeout: 30_000 })
          return held.channel.send(c)
        })(),
        AT_DEADLINE_MS,
        () => ServiceError.keyed('timeout', 'atTimeout', { command: c, seconds: AT_DEADLINE_MS / 1000 }),
      )
      const final = describeFinal(response.final)
      const exchange: AtExchange = { command: c, ok: response.final?.kind === 'ok', final: response.final ? finalText(response) : final, lines: response.lines, durationMs: Date.now() - started }
      const parsed = parseAnswer(c, response)
      if (parsed) exchange.parsed = parsed
      if (response.final && (response.final.kind === 'cme-error' || response.final.kind === 'cms-error')) exchange.meaning = response.final.meaning
      return exchange
    } catch (error) {
      if (error instanceof AtError) return { command: c, ok: false, final: error.code, lines: error.response?.lines ?? [], meaning: error.message, durationMs: Date.now() - started }
      if (error instanceof ServiceError && error.code === 'timeout') await this.leaveNow()
      throw error
    } finally {
      this.sending = false
      this.startIdleTimer()
    }
  }

  /** Leaves the AT console: exits microcom (Ctrl-X) and restores the shell's settings, so the console line is the shell's again; harmless when nothing is held. */
  leave(): Promise<void> {
    this.stopIdleTimer()
    this.leaving = this.leaving.then(() => this.leaveNow())
    return this.leaving
  }

  private async leaveNow(): Promise<void> {
    const held = this.held
    this.held = null
    if (!held) return
    const wasOpen = held.channel.open
    await withDeadline(held.channel.close(), 10_000, () => ServiceError.keyed('timeout', 'leaveTimeout')).catch(() => undefined)
    if (wasOpen) await withDeadline(held.session.detach(), 10_000, () => ServiceError.keyed('timeout', 'leaveTimeout')).catch(() => undefined)
  }

  private startIdleTimer(): void {
    this.stopIdleTimer()
    if (!this.held) return
    this.idleTimer = setTimeout(() => void this.leave(), AT_IDLE_LEAVE_MS)
    this.idleTimer.unref?.()
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = undefined
  }
}

function finalText(response: AtResponse): string {
  const f = response.final
  if (!f) return 'none'
  if (f.kind === 'cme-error' || f.kind === 'cms-error') return `+${f.kind === 'cme-error' ? 'CME' : 'CMS'} ERROR: ${f.code ?? f.text}`
  return describeFinal(f)
}
