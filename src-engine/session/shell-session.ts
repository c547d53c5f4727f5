/** ShellSession over a Link: attach from any console state, marker-framed commands, faults as typed errors. */
import { LinkLostError, type Link } from '../link/link'
import { ConsoleStream, WaitTimeout } from './console-stream'
import type { ConsoleFault } from './faults'
import { backslashed, escapeRegExp, randomMarker, splitQuoted } from './markers'
import { startsBackgroundJob } from './background'
import { HeldCommand, markerPrefixAtEnd } from './passthrough'
import { SessionError, type Passthrough, type PassthroughOptions, type RunOptions, type RunResult, type ShellSession, type ShellSessionEvents } from './types'

/** Options of a BusyBox shell session. */
export interface ShellSessionOptions {
  /** Longest line (bytes, without the newline) ever sent; default 900 (BusyBox edits at most 1024). */
  maxLine?: number
  /** Default run timeout (ms); default 30000. */
  defaultTimeoutMs?: number
  /** Console silence that counts as "idle" while attaching (ms); default 300. */
  quietMs?: number
  /** First wait for a probe's answer (ms); doubles on each retry; default 1000. */
  probeTimeoutMs?: number
  /** Longest time (ms) spent getting the prompt back with Ctrl-C after a command timed out; default 6000. */
  recoverMs?: number
  /** Where error messages take their console context from (the transcript's masked tail). */
  contextTail?: () => string
  /** Optional write pacing for slow consoles: `chunkBytes` per write, `delayMs` between writes. */
  pace?: { chunkBytes: number; delayMs: number }
  /** Told about values that must be masked in transcripts (the login password). */
  onSecret?: (secret: string) => void
  /** Told when a span of console traffic carrying a secret starts (`label`) and ends (`null`): the transcript keeps none of its bytes. */
  onRedact?: (label: string | null) => void
}

/** Extra run options of this implementation. */
export interface BusyBoxRunOptions extends RunOptions {
  /** Keep kernel-stamped lines that start a line in the output (for `dmesg`); spliced ones are still lifted out. */
  keepKernelLines?: boolean
}

/** What attach's preparation achieved, checked on the board. */
export interface Preparation {
  /** `stty -echo` took effect (no echo seen afterwards). */
  echoOff: boolean
  /** Console log level read back from /proc/sys/kernel/printk, if readable. */
  printkLevel?: number
  /** The session's unique prompt. */
  prompt: string
}

/** Where the session stands. */
export type SessionState = 'detached' | 'ready' | 'unknown' | 'lost'

const VAR = '__k230'
const PREPARE_STEP_MS = 5000
const SAVE_SETTINGS =
  `[ -n "$${VAR}_saved" ] || { ${VAR}_stty=$(stty -g 2>/dev/null); ${VAR}_ps1=$PS1; ${VAR}_ps2=$PS2; ` +
  `${VAR}_hist=\${HISTFILE-}; read ${VAR}_printk ${VAR}_rest </proc/sys/kernel/printk 2>/dev/null; ${VAR}_saved=1; }`
const RESTORE_SETTINGS =
  `[ -n "$${VAR}_saved" ] && { [ -n "$${VAR}_printk" ] && { dmesg -n "$${VAR}_printk" 2>/dev/null || echo "$${VAR}_printk" >/proc/sys/kernel/printk; }; ` +
  `[ -n "$${VAR}_hist" ] && HISTFILE=$${VAR}_hist; PS2=$${VAR}_ps2; PS1=$${VAR}_ps1; ` +
  `if [ -n "$${VAR}_stty" ]; then stty "$${VAR}_stty"; else stty echo; fi; unset ${VAR}_saved; } 2>/dev/null; true`

