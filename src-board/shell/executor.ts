import type { CommandContext } from '../types'
import type { AndOr, Command, List, Pipeline, Redir } from './ast'
import { ArithError } from './arith'
import { ExpansionError, casePatternMatches, expandPattern, expandWord, expandWords, type ExpandEnv } from './expand'
import { IncompleteInput, ShellSyntaxError, parse, parseHeredocBody } from './parser'
import { ByteStream, streamOf, type Sink } from './streams'
import { ShellState } from './state'
import { KilledBySignal } from '../kernel/processes'
import { BoardFsError } from '../fs/errors'
import { resolvePath } from '../fs/paths'
import { runBuiltin, BUILTINS } from './builtins'
import { ExitShell, Interrupted, LoopControl, ReturnControl, type BuiltinShell, type Io, type ShellHost } from './control'

export { ExitShell, Interrupted, LoopControl, ReturnControl, type Io, type ShellHost } from './control'

/** Commands ash runs as builtins before searching PATH. */
const SHELL_APPLETS = new Set(['echo', 'printf', 'test', '[', 'true', 'false', 'kill'])
/** Applets that put the console in raw mode themselves while they run (ctx.ttyRaw), as their real counterparts do. */
const RAW_TTY_APPLETS = new Set(['microcom'])

const NULL_SINK: Sink = () => undefined

/** Signal status of an abort reason (130 for Ctrl-C). */
export function statusOfAbort(reason: unknown): number {
  return reason instanceof KilledBySignal ? 128 + reason.signalNumber : 130
}

/** A POSIX-ish sh interpreter with BusyBox ash's messages and exit codes; trusts the host's fs and registry. */
export class Shell implements BuiltinShell {
  private substituteStatus = 0
  private readonly jobs: Job[] = []

  constructor(
    readonly state: ShellState,
    readonly host: ShellHost,
    readonly interactive: boolean,
  ) {}

  /** Parses and runs source text; syntax errors print `sh: ...` and give status 2. */
  async runSource(src: string, io: Io, signal: AbortSignal): Promise<number> {
    let list: List
    try {
      list = parse(src, { interactive: false })
    } catch (error) {
      if (error instanceof ShellSyntaxError || error instanceof IncompleteInput) {
        io.stderr(`sh: ${error.message}\n`)
        this.state.status = 2
        return 2
      }
      throw error
    }
    return this.runList(list, io, signal)
  }

  /** Runs a parsed list, returning the last status; control exceptions propagate. */
  async runList(list: List, io: Io, signal: AbortSignal): Promise<number> {
    let status = this.state.status
    for (const item of list) {
      this.checkAbort(signal)
      status = item.background ? this.background(item, io) : await this.runAndOr(item, io, signal)
      this.state.status = status
    }
    return status
  }

  private checkAbort(signal: AbortSignal): void {
    if (signal.aborted) throw new Interrupted(statusOfAbort(signal.reason))
  }

  private background(item: AndOr, io: Io): number {
    const child = new Shell(this.state.fork(), this.host, false)
    const name = firstWordName(item.first)
    const proc = this.host.processes.spawn(
      name,
      async (sig) => {
        try {
          return await child.runAndOr(item, { ...io, stdin: streamOf(''), stdinIsTty: false }, sig)
        } catch (error) {
          if (error instanceof ExitShell || error instanceof Interrupted) return error.status
          throw error
        }
      },
      item.text,
    )
    let id = 1
    while (this.jobs.some((j) => j.id === id)) id++
    const job: Job = { id, text: item.text.replace(/\s*&$/, ''), done: proc.done, status: null }
    void proc.done.then((status) => (job.status = status))
    this.jobs.push(job)
    this.state.lastBackgroundPid = String(proc.pid)
    return 0
  }

  /** Waits for this shell's background jobs. */
  async waitJobs(signal: AbortSignal): Promise<number> {
    let status = 0
    for (const job of [...this.jobs]) status = await raceAbort(job.done, signal)
    if (!this.interactive) this.jobs.splice(0)
    return status
  }

