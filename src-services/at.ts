/** The AT console: sends one command to the EC200A through the board's shell and returns raw and parsed answers. */
import type { AtExchange } from '@shared/ipc'
import type { Connection } from './console'
import { engineModule } from './engine'
import { NotAvailableError, ServiceError } from './errors'

/** An AT channel as the engine provides it (raw exchange). */
export interface AtChannelLike {
  send(command: string, options?: { timeout?: number }): Promise<{ final: string; lines: string[]; ok?: boolean }>
}

/** Sends AT commands over the open connection; trusts commands already checked by the IPC schema (one line). */
export class AtService {
  private channel: { connection: Connection; at: AtChannelLike } | null = null
  private history: AtExchange[] = []

  constructor(
    private readonly connection: () => Connection,
    private readonly busy: () => boolean,
  ) {}

  /** Sends one command and returns its exchange; refused while a run is using the modem. */
  async send(command: string): Promise<AtExchange> {
    if (this.busy()) throw new ServiceError('busy', 'The modem is in use by the run: wait for it to finish')
    const connection = this.connection()
    const at = await this.channelFor(connection)
    const started = Date.now()
    const reply = await at.send(command.trim(), { timeout: 10_000 })
    const final = reply.final
    const ok = reply.ok ?? final === 'OK'
    const exchange: AtExchange = { command: command.trim(), ok, final, lines: reply.lines, durationMs: Date.now() - started }
    const parsed = await parseAnswer(command, reply.lines)
    if (parsed) exchange.parsed = parsed
    const meaning = await explain(final)
    if (meaning) exchange.meaning = meaning
    this.history = [...this.history.slice(-199), exchange]
    return exchange
  }

  private async channelFor(connection: Connection): Promise<AtChannelLike> {
    if (this.channel?.connection === connection) return this.channel.at
    const mod = await engineModule('@engine/at/index', 'The AT channel')
    const make = mod.createBoardAtChannel ?? mod.boardAtChannel
    if (typeof make !== 'function') throw new NotAvailableError('The AT channel', '@engine/at has no createBoardAtChannel()')
    const at = (make as (session: Connection['session']) => AtChannelLike)(connection.session)
    this.channel = { connection, at }
    return at
  }
}

async function parseAnswer(command: string, lines: string[]): Promise<Record<string, unknown> | undefined> {
  try {
    const mod = await engineModule('@engine/at/index', 'The AT parsers')
    const f = mod.parseAtAnswer
    if (typeof f !== 'function') return undefined
    const r = (f as (c: string, l: string[]) => unknown)(command, lines)
    return r && typeof r === 'object' ? (r as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

async function explain(final: string): Promise<string | undefined> {
  const m = /^\+CM[ES] ERROR: (\d+)/.exec(final)
  if (!m) return undefined
  try {
    const mod = await engineModule('@engine/at/index', 'The AT error table')
    const f = mod.cmeErrorMeaning
    return typeof f === 'function' ? String((f as (n: number) => unknown)(Number(m[1]))) : undefined
  } catch {
    return undefined
  }
}