/** A BusyBox shell session; commands run one at a time in call order. */
export class BusyBoxSession implements ShellSession {
  readonly maxLine: number
  private readonly stream: ConsoleStream
  private readonly listeners: { [E in keyof ShellSessionEvents]: Set<ShellSessionEvents[E]> } = { kernel: new Set(), reboot: new Set(), oops: new Set() }
  private readonly options: Required<Omit<ShellSessionOptions, 'contextTail' | 'pace' | 'onSecret' | 'onRedact'>> & Pick<ShellSessionOptions, 'contextTail' | 'pace' | 'onSecret' | 'onRedact'>
  private queue: Promise<unknown> = Promise.resolve()
  private currentKernel: string[] | null = null
  private attachPhase: 'none' | 'reach' | 'prepare' = 'none'
  private damaged = 0
  private lastAttach: { timeout?: number; username?: string; password?: string } = {}
  private prompt = ''
  private prep: Preparation | null = null
  private stateValue: SessionState = 'detached'
  private readonly offs: (() => void)[] = []
  private held: HeldCommand | null = null
  private heldTimeout = 10_000

  constructor(
    private readonly link: Link,
    options: ShellSessionOptions = {},
  ) {
    this.options = {
      maxLine: options.maxLine ?? 900,
      defaultTimeoutMs: options.defaultTimeoutMs ?? 30_000,
      quietMs: options.quietMs ?? 300,
      probeTimeoutMs: options.probeTimeoutMs ?? 1000,
      recoverMs: options.recoverMs ?? 6000,
      contextTail: options.contextTail,
      pace: options.pace,
      onSecret: options.onSecret,
      onRedact: options.onRedact,
    }
    this.maxLine = this.options.maxLine
    this.stream = new ConsoleStream({ kernel: (line) => this.onKernel(line), fault: (fault) => this.onFault(fault), text: () => this.pumpHeld() })
    this.offs.push(link.onData((chunk) => this.stream.push(chunk)))
    this.offs.push(link.onClose((error) => this.onLinkClosed(error)))
    if (!link.isOpen) this.onLinkClosed(new LinkLostError(link.name, 'link was already closed'))
  }

  /** Where the session stands: `ready` after attach, `unknown` after a timeout that could not resync or a reboot. */
  get state(): SessionState {
    return this.stateValue
  }

  /** What the last attach prepared (null before the first attach). */
  get preparation(): Preparation | null {
    return this.prep
  }

  on<E extends keyof ShellSessionEvents>(event: E, listener: ShellSessionEvents[E]): () => void {
    const set = this.listeners[event] as Set<ShellSessionEvents[E]>
    set.add(listener)
    return () => set.delete(listener)
  }

  attach(options: { timeout?: number; username?: string; password?: string } = {}): Promise<void> {
    return this.exclusive(() => this.doAttach(options))
  }

  /** Runs `work` with the transcript keeping none of the console bytes it causes (a secret file's payload); `label` names what was hidden. */
  async redacted<T>(label: string, work: () => Promise<T>): Promise<T> {
    this.options.onRedact?.(label)
    try {
      return await work()
    } finally {
      this.options.onRedact?.(null)
    }
  }

  run(command: string, options: BusyBoxRunOptions = {}): Promise<RunResult> {
    return this.exclusive(async () => {
      if (this.stateValue === 'lost') throw this.error('link-lost', `The console link ${this.link.name} is lost`)
      if (this.stateValue !== 'ready') await this.doAttach(this.lastAttach)
      return this.doRun(command, options)
    })
  }

  detach(): Promise<void> {
    return this.exclusive(async () => {
      if (this.stateValue === 'ready') {
        const timeout = this.options.defaultTimeoutMs
        await this.exchange(RESTORE_SETTINGS, timeout, false)
      }
      if (this.stateValue !== 'lost') this.stateValue = 'detached'
      this.prompt = ''
    })
  }