  /** Job table lines as ash prints them (`[1]+  Running   cmd`); finished jobs are reported once and forgotten. */
  jobLines(onlyFinished: boolean): string[] {
    const lines: string[] = []
    const current = this.jobs[this.jobs.length - 1]
    const previous = this.jobs[this.jobs.length - 2]
    for (const job of [...this.jobs]) {
      if (onlyFinished && job.status === null) continue
      const mark = job === current ? '+' : job === previous ? '-' : ' '
      lines.push(`[${job.id}]${mark}  ${jobState(job.status).padEnd(27)}${job.text}\n`)
    }
    for (let i = this.jobs.length - 1; i >= 0; i--) if (this.jobs[i].status !== null) this.jobs.splice(i, 1)
    return lines
  }

  async runAndOr(item: AndOr, io: Io, signal: AbortSignal): Promise<number> {
    let status = await this.runPipeline(item.first, io, signal)
    for (const { op, pipeline } of item.rest) {
      this.state.status = status
      if ((op === '&&') !== (status === 0)) continue
      status = await this.runPipeline(pipeline, io, signal)
    }
    return status
  }

  private async runPipeline(p: Pipeline, io: Io, signal: AbortSignal): Promise<number> {
    let status: number
    if (p.cmds.length === 1) status = await this.runCommand(p.cmds[0], io, signal)
    else {
      const pipes = p.cmds.slice(1).map(() => new ByteStream())
      const runs = p.cmds.map(async (cmd, i) => {
        const sub = new Shell(this.state.fork(), this.host, false)
        const stdin = i === 0 ? io.stdin : pipes[i - 1]
        const last = i === p.cmds.length - 1
        const stdout: Sink = last ? io.stdout : (d) => pipes[i].push(d)
        try {
          return await sub.runCommand(cmd, { stdout, stderr: io.stderr, stdin, stdinIsTty: i === 0 && io.stdinIsTty, stdoutIsTty: last && io.stdoutIsTty, ttyRaw: io.ttyRaw }, signal)
        } catch (error) {
          if (error instanceof ExitShell) return error.status
          throw error
        } finally {
          if (i < pipes.length) pipes[i].end()
        }
      })
      const statuses = await Promise.all(runs)
      status = statuses[statuses.length - 1]
    }
    this.checkAbort(signal)
    return p.bang ? (status === 0 ? 1 : 0) : status
  }

  private expandEnv(): ExpandEnv {
    return {
      lookup: (name) => this.lookup(name),
      positional: () => this.state.positional,
      assign: (name, value) => this.state.vars.set(name, value),
      substitute: (src) => this.substitute(src),
      fs: this.host.fs,
      cwd: this.state.cwd,
    }
  }

  /** Value of a variable or special parameter. */
  lookup(name: string): string | undefined {
    const s = this.state
    switch (name) {
      case '?':
        return String(s.status)
      case '#':
        return String(s.positional.length)
      case '@':
      case '*':
        return s.positional.join(' ')
      case '$':
        return String(s.pid)
      case '!':
        return s.lastBackgroundPid
      case '-':
        return this.interactive ? 'i' : ''
      case '0':
        return s.arg0
      case 'PWD':
        return s.vars.get('PWD') ?? s.cwd
    }
    if (/^[0-9]+$/.test(name)) return s.positional[Number(name) - 1]
    return s.vars.get(name)
  }

  private async substitute(src: string): Promise<string> {
    const sub = new Shell(this.state.fork(), this.host, false)
    let out = ''
    const decoder = new TextDecoder()
    const collect: Sink = (d) => {
      out += typeof d === 'string' ? d : decoder.decode(d)
    }
    const stderr = this.currentStderr ?? NULL_SINK
    try {
      this.substituteStatus = await sub.runSource(src, { stdout: collect, stderr, stdin: streamOf(''), stdinIsTty: false }, this.currentSignal ?? new AbortController().signal)
    } catch (error) {
      if (error instanceof ExitShell) this.substituteStatus = error.status
      else throw error
    }
    return out
  }

  private currentStderr: Sink | null = null
  private currentSignal: AbortSignal | null = null

  /** Runs one command node. */
  async runCommand(cmd: Command, io: Io, signal: AbortSignal): Promise<number> {
    this.currentStderr = io.stderr
    this.currentSignal = signal
    try {
      switch (cmd.t) {
        case 'simple':
          return await this.simple(cmd, io, signal)
        case 'func':
          this.state.functions.set(cmd.name, cmd.body)
          return 0
        default:
          return await this.withRedirs(cmd.redirs, io, (rio) => this.compound(cmd, rio, signal))
      }
    } catch (error) {
      if (error instanceof ExpansionError || error instanceof ArithError) {
        io.stderr(`sh: ${error.message}\n`)
        return error instanceof ArithError ? 2 : 1
      }
      if (error instanceof ShellSyntaxError) {
        io.stderr(`sh: ${error.message}\n`)
        return 2
      }
      throw error
    }
  }

