import type { Command } from './ast'

/** Variables, positional parameters, functions and cwd of one shell process. */
export class ShellState {
  vars = new Map<string, string>()
  exported = new Set<string>()
  positional: string[] = []
  arg0 = 'sh'
  functions = new Map<string, Command>()
  status = 0
  lastBackgroundPid = ''
  pid = 1
  cwd = '/'

  /** Copies everything for a subshell (changes do not flow back). */
  fork(): ShellState {
    const s = new ShellState()
    s.vars = new Map(this.vars)
    s.exported = new Set(this.exported)
    s.positional = [...this.positional]
    s.arg0 = this.arg0
    s.functions = new Map(this.functions)
    s.status = this.status
    s.lastBackgroundPid = this.lastBackgroundPid
    s.pid = this.pid
    s.cwd = this.cwd
    return s
  }

  /** Starts a new process's state from exported variables only (scripts, `sh -c`). */
  exec(arg0: string, args: string[]): ShellState {
    const s = new ShellState()
    for (const name of this.exported) {
      const v = this.vars.get(name)
      if (v !== undefined) {
        s.vars.set(name, v)
        s.exported.add(name)
      }
    }
    s.arg0 = arg0
    s.positional = args
    s.cwd = this.cwd
    s.pid = this.pid
    return s
  }

  /** Exported variables as a command's environment. */
  environment(): Map<string, string> {
    const env = new Map<string, string>()
    for (const name of this.exported) {
      const v = this.vars.get(name)
      if (v !== undefined) env.set(name, v)
    }
    return env
  }
}