  /**
   * Runs commands back to back, typing ahead while earlier ones execute, but never with more than `inputBudget`
   * bytes (default 4000, under the 4096-byte tty buffer) typed and not yet read by the shell; a command's start
   * marker proves the shell has read it. `next(done)` returns the next command (or null) and sees every completed
   * result. One at a time when echo could not be turned off (typed-ahead text would be echoed into the output).
   */
  runPipelined(next: (done: RunResult[]) => string | null, options: RunOptions & { inputBudget?: number } = {}): Promise<RunResult[]> {
    return this.exclusive(async () => {
      if (this.stateValue === 'lost') throw this.error('link-lost', `The console link ${this.link.name} is lost`)
      if (this.stateValue !== 'ready') await this.doAttach(this.lastAttach)
      const results: RunResult[] = []
      if (!this.prep?.echoOff) {
        for (let command = next(results); command !== null; command = next(results)) results.push(await this.doRun(command, options))
        return results
      }
      const timeout = options.timeout ?? this.options.defaultTimeoutMs
      const budget = options.inputBudget ?? 4000
      type Frame = { start: string; end: string; text: string; bytes: number; command: string; sentAt: number }
      const frame = (command: string): Frame => {
        const start = randomMarker()
        const end = randomMarker()
        const text = `echo ${splitQuoted(start)}; {\n${command.trim() === '' ? 'true' : command}\n}; echo ${splitQuoted(end)} $?\n`
        this.checkLines(text)
        return { start, end, text, bytes: Buffer.byteLength(text), command, sentAt: 0 }
      }
      const unread: Frame[] = []
      let held: Frame | null = null
      let executing: Frame | null = null
      let exhausted = false
      let last = ''
      this.stream.consume(this.stream.buffer.length)
      const sendMore = async () => {
        for (;;) {
          if (!held && !exhausted) {
            const command = next(results)
            if (command === null) exhausted = true
            else held = frame(command)
          }
          if (!held) return
          const typed = unread.reduce((sum, f) => sum + f.bytes, 0)
          if (unread.length > 0 && typed + held.bytes > budget) return
          const f: Frame = held
          held = null
          f.sentAt = performance.now()
          last = f.command
          unread.push(f)
          await this.send(f.text)
        }
      }
      try {
        for (;;) {
          await sendMore()
          if (executing) {
            const ended = await this.stream.waitFor(new RegExp(`${executing.end} (\\d+)\\n`), timeout)
            const output = this.stream.buffer.slice(0, ended.index)
            const prompt = await this.stream.waitFor(this.promptPattern(), timeout, ended.index + ended[0].length)
            this.stream.consume(prompt.index + prompt[0].length)
            results.push({ output, status: Number(ended[1]), durationMs: Math.round(performance.now() - executing.sentAt), kernel: this.currentKernel ?? [] })
            executing = null
            continue
          }
          const f = unread[0]
          if (!f) return results
          const started = await this.stream.waitFor(new RegExp(`${f.start}\\n`), timeout)
          this.stream.consume(started.index + started[0].length)
          unread.shift()
          executing = f
          this.currentKernel = []
        }
      } catch (error) {
        if (error instanceof WaitTimeout) {
          const recovered = await this.resync()
          if (!recovered) this.stateValue = 'unknown'
          throw this.error('timeout', `Pipelined command timed out after ${timeout} ms${recovered ? '' : ' and the shell did not come back after Ctrl-C'}: ${oneLine(executing?.command ?? last)}`)
        }
        if (!(error instanceof WaitTimeout) && !(error instanceof SessionError) && !(error instanceof LinkLostError) && unread.length + (executing ? 1 : 0) > 0) {
          await this.resync()
          throw error
        }
        throw this.translate(error, 'no-prompt', `Pipelined command failed: ${oneLine(executing?.command ?? last)}`)
      } finally {
        this.currentKernel = null
      }
    })
  }

