import type { BoardConsole } from '../console/console'
import { KilledBySignal } from '../kernel/processes'
import { basenameOf } from '../fs/paths'
import { ExitShell, Interrupted, Shell, type ShellHost } from './executor'
import { IncompleteInput, ShellSyntaxError, parse } from './parser'
import type { List } from './ast'
import { ShellState } from './state'

/** Hooks the board uses to watch the console session. */
export interface SessionHooks {
  /** A prompt (login or shell) is waiting for input. */
  onPrompt?(kind: 'login' | 'shell'): void
  /** A complete command line was entered at the shell (before it runs). */
  onCommandLine?(text: string): void
}

/** Default PS1 of the K230 SDK's /etc/profile. */
export const DEFAULT_PS1 = '[\\u@\\h \\W ]\\# '

/** Expands BusyBox lineedit prompt escapes (\u \h \W \w \# \$ \n \\). */
export function expandPrompt(ps: string, info: { user: string; host: string; cwd: string; home: string }): string {
  const tilde = (p: string): string => (p === info.home ? '~' : p.startsWith(info.home + '/') ? '~' + p.slice(info.home.length) : p)
  return ps.replace(/\\(.)/g, (m, c: string) => {
    switch (c) {
      case 'u':
        return info.user
      case 'h':
        return info.host.split('.')[0]
      case 'H':
        return info.host
      case 'W':
        return info.cwd === info.home ? '~' : basenameOf(info.cwd)
      case 'w':
        return tilde(info.cwd)
      case '#':
      case '$':
        return '#'
      case 'n':
        return '\n'
      case '\\':
        return '\\'
      default:
        return m
    }
  })
}

function endsWithContinuation(text: string): boolean {
  const m = /(\\*)\n$/.exec(text)
  return m !== null && m[1].length % 2 === 1
}

/** The console's login + interactive ash loop (respawned like `console::respawn:-/bin/sh`); trusts power.signal to stop it. */
export class ConsoleSession {
  constructor(
    private readonly host: ShellHost,
    private readonly console: BoardConsole,
    private readonly options: { login: boolean; hostname: () => string },
    private readonly hooks: SessionHooks = {},
  ) {}

  /** Runs until the power signal aborts. */
  async run(power: AbortSignal): Promise<void> {
    while (!power.aborted) {
      if (this.options.login && !(await this.login(power))) return
      if (power.aborted) return
      await this.shell(power)
    }
  }

  private async login(power: AbortSignal): Promise<boolean> {
    for (;;) {
      this.hooks.onPrompt?.('login')
      const user = await this.console.readLine(`${this.options.hostname()} login: `, 'canonical')
      if (power.aborted) return false
      if (user.kind !== 'line' || user.text.trim() === '') continue
      if (user.text.trim() === 'root') return true
      await this.console.readLine('Password: ', 'secret')
      if (power.aborted) return false
      await this.host.services.clock.sleep(2000, power).catch(() => undefined)
      if (power.aborted) return false
      this.console.printRaw('\r\nLogin incorrect\r\n')
    }
  }

  private async shell(power: AbortSignal): Promise<void> {
    const state = new ShellState()
    const defaults: [string, string][] = [
      ['HOME', '/root'],
      ['PATH', '/bin:/sbin:/usr/bin:/usr/sbin'],
      ['SHELL', '/bin/sh'],
      ['USER', 'root'],
      ['LOGNAME', 'root'],
      ['TERM', 'vt102'],
      ['PS1', DEFAULT_PS1],
    ]
    for (const [k, v] of defaults) {
      state.vars.set(k, v)
      state.exported.add(k)
    }
    state.vars.set('PS2', '> ')
    state.vars.set('IFS', ' \t\n')
    state.cwd = '/root'
    state.arg0 = '-sh'
    state.pid = 140
    const shell = new Shell(state, this.host, true)
    for (;;) {
      if (power.aborted) return
      const list = await this.readCommand(shell, power)
      if (list === 'exit') return
      if (list === null) continue
      const controller = new AbortController()
      const onPower = (): void => controller.abort(new KilledBySignal(9))
      power.addEventListener('abort', onPower, { once: true })
      const tty = this.console.beginForeground(() => controller.abort(new KilledBySignal(2)))
      const out = (d: string | Uint8Array): void => this.console.print(d)
      try {
        await shell.runList(list, { stdout: out, stderr: out, stdin: tty.stdin, stdinIsTty: true, stdoutIsTty: true, ttyRaw: tty.setRaw }, controller.signal)
      } catch (error) {
        if (error instanceof Interrupted) state.status = error.status
        else if (error instanceof ExitShell) return
        else {
          this.console.print(`sh: internal error: ${error instanceof Error ? error.message : String(error)}\n`)
          state.status = 2
        }
      } finally {
        power.removeEventListener('abort', onPower)
        this.console.endForeground()
      }
    }
  }

  private prompt(shell: Shell, name: 'PS1' | 'PS2'): string {
    const raw = shell.lookup(name) ?? (name === 'PS1' ? DEFAULT_PS1 : '> ')
    return expandPrompt(raw, { user: 'root', host: this.options.hostname(), cwd: shell.state.cwd, home: shell.lookup('HOME') ?? '/root' })
  }

  private async readCommand(shell: Shell, power: AbortSignal): Promise<List | null | 'exit'> {
    let text = ''
    let name: 'PS1' | 'PS2' = 'PS1'
    for (;;) {
      if (name === 'PS1') {
        for (const line of shell.jobLines(true)) this.console.print(line)
        this.hooks.onPrompt?.('shell')
      }
      const r = await this.console.readLine(this.prompt(shell, name))
      if (power.aborted) return 'exit'
      if (r.kind === 'interrupt') {
        shell.state.status = 130
        return null
      }
      if (r.kind === 'eof') return text === '' ? 'exit' : null
      text += r.text + '\n'
      if (endsWithContinuation(text)) {
        name = 'PS2'
        continue
      }
      try {
        const list = parse(text, { interactive: true })
        if (list.length > 0) this.hooks.onCommandLine?.(text)
        return list
      } catch (error) {
        if (error instanceof IncompleteInput) {
          name = 'PS2'
          continue
        }
        if (error instanceof ShellSyntaxError) {
          this.console.print(`sh: ${error.message}\n`)
          shell.state.status = 2
          return null
        }
        throw error
      }
    }
  }
}