  private async compound(cmd: Exclude<Command, { t: 'simple' } | { t: 'func' }>, io: Io, signal: AbortSignal): Promise<number> {
    switch (cmd.t) {
      case 'if': {
        for (const clause of cmd.clauses) {
          if ((await this.runList(clause.cond, io, signal)) === 0) return this.runList(clause.body, io, signal)
        }
        return cmd.otherwise ? this.runList(cmd.otherwise, io, signal) : 0
      }
      case 'loop': {
        let status = 0
        for (;;) {
          this.checkAbort(signal)
          const c = await this.runList(cmd.cond, io, signal)
          if ((c === 0) === cmd.until) break
          try {
            status = await this.runList(cmd.body, io, signal)
          } catch (error) {
            if (!(error instanceof LoopControl)) throw error
            if (error.levels > 1) {
              error.levels--
              throw error
            }
            if (error.kind === 'break') break
          }
          await new Promise<void>((r) => setImmediate(r))
        }
        return status
      }
      case 'for': {
        const items = cmd.items ? await expandWords(cmd.items, this.expandEnv()) : this.state.positional
        let status = 0
        for (const item of items) {
          this.checkAbort(signal)
          this.state.vars.set(cmd.name, item)
          try {
            status = await this.runList(cmd.body, io, signal)
          } catch (error) {
            if (!(error instanceof LoopControl)) throw error
            if (error.levels > 1) {
              error.levels--
              throw error
            }
            if (error.kind === 'break') break
          }
        }
        return status
      }
      case 'case': {
        const env = this.expandEnv()
        const word = await expandWord(cmd.word, env)
        for (const item of cmd.items) {
          for (const pattern of item.patterns) {
            if (casePatternMatches(word, await expandPattern(pattern, env))) return this.runList(item.body, io, signal)
          }
        }
        return 0
      }
      case 'group':
        return this.runList(cmd.body, io, signal)
      case 'subshell': {
        const sub = new Shell(this.state.fork(), this.host, false)
        try {
          return await sub.runList(cmd.body, io, signal)
        } catch (error) {
          if (error instanceof ExitShell) return error.status
          throw error
        }
      }
    }
  }

  private async simple(cmd: Extract<Command, { t: 'simple' }>, io: Io, signal: AbortSignal): Promise<number> {
    const env = this.expandEnv()
    this.substituteStatus = 0
    const argv = await expandWords(cmd.words, env)
    const assigns: [string, string][] = []
    for (const a of cmd.assigns) assigns.push([a.name, await expandWord(a.value, env)])
    if (argv.length === 0) {
      for (const [name, value] of assigns) this.state.vars.set(name, value)
      const status = this.substituteStatus
      return this.withRedirs(cmd.redirs, io, async () => status)
    }
    return this.withRedirs(cmd.redirs, io, (rio) => this.execute(argv, assigns, rio, signal))
  }

  private async withRedirs(redirs: Redir[], io: Io, run: (io: Io) => Promise<number>): Promise<number> {
    if (redirs.length === 0) return run(io)
    const cleanups: (() => void)[] = []
    const rio: Io = { ...io }
    try {
      for (const r of redirs) {
        const ok = await this.applyRedir(r, rio, io, cleanups)
        if (!ok) return 1
      }
      return await run(rio)
    } finally {
      for (const c of cleanups.reverse()) c()
    }
  }