  /**
   * Starts `command` framed by markers and, once its start marker is seen, hands the console to the caller: the link's
   * writes go straight to the line, the command's cleaned output comes back on it. The command keeps the console until
   * it exits by itself or the link is closed (the exit key is typed); every other call on the session leaves it first.
   */
  passthrough(command: string, options: PassthroughOptions): Promise<Passthrough> {
    return this.exclusive(async () => {
      if (this.stateValue === 'lost') throw this.error('link-lost', `The console link ${this.link.name} is lost`)
      if (this.stateValue !== 'ready') await this.doAttach(this.lastAttach)
      const timeout = options.timeout ?? 10_000
      const start = randomMarker()
      const end = randomMarker()
      const text = `echo ${splitQuoted(start)}; {\n${command}\n}; echo ${splitQuoted(end)} $?\n`
      this.checkLines(text)
      this.stream.consume(this.stream.buffer.length)
      await this.send(text)
      try {
        const started = await this.stream.waitFor(new RegExp(`${start}\\n`), timeout)
        this.stream.consume(started.index + started[0].length)
      } catch (error) {
        if (error instanceof WaitTimeout) {
          if (!(await this.resync())) this.stateValue = 'unknown'
          throw this.error('timeout', `The shell did not start ${oneLine(command)} within ${timeout} ms`)
        }
        throw this.translate(error, 'no-prompt', `Could not start ${oneLine(command)}`)
      }
      const held = new HeldCommand(end, options.exitKey, options.name, this.link.baudRate, (data) => this.link.write(data), () => this.exclusive(async () => undefined))
      this.held = held
      this.heldTimeout = timeout
      this.stream.keepCarriageReturn = true
      this.pumpHeld()
      return held.link
    })
  }

  /** Sends Ctrl-C and resynchronises with the prompt; for callers that gave up on a command. */
  interrupt(): Promise<void> {
    return this.exclusive(async () => {
      if (!(await this.resync())) throw this.error('no-prompt', 'The shell did not come back after Ctrl-C')
    })
  }

