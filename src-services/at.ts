/** The AT console: one command at a time to the EC200A through the board's shell, raw and parsed answers side by side. */
import type { AtExchange } from '@shared/ipc'
import {
  AtError,
  createBoardAtChannel,
  describeFinal,
  parseAnswer,
  type AtResponse,
} from '@engine/at/index'
import type { Connection } from './console'
import { ServiceError } from './errors'

const AT_DEADLINE_MS = 45_000

function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new ServiceError('timeout', message)), ms)))
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
}

/** Sends AT commands over the open connection's shell; trusts commands already checked by the IPC schema (one line). */
export class AtService {
  private sending = false

  constructor(
    private readonly connection: () => Connection,
    private readonly runActive: () => boolean,
  ) {}

  /** True while an AT exchange holds the shell (console typing waits). */
  busy(): boolean {
    return this.sending
  }

  /** Sends one command and returns its exchange; refused while a run uses the modem or another command is pending. */
  async send(command: string): Promise<AtExchange> {
    if (this.runActive()) throw new ServiceError('busy', 'The modem is in use by the run: wait for it to finish')
    if (this.sending) throw new ServiceError('busy', 'Another AT command is still waiting for its answer')
    const connection = this.connection()
    const c = command.trim()
    const started = Date.now()
    this.sending = true
    try {
      const response = await withDeadline(
        (async () => {
          await connection.session.attach({ timeout: 30_000 })
          return createBoardAtChannel(connection.session).send(c)
        })(),
        AT_DEADLINE_MS,
        `No answer to ${c} within ${AT_DEADLINE_MS / 1000} s: the shell or the module did not respond (see the Console)`,
      )
      const final = describeFinal(response.final)
      const exchange: AtExchange = { command: c, ok: response.final?.kind === 'ok', final: response.final ? finalText(response) : final, lines: response.lines, durationMs: Date.now() - started }
      const parsed = parseAnswer(c, response)
      if (parsed) exchange.parsed = parsed
      if (response.final && (response.final.kind === 'cme-error' || response.final.kind === 'cms-error')) exchange.meaning = response.final.meaning
      return exchange
    } catch (error) {
      if (error instanceof AtError) return { command: c, ok: false, final: error.code, lines: error.response?.lines ?? [], meaning: error.message, durationMs: Date.now() - started }
      throw error
    } finally {
      await withDeadline(connection.session.detach(), 10_000, 'detach timed out').catch(() => undefined)
      this.sending = false
    }
  }
}

function finalText(response: AtResponse): string {
  const f = response.final
  if (!f) return 'none'
  if (f.kind === 'cme-error' || f.kind === 'cms-error') return `+${f.kind === 'cme-error' ? 'CME' : 'CMS'} ERROR: ${f.code ?? f.text}`
  return describeFinal(f)
}