  private async applyRedir(r: Redir, rio: Io, _outer: Io, cleanups: (() => void)[]): Promise<boolean> {
    const env = this.expandEnv()
    if (r.heredoc) {
      const body = r.heredoc.expand ? await expandWord(parseHeredocBody(r.heredoc.body), env) : r.heredoc.body
      if (r.fd === 0) {
        rio.stdin = streamOf(body)
        rio.stdinIsTty = false
      }
      return true
    }
    const target = await expandWord(r.target, env)
    const fs = this.host.fs
    if (r.op === '>&' || r.op === '<&') {
      let sink: Sink | null = null
      if (target === '1') sink = rio.stdout
      else if (target === '2') sink = rio.stderr
      else if (target === '-') sink = NULL_SINK
      if (r.op === '<&') return true
      if (!sink) {
        rio.stderr(`sh: ${target}: bad file descriptor\n`)
        return false
      }
      this.setFd(rio, r.fd, sink)
      return true
    }
    const path = resolvePath(this.state.cwd, target)
    if (r.op === '<' || r.op === '<>') {
      try {
        if (path === '/dev/null') rio.stdin = streamOf('')
        else if (fs.isDevice(path)) {
          const handle = fs.openDevice(path)
          const stream = new ByteStream()
          const off = handle.onData((c) => stream.push(c))
          cleanups.push(() => {
            off()
            handle.close()
            stream.end()
          })
          rio.stdin = stream
        } else rio.stdin = streamOf(fs.readFile(path))
        rio.stdinIsTty = false
        return true
      } catch (error) {
        rio.stderr(`sh: can't open ${target}: ${openReason(error)}\n`)
        return false
      }
    }
    try {
      let sink: Sink
      if (path === '/dev/null') sink = NULL_SINK
      else if (fs.isDevice(path)) {
        const handle = fs.openDevice(path)
        sink = (d) => handle.write(d)
        cleanups.push(() => handle.close())
      } else {
        if (r.op !== '>>' || !fs.exists(path)) fs.writeFile(path, '')
        else fs.writeFile(path, '', { append: true })
        sink = (d) => {
          try {
            fs.writeFile(path, d, { append: true })
          } catch {
            /* the file vanished or became read-only: output is lost, as with a dead fd */
          }
        }
      }
      this.setFd(rio, r.fd, sink)
      return true
    } catch (error) {
      rio.stderr(`sh: can't create ${target}: ${createReason(error)}\n`)
      return false
    }
  }

  private setFd(rio: Io, fd: number, sink: Sink): void {
    if (fd === 1) {
      rio.stdout = sink
      rio.stdoutIsTty = false
    } else if (fd === 2) rio.stderr = sink
  }

  /** Runs argv as a builtin, function, applet or file; `assigns` are prefix assignments. */
  async execute(argv: string[], assigns: [string, string][], io: Io, signal: AbortSignal): Promise<number> {
    const name = argv[0]
    if (BUILTINS.has(name)) {
      for (const [n, v] of assigns) this.state.vars.set(n, v)
      return runBuiltin(this, argv, io, signal)
    }
    const fn = this.state.functions.get(name)
    if (fn) {
      const saved = this.state.positional
      this.state.positional = argv.slice(1)
      try {
        return await this.runCommand(fn, io, signal)
      } catch (error) {
        if (error instanceof ReturnControl) return error.status
        throw error
      } finally {
        this.state.positional = saved
      }
    }
    if (!name.includes('/') && SHELL_APPLETS.has(name) && this.host.commands.has(name)) return this.runApplet(name, argv, assigns, io, signal)
    const path = name.includes('/') ? resolvePath(this.state.cwd, name) : this.findInPath(name)
    if (path === null) {
      io.stderr(`sh: ${name}: not found\n`)
      return 127
    }
    return this.executePath(path, argv, assigns, io, signal)
  }

  /** Searches PATH for an executable name; null when not found. */
  findInPath(name: string): string | null {
    const dirs = (this.lookup('PATH') ?? '/bin:/sbin:/usr/bin:/usr/sbin').split(':')
    for (const dir of dirs) {
      const candidate = resolvePath(this.state.cwd, `${dir || '.'}/${name}`)
      if (this.host.fs.exists(candidate) && !this.host.fs.isDir(candidate)) return candidate
    }
    return null
  }

  private async executePath(path: string, argv: string[], assigns: [string, string][], io: Io, signal: AbortSignal): Promise<number> {
    const fs = this.host.fs
    const name = argv[0]
    if (!fs.exists(path)) {
      io.stderr(`sh: ${name}: not found\n`)
      return 127
    }
    const applet = this.host.commands.nameAt(path)
    if (applet) return this.runApplet(applet, argv, assigns, io, signal)
    const st = fs.stat(path)
    if (st.isDir || (st.mode & 0o111) === 0) {
      io.stderr(`sh: ${name}: Permission denied\n`)
      return 126
    }
    const text = fs.readText(path)
    const shebang = /^#!\s*(\S+)(?:\s+(.*))?/.exec(text.split('\n', 1)[0])
    if (shebang && !/\/(ba|a|da)?sh$/.test(shebang[1])) {
      const interp = this.host.commands.nameAt(shebang[1])
      if (!interp) {
        io.stderr(`sh: ${name}: not found\n`)
        return 127
      }
      const extra = shebang[2] ? [shebang[2]] : []
      return this.runApplet(interp, [shebang[1], ...extra, path, ...argv.slice(1)], assigns, io, signal)
    }
    return this.runScript(text, path, argv.slice(1), assigns, io, signal)
  }

