import { ExitShell, LoopControl, ReturnControl, type BuiltinShell as Shell, type Io } from './control'
import { resolvePath } from '../fs/paths'

type Builtin = (sh: Shell, argv: string[], io: Io, signal: AbortSignal) => Promise<number> | number

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/
const decoder = new TextDecoder()

function number(sh: Shell, io: Io, cmd: string, text: string | undefined, fallback: number): number | null {
  if (text === undefined) return fallback
  if (!/^-?\d+$/.test(text)) {
    io.stderr(`sh: ${cmd}: Illegal number: ${text}\n`)
    return null
  }
  return Number(text)
}

async function readLine(io: Io, signal: AbortSignal): Promise<string | null> {
  let line = ''
  for (;;) {
    const chunk = await io.stdin.read(signal)
    if (chunk === null) return line === '' ? null : line
    const text = decoder.decode(chunk)
    const nl = text.search(io.stdinIsTty ? /[\r\n]/ : /\n/)
    if (nl < 0) {
      line += text
      if (io.stdinIsTty) io.stdout(text)
      continue
    }
    line += text.slice(0, nl)
    const rest = chunk.subarray(new TextEncoder().encode(text.slice(0, nl + 1)).length)
    io.stdin.unread(rest)
    return line
  }
}

const table: Record<string, Builtin> = {
  ':'() {
    return 0
  },
  cd(sh, argv, io) {
    const home = sh.lookup('HOME') ?? '/'
    const arg = argv[1] === undefined ? home : argv[1] === '-' ? (sh.lookup('OLDPWD') ?? sh.state.cwd) : argv[1]
    const path = resolvePath(sh.state.cwd, arg)
    if (!sh.host.fs.isDir(path)) {
      const reason = sh.host.fs.exists(path) ? 'Not a directory' : 'No such file or directory'
      io.stderr(`sh: cd: can't cd to ${arg}: ${reason}\n`)
      return 2
    }
    sh.state.vars.set('OLDPWD', sh.state.cwd)
    sh.state.cwd = path
    sh.state.vars.set('PWD', path)
    return 0
  },
  pwd(sh, _argv, io) {
    io.stdout(sh.state.cwd + '\n')
    return 0
  },
  export(sh, argv, io) {
    if (argv.length === 1 || argv[1] === '-p') {
      for (const name of [...sh.state.exported].sort()) {
        const v = sh.state.vars.get(name)
        io.stdout(v === undefined ? `export ${name}\n` : `export ${name}='${v.replace(/'/g, `'"'"'`)}'\n`)
      }
      return 0
    }
    for (const arg of argv.slice(1)) {
      const eq = arg.indexOf('=')
      const name = eq < 0 ? arg : arg.slice(0, eq)
      if (!NAME_RE.test(name)) {
        io.stderr(`sh: export: bad variable name '${arg}'\n`)
        return 2
      }
      if (eq >= 0) sh.state.vars.set(name, arg.slice(eq + 1))
      sh.state.exported.add(name)
    }
    return 0
  },
  unset(sh, argv) {
    for (const name of argv.slice(1).filter((a) => !a.startsWith('-'))) {
      if (argv.includes('-f')) sh.state.functions.delete(name)
      else {
        sh.state.vars.delete(name)
        sh.state.exported.delete(name)
      }
    }
    return 0
  },
  exit(sh, argv, io) {
    const n = number(sh, io, 'exit', argv[1], sh.state.status)
    throw new ExitShell(n === null ? 2 : n & 255)
  },
  return(sh, argv, io) {
    const n = number(sh, io, 'return', argv[1], sh.state.status)
    throw new ReturnControl(n === null ? 2 : n & 255)
  },
  break(sh, argv, io) {
    const n = number(sh, io, 'break', argv[1], 1)
    throw new LoopControl('break', n ?? 1)
  },
  continue(sh, argv, io) {
    const n = number(sh, io, 'continue', argv[1], 1)
    throw new LoopControl('continue', n ?? 1)
  },
  set(sh, argv, io) {
    if (argv.length === 1) {
      for (const [k, v] of [...sh.state.vars].sort(([a], [b]) => a.localeCompare(b))) io.stdout(`${k}='${v}'\n`)
      return 0
    }
    const dd = argv.indexOf('--')
    if (dd >= 0) sh.state.positional = argv.slice(dd + 1)
    else if (!argv[1].startsWith('-') && !argv[1].startsWith('+')) sh.state.positional = argv.slice(1)
    return 0
  },
  shift(sh, argv, io) {
    const n = number(sh, io, 'shift', argv[1], 1)
    if (n === null) return 2
    if (n > sh.state.positional.length) {
      io.stderr(`sh: shift: can't shift that many\n`)
      return 2
    }
    sh.state.positional = sh.state.positional.slice(n)
    return 0
  },
  local(sh, argv) {
    for (const arg of argv.slice(1)) {
      const eq = arg.indexOf('=')
      if (eq >= 0) sh.state.vars.set(arg.slice(0, eq), arg.slice(eq + 1))
    }
    return 0
  },
  async read(sh, argv, io, signal) {
    const names = argv.slice(1).filter((a) => !a.startsWith('-'))
    const line = await readLine(io, signal)
    if (line === null) return 1
    const fields = line.trim().split(/[ \t]+/)
    const vars = names.length ? names : ['REPLY']
    vars.forEach((name, i) => sh.state.vars.set(name, i === vars.length - 1 ? fields.slice(i).join(' ') : (fields[i] ?? '')))
    return 0
  },
  eval(sh, argv, io, signal) {
    return sh.runSource(argv.slice(1).join(' '), io, signal)
  },
  async '.'(sh, argv, io, signal) {
    if (argv.length < 2) {
      io.stderr('sh: .: filename argument required\n')
      return 2
    }
    const path = argv[1].includes('/') ? resolvePath(sh.state.cwd, argv[1]) : (sh.findInPath(argv[1]) ?? resolvePath(sh.state.cwd, argv[1]))
    if (!sh.host.fs.exists(path) || sh.host.fs.isDir(path)) {
      io.stderr(`sh: .: can't open '${argv[1]}': No such file or directory\n`)
      return 2
    }
    try {
      return await sh.runSource(sh.host.fs.readText(path), io, signal)
    } catch (error) {
      if (error instanceof ReturnControl) return error.status
      throw error
    }
  },
  wait(sh, _argv, _io, signal) {
    return sh.waitJobs(signal)
  },
  trap() {
    return 0
  },
  hash() {
    return 0
  },
  jobs(sh, _argv, io) {
    for (const line of sh.jobLines(false)) io.stdout(line)
    return 0
  },
  umask(_sh, argv, io) {
    if (argv.length === 1) io.stdout('0022\n')
    return 0
  },
  type(sh, argv, io) {
    let status = 0
    for (const name of argv.slice(1)) {
      if (BUILTINS.has(name)) io.stdout(`${name} is a shell builtin\n`)
      else if (sh.state.functions.has(name)) io.stdout(`${name} is a function\n`)
      else {
        const path = sh.findInPath(name)
        if (path) io.stdout(`${name} is ${path}\n`)
        else {
          io.stdout(`${name}: not found\n`)
          status = 127
        }
      }
    }
    return status
  },
  command(sh, argv, io, signal) {
    if (argv[1] === '-v' || argv[1] === '-V') {
      let status = 0
      for (const name of argv.slice(2)) {
        const found = BUILTINS.has(name) ? name : sh.findInPath(name)
        if (found) io.stdout(found + '\n')
        else status = 127
      }
      return status
    }
    return argv.length > 1 ? sh.execute(argv.slice(1), [], io, signal) : 0
  },
  async exec(sh, argv, io, signal) {
    if (argv.length === 1) return 0
    throw new ExitShell(await sh.execute(argv.slice(1), [], io, signal))
  },
}

table.source = table['.']

/** Names the shell runs itself (ash builtins that are not applets). */
export const BUILTINS = new Set(Object.keys(table))

/** Runs a shell builtin; trusts `argv[0]` to be in BUILTINS. */
export async function runBuiltin(sh: Shell, argv: string[], io: Io, signal: AbortSignal): Promise<number> {
  return table[argv[0]](sh, argv, io, signal)
}