  /** Stops listening to the link (does not close it). */
  dispose(): void {
    for (const off of this.offs) off()
    this.stream.fail(new SessionError('link-lost', 'Session disposed'))
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const step = async (): Promise<T> => {
      await this.leaveHeld()
      return task()
    }
    const next = this.queue.then(step, step)
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Ends the console-holding command, if any: types its exit key and waits for its end marker and the prompt; when it ended by itself, bytes meant for it may have reached the shell, so a probe resynchronises. */
  private async leaveHeld(): Promise<void> {
    const held = this.held
    if (!held) return
    const timeout = this.heldTimeout
    try {
      const byItself = !held.running
      if (!byItself) await this.send(held.exitKey)
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        held.ended,
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new WaitTimeout(new RegExp(held.endMarker), timeout)), timeout))),
      ]).finally(() => clearTimeout(timer))
      if (byItself) {
        if (!(await this.probe(timeout))) this.stateValue = 'unknown'
      } else if (this.prompt) await this.waitPrompt(0, timeout)
    } catch {
      if (held.running) held.fail(new LinkLostError(held.link.name, 'the command holding the console did not exit'))
      if (this.stateValue !== 'lost') this.stateValue = 'unknown'
    } finally {
      this.stream.keepCarriageReturn = false
      this.held = null
    }
  }

  /** Hands the held command's output to its link; stops at the end marker, which finishes it. */
  private pumpHeld(): void {
    const held = this.held
    if (!held || !held.running) return
    const buffer = this.stream.buffer
    const m = new RegExp(`${held.endMarker} (\\d+)\\r*\\n`).exec(buffer)
    if (m) {
      this.stream.keepCarriageReturn = false
      this.stream.consume(m.index + m[0].length)
      held.deliver(buffer.slice(0, m.index))
      held.finish(Number(m[1]))
      return
    }
    const ready = buffer.length - markerPrefixAtEnd(buffer, held.endMarker)
    if (ready <= 0) return
    this.stream.consume(ready)
    held.deliver(buffer.slice(0, ready))
  }

  private async doAttach(options: { timeout?: number; username?: string; password?: string }): Promise<void> {
    if (this.stateValue === 'lost') throw this.error('link-lost', `The console link ${this.link.name} is lost`)
    this.lastAttach = options
    if (options.password) this.options.onSecret?.(options.password)
    const timeout = options.timeout ?? 60_000
    const deadline = performance.now() + timeout
    this.attachPhase = 'reach'
    this.damaged = 0
    try {
      this.stream.clearFailure()
      if (this.stateValue === 'ready' && (await this.probe(this.options.probeTimeoutMs))) return
      for (;;) {
        this.stateValue = 'unknown'
        this.prompt = ''
        this.attachPhase = 'reach'
        await this.reachShell(deadline, options.username ?? 'root', options.password ?? '')
        this.attachPhase = 'prepare'
        try {
          await this.prepare(deadline)
          break
        } catch (error) {
          const retry = error instanceof RebootDuringAttach || error instanceof WaitTimeout || (error instanceof SessionError && error.code === 'prepare-failed')
          if (!retry || performance.now() >= deadline) throw error
          if (!(error instanceof RebootDuringAttach)) this.damaged++
          this.stream.clearFailure()
        }
      }
      this.stateValue = 'ready'
    } catch (error) {
      if ((this.stateValue as SessionState) !== 'lost') this.stateValue = 'unknown'
      if (error instanceof RebootDuringAttach) throw this.error('board-rebooted', `The board rebooted again and again while attaching: ${error.message}`)
      if (this.damaged > 0 && !(error instanceof SessionError && error.code === 'login-failed') && !(error instanceof LinkLostError)) {
        throw this.error('no-prompt', `The console line garbles or drops characters: ${this.damaged} answers came back damaged within ${timeout} ms (check the cable, ground and baud rate)`)
      }
      throw this.translate(error, 'no-prompt', `No shell prompt on ${this.link.name} within ${timeout} ms`)
    } finally {
      this.attachPhase = 'none'
    }
  }

  private async reachShell(deadline: number, username: string, password: string): Promise<void> {
    let logins = 0
    let probeTimeout = this.options.probeTimeoutMs
    let bootSeenAt = -Infinity
    let kernelStarted = true
    const offFault = this.onFaultDuringAttach((fault) => {
      if (fault.kind !== 'reboot') return
      bootSeenAt = performance.now()
      kernelStarted = !/U-Boot/.test(fault.line)
    })
    try {
      while (performance.now() < deadline) {
        const remaining = deadline - performance.now()
        const quiet = await this.stream.waitQuiet(this.options.quietMs, Math.min(remaining, Math.max(3000, this.options.quietMs * 10)))
        const tail = this.stream.buffer.slice(-400)
        if (/login:\s*$/i.test(tail)) {
          if (logins >= 2) throw this.error('login-failed', `Login as '${username}' was refused ${logins} times`)
          logins++
          this.stream.consume(this.stream.buffer.length)
          await this.send(`${username}\n`)
          continue
        }
        if (/assword:\s*$/.test(tail)) {
          this.stream.consume(this.stream.buffer.length)
          this.options.onRedact?.('login password')
          try {
            await this.send(`${password}\n`)
          } finally {
            this.options.onRedact?.(null)
          }
          continue
        }
        if (/Please press Enter to activate this console\.?\s*$/.test(tail)) {
          this.stream.consume(this.stream.buffer.length)
          await this.send('\n')
          continue
        }
        const inBootloader = !kernelStarted && performance.now() - bootSeenAt < 120_000
        if (inBootloader) {
          if (quiet && /(?:^|\n)(?:=>|K230#|k230#)\s*$/.test(tail)) throw this.error('no-prompt', 'The board is at the U-Boot prompt, not at a Linux shell')
          continue
        }
        const booting = performance.now() - bootSeenAt < 10_000
        if (!quiet && booting) continue
        await this.send('\x18\x03')
        await this.stream.waitQuiet(Math.min(this.options.quietMs, 200), Math.min(2000, Math.max(0, deadline - performance.now())))
        if (await this.probe(Math.min(probeTimeout, Math.max(0, deadline - performance.now())))) return
        probeTimeout = Math.min(probeTimeout * 2, 8000)
      }
      throw this.error('no-prompt', 'No shell answered before the attach deadline')
    } finally {
      offFault()
    }
  }

  private async probe(timeoutMs: number): Promise<boolean> {
    const marker = randomMarker()
    this.stream.consume(this.stream.buffer.length)
    await this.send(`echo ${backslashed(marker)}\n`)
    try {
      const m = await this.stream.waitFor(new RegExp(`(?<![A-Z])${marker}\\n`), timeoutMs)
      this.stream.consume(m.index + m[0].length)
      if (this.prompt) await this.waitPrompt(0, timeoutMs)
      return true
    } catch (error) {
      if (!(error instanceof WaitTimeout)) throw error
      if (looksDamaged(this.stream.buffer, marker)) this.damaged++
      return false
    }
  }

  private async prepare(deadline: number): Promise<void> {
    const remaining = () => Math.max(1000, Math.min(PREPARE_STEP_MS, deadline - performance.now()))
    await this.exchange(SAVE_SETTINGS, remaining(), false)
    await this.exchange('stty -echo', remaining(), false)
    const check = await this.exchange('true', remaining(), false)
    let echoOff = !check.before.replace(/\n/g, '').includes(check.sentMarker)
    if (!echoOff) await this.exchange('stty cols 1024 2>/dev/null', remaining(), false)
    const id = randomMarker(6)
    const prompt = `k230-${id}> `
    await this.exchange(`PS1=${splitQuoted(`'k230-${id}> '`)}; PS2=''; unset HISTFILE`, remaining(), false)
    this.prompt = prompt
    try {
      await this.waitPrompt(0, Math.min(remaining(), 5000))
    } catch (error) {
      this.prompt = ''
      throw this.translate(error, 'prepare-failed', 'The shell did not show the new prompt after PS1 was set')
    }
    this.stream.consume(this.stream.buffer.length)
    const printk = await this.doRun('dmesg -n 1 2>/dev/null || echo 1 >/proc/sys/kernel/printk 2>/dev/null; cat /proc/sys/kernel/printk', { timeout: remaining() })
    const level = /^\s*(\d+)/.exec(printk.output)
    const sanity = await this.doRun(`echo ${splitQuoted('K230-SANITY-CHECK')}`, { timeout: remaining() })
    if (sanity.output !== 'K230-SANITY-CHECK\n' || sanity.status !== 0) {
      throw this.error('prepare-failed', `Sanity echo came back as ${JSON.stringify(sanity.output)} (status ${sanity.status})`)
    }
    if (echoOff) {
      const again = await this.exchange('true', remaining(), true)
      echoOff = !again.before.replace(/\n/g, '').includes(again.sentMarker)
    }
    this.prep = { echoOff, printkLevel: level ? Number(level[1]) : undefined, prompt }
  }

  private async doRun(command: string, options: BusyBoxRunOptions): Promise<RunResult> {
    const timeout = options.timeout ?? this.options.defaultTimeoutMs
    const body = command.trim() === '' ? 'true' : command
    const wrapped = this.prep?.echoOff !== false && startsBackgroundJob(body) ? `(\n${body}\n)` : body
    const started = performance.now()
    this.currentKernel = []
    this.stream.keepLineStartKernel = options.keepKernelLines ?? false
    try {
      const result = await this.exchange(wrapped, timeout, true)
      return { output: result.output, status: result.status, durationMs: Math.round(performance.now() - started), kernel: this.currentKernel }
    } catch (error) {
      if (error instanceof WaitTimeout) {
        const recovered = await this.resync()
        if (!recovered) this.stateValue = 'unknown'
        throw this.error(
          'timeout',
          `Command timed out after ${timeout} ms${recovered ? '' : ' and the shell did not come back after Ctrl-C'}: ${oneLine(command)}`,
        )
      }
      throw this.translate(error, 'no-prompt', `Command failed: ${oneLine(command)}`)
    } finally {
      this.currentKernel = null
      this.stream.keepLineStartKernel = false
    }
  }

  /** Sends `command` framed by fresh markers and returns the text between them and the exit status. */
  private async exchange(
    command: string,
    timeoutMs: number,
    expectPrompt: boolean,
  ): Promise<{ output: string; status: number; before: string; sentMarker: string }> {
    const start = randomMarker()
    const end = randomMarker()
    const text = `echo ${splitQuoted(start)}; {\n${command}\n}; echo ${splitQuoted(end)} $?\n`
    this.checkLines(text)
    const deadline = performance.now() + timeoutMs
    const left = () => Math.max(0, deadline - performance.now())
    this.stream.consume(this.stream.buffer.length)
    await this.send(text)
    const startRe = new RegExp(`${start}\\n`)
    const first = expectPrompt && this.prompt ? await this.waitAny([startRe, this.promptPattern()], left()) : await this.stream.waitFor(startRe, left())
    if (!first[0].startsWith(start)) {
      const output = this.stream.buffer.slice(0, first.index)
      this.stream.consume(first.index + first[0].length)
      return { output, status: 2, before: output, sentMarker: splitQuoted(start) }
    }
    const before = this.stream.buffer.slice(0, first.index)
    const outputFrom = first.index + first[0].length
    const m = await this.stream.waitFor(new RegExp(`${end} (\\d+)\\n`), left(), outputFrom)
    const output = this.stream.buffer.slice(outputFrom, m.index)
    const status = Number(m[1])
    let consumed = m.index + m[0].length
    if (expectPrompt && this.prompt) {
      const p = await this.stream.waitFor(this.promptPattern(), left(), consumed)
      consumed = p.index + p[0].length
    }
    this.stream.consume(consumed)
    return { output, status, before, sentMarker: splitQuoted(start) }
  }

  private async resync(): Promise<boolean> {
    const deadline = performance.now() + this.options.recoverMs
    const left = () => deadline - performance.now()
    for (let attempt = 0; attempt < 3 && left() > 0; attempt++) {
      try {
        await this.send('\x03')
        await this.stream.waitQuiet(Math.min(this.options.quietMs, 200), Math.min(2000, Math.max(0, left())))
        const wait = Math.min(this.options.probeTimeoutMs * (attempt + 1) * 2, left())
        if (wait > 0 && (await this.probe(wait))) return true
      } catch {
        return false
      }
    }
    return false
  }

  private waitAny(patterns: RegExp[], timeoutMs: number): Promise<RegExpExecArray> {
    const combined = new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'))
    return this.stream.waitFor(combined, timeoutMs).then((m) => {
      const which = patterns.find((p) => new RegExp(`^(?:${p.source})$`).test(m[0])) ?? patterns[0]
      const precise = new RegExp(which.source, 'g')
      precise.lastIndex = m.index
      return precise.exec(this.stream.buffer) ?? m
    })
  }

  private async waitPrompt(from: number, timeoutMs: number): Promise<void> {
    const m = await this.stream.waitFor(this.promptPattern(), timeoutMs, from)
    this.stream.consume(m.index + m[0].length)
  }

  private promptPattern(): RegExp {
    return new RegExp(escapeRegExp(this.prompt))
  }

  private checkLines(text: string): void {
    for (const line of text.split('\n')) {
      const bytes = Buffer.byteLength(line, 'utf8')
      if (bytes > this.maxLine) {
        throw this.error('line-too-long', `A command line of ${bytes} bytes exceeds the ${this.maxLine}-byte limit: ${oneLine(line).slice(0, 80)}...`)
      }
    }
  }

  private async send(text: string): Promise<void> {
    const pace = this.options.pace
    try {
      if (!pace || text.length <= pace.chunkBytes) return await this.link.write(text)
      const bytes = Buffer.from(text, 'utf8')
      for (let i = 0; i < bytes.length; i += pace.chunkBytes) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, pace.delayMs))
        await this.link.write(bytes.subarray(i, i + pace.chunkBytes))
      }
    } catch (error) {
      if (error instanceof LinkLostError) {
        this.onLinkClosed(error)
        throw this.error('link-lost', error.message)
      }
      throw error
    }
  }

  private onKernel(line: string): void {
    this.currentKernel?.push(line)
    for (const l of [...this.listeners.kernel]) l(line)
  }

  private readonly attachFaultHooks = new Set<(fault: ConsoleFault) => void>()

  private onFaultDuringAttach(hook: (fault: ConsoleFault) => void): () => void {
    this.attachFaultHooks.add(hook)
    return () => this.attachFaultHooks.delete(hook)
  }

  private onFault(fault: ConsoleFault): void {
    if (fault.kind === 'reboot' && fault.source === 'kernel' && this.currentKernel !== null) return
    for (const hook of [...this.attachFaultHooks]) hook(fault)
    if (fault.kind === 'oops') {
      for (const l of [...this.listeners.oops]) l(fault.line)
      return
    }
    if (fault.kind === 'reboot') for (const l of [...this.listeners.reboot]) l(fault.line)
    if (fault.kind === 'panic') for (const l of [...this.listeners.oops]) l(fault.line)
    if (this.stateValue === 'lost') return
    if (this.held?.running) this.held.fail(new LinkLostError(this.held.link.name, fault.kind === 'reboot' ? `the board rebooted: ${fault.line.trim()}` : `kernel panic: ${fault.line.trim()}`))
    if (this.attachPhase === 'reach' && fault.kind === 'reboot') return
    if (this.attachPhase === 'prepare' && fault.kind === 'reboot') return this.stream.fail(new RebootDuringAttach(fault.line.trim()))
    this.stateValue = 'unknown'
    this.prompt = ''
    const error =
      fault.kind === 'reboot'
        ? this.error('board-rebooted', `The board rebooted: ${fault.line.trim()}`)
        : this.error('kernel-panic', `Kernel panic: ${fault.line.trim()}`)
    this.stream.fail(error)
  }

  private onLinkClosed(error?: LinkLostError): void {
    if (this.stateValue === 'lost') return
    this.stateValue = 'lost'
    this.held?.fail(error ?? new LinkLostError(this.link.name, 'the console link was closed'))
    this.stream.fail(this.error('link-lost', error?.message ?? `The console link ${this.link.name} was closed`))
  }

  private error(code: SessionError['code'], message: string): SessionError {
    return new SessionError(code, message, this.options.contextTail?.() ?? this.stream.buffer.slice(-2000))
  }

  private translate(error: unknown, code: SessionError['code'], message: string): SessionError {
    if (error instanceof SessionError) return error
    if (error instanceof LinkLostError) return this.error('link-lost', error.message)
    if (error instanceof WaitTimeout) return this.error(code, message)
    return this.error(code, `${message}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** True when the console answered a probe with a near miss of `marker` or a shell complaint about mangled input. */
export function looksDamaged(answer: string, marker: string): boolean {
  if (/not found|syntax error|unexpected|unterminated/.test(answer)) return true
  for (const token of answer.match(/[A-Z]{5,14}/g) ?? []) if (token !== marker && commonSubsequence(token, marker) >= marker.length - 3) return true
  return false
}

function commonSubsequence(a: string, b: string): number {
  let prev = new Array<number>(b.length + 1).fill(0)
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0)
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1])
    prev = row
  }
  return prev[b.length]
}

/** The board rebooted while the session was being prepared; attach starts over. */
class RebootDuringAttach extends Error {}

function oneLine(text: string): string {
  const s = text.replace(/\s*\n\s*/g, ' ⏎ ')
  return s.length > 120 ? s.slice(0, 117) + '...' : s
}