  /** Runs script text as a new sh process with its own positional parameters. */
  async runScript(text: string, arg0: string, args: string[], assigns: [string, string][], io: Io, signal: AbortSignal): Promise<number> {
    const state = this.state.exec(arg0, args)
    for (const [n, v] of assigns) {
      state.vars.set(n, v)
      state.exported.add(n)
    }
    const child = new Shell(state, this.host, false)
    try {
      const status = await child.runSource(text, io, signal)
      return status
    } catch (error) {
      if (error instanceof ExitShell || error instanceof ReturnControl) return error.status
      throw error
    }
  }

  private async runApplet(name: string, argv: string[], assigns: [string, string][], io: Io, signal: AbortSignal): Promise<number> {
    const impl = this.host.commands.get(name)
    if (!impl) {
      io.stderr(`sh: ${argv[0]}: not found\n`)
      return 127
    }
    const env = this.state.environment()
    for (const [n, v] of assigns) env.set(n, v)
    const controller = new AbortController()
    const forward = (): void => controller.abort(signal.reason)
    if (signal.aborted) forward()
    else signal.addEventListener('abort', forward, { once: true })
    const raw = io.stdinIsTty && RAW_TTY_APPLETS.has(name) ? io.ttyRaw : undefined
    const ctx: CommandContext & { shell: Shell; stdoutIsTty: boolean } = {
      argv,
      env,
      cwd: this.state.cwd,
      stdout: io.stdout,
      stderr: io.stderr,
      stdin: io.stdin,
      stdinIsTty: io.stdinIsTty,
      ttyRaw: raw,
      signal: controller.signal,
      board: this.host.services,
      shell: this,
      stdoutIsTty: io.stdoutIsTty ?? false,
    }
    try {
      return await raceAbort(impl(ctx), controller.signal)
    } catch (error) {
      if (controller.signal.aborted) return statusOfAbort(controller.signal.reason)
      if (error instanceof ExitShell) throw error
      io.stderr(`${name}: ${error instanceof BoardFsError || error instanceof Error ? error.message : String(error)}\n`)
      return 1
    } finally {
      raw?.(false, false)
      signal.removeEventListener('abort', forward)
    }
  }
}

interface Job {
  id: number
  text: string
  done: Promise<number>
  status: number | null
}

function jobState(status: number | null): string {
  if (status === null) return 'Running'
  if (status === 0) return 'Done'
  const names: Record<number, string> = { 129: 'Hangup', 130: 'Interrupt', 137: 'Killed', 143: 'Terminated' }
  return names[status] ?? `Exit ${status}`
}

/** Resolves with the promise, or with the abort status as soon as the signal fires. */
async function raceAbort(promise: Promise<number>, signal: AbortSignal): Promise<number> {
  if (signal.aborted) return statusOfAbort(signal.reason)
  let off = (): void => undefined
  const aborted = new Promise<number>((resolve) => {
    const onAbort = (): void => resolve(statusOfAbort(signal.reason))
    signal.addEventListener('abort', onAbort, { once: true })
    off = () => signal.removeEventListener('abort', onAbort)
  })
  try {
    return await Promise.race([promise, aborted])
  } finally {
    off()
  }
}

function firstWordName(p: Pipeline): string {
  const cmd = p.cmds[0]
  if (cmd.t !== 'simple' || cmd.words.length === 0) return 'sh'
  const first = cmd.words[0].map((part) => (part.t === 'lit' ? part.v : '')).join('')
  return first.slice(first.lastIndexOf('/') + 1) || 'sh'
}

function openReason(error: unknown): string {
  if (error instanceof BoardFsError && error.code === 'ENOENT') return 'no such file'
  return error instanceof Error ? error.message : String(error)
}

function createReason(error: unknown): string {
  if (error instanceof BoardFsError && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return 'nonexistent directory'
  return error instanceof Error ? error.message : String(error)
}
