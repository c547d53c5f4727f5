import type { CommandImpl } from '../../types'
import { basenameOf, dirnameOf } from '../../fs/paths'
import { BoardFsError } from '../../fs/errors'
import { abs, parseOptions, type CoreContext, type CoreDeps } from './deps'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Formats a time as `ls -l` does (`Jan  1 00:03`, or the year when older than six months). */
export function lsTime(seconds: number, now: number): string {
  const d = new Date(seconds * 1000)
  const month = MONTHS[d.getUTCMonth()]
  const day = String(d.getUTCDate()).padStart(2, ' ')
  const recent = Math.abs(now - seconds) < 182 * 24 * 3600
  const tail = recent ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` : ` ${d.getUTCFullYear()}`
  return `${month} ${day} ${tail}`
}

function modeString(mode: number, isDir: boolean, isDevice: boolean): string {
  const type = isDir ? 'd' : isDevice ? 'c' : '-'
  let s = ''
  for (const shift of [6, 3, 0]) {
    const bits = (mode >> shift) & 7
    s += (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (bits & 1 ? 'x' : '-')
  }
  return type + s
}

/** Lays names out in columns like BusyBox ls on a terminal of `width` columns (column-major, 2-space gap). */
export function columnize(names: string[], width: number): string {
  if (names.length === 0) return ''
  const columnWidth = Math.max(...names.map((n) => n.length)) + 2
  let ncols = Math.floor(width / columnWidth)
  let nrows = names.length
  if (ncols > 1) {
    nrows = Math.ceil(names.length / ncols)
  } else ncols = 1
  let out = ''
  for (let row = 0; row < nrows; row++) {
    let line = ''
    let column = 0
    for (let nc = 0; nc < ncols; nc++) {
      const i = nc * nrows + row
      if (i >= names.length) continue
      if (column > 0) {
        line += ' '.repeat(nc * columnWidth - column)
        column = nc * columnWidth
      }
      line += names[i]
      column += names[i].length
    }
    out += line + '\n'
  }
  return out
}

function parseMode(spec: string, current: number): number | null {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8)
  let mode = current
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause)
    if (!m) return null
    const who = m[1] === '' || m[1].includes('a') ? 'ugo' : m[1]
    let bits = 0
    for (const p of m[3]) {
      const v = p === 'r' ? 4 : p === 'w' ? 2 : p === 'x' || p === 'X' ? 1 : 0
      for (const w of who) bits |= v << (w === 'u' ? 6 : w === 'g' ? 3 : 0)
    }
    if (m[2] === '+') mode |= bits
    else if (m[2] === '-') mode &= ~bits
    else {
      let mask = 0
      for (const w of who) mask |= 7 << (w === 'u' ? 6 : w === 'g' ? 3 : 0)
      mode = (mode & ~mask) | bits
    }
  }
  return mode
}

/** Builds the file applets (ls, chmod, mv, cp, rm, rmdir, mkdir, touch, which, basename, dirname). */
export function fileCommands(deps: CoreDeps): Record<string, CommandImpl> {
  const fs = deps.fs
  return {
    async ls(c) {
      const ctx = c as CoreContext
      const { flags, operands } = parseOptions(ctx.argv.slice(1))
      const long = flags.has('l')
      const all = flags.has('a') || flags.has('A')
      const one = flags.has('1') || !ctx.stdoutIsTty
      const width = deps.tty.cols || 80
      const targets = operands.length ? operands : ['.']
      let status = 0
      const files: string[] = []
      const dirs: string[] = []
      for (const t of targets) {
        const p = abs(ctx, t)
        if (!fs.exists(p)) {
          ctx.stderr(`ls: ${t}: No such file or directory\n`)
          status = 1
        } else if (fs.isDir(p) && !flags.has('d')) dirs.push(t)
        else files.push(t)
      }
      const longLine = (name: string, path: string): string => {
        const st = fs.stat(path)
        const size = st.isDevice ? deviceNumbers(path) : String(st.isDir && !/^\/(proc|sys|dev|tmp|run)(\/|$)/.test(path) ? 4096 : st.size).padStart(9)
        return `${modeString(st.mode, st.isDir, st.isDevice)} ${String(st.isDir ? 2 : 1).padStart(4)} root     root     ${size} ${lsTime(st.mtime, deps.wallClock())} ${name}\n`
      }
      const show = (names: string[], dir: string | null): string => {
        if (long) return names.map((n) => longLine(n, abs(ctx, dir === null ? n : `${dir}/${n}`))).join('')
        return one ? names.map((n) => n + '\n').join('') : columnize(names, width)
      }
      let out = show(files, null)
      for (const [i, d] of dirs.entries()) {
        const names = fs.readdir(abs(ctx, d)).filter((n) => all || !n.startsWith('.'))
        if (targets.length > 1) out += `${out || i > 0 ? '\n' : ''}${d}:\n`
        if (long) out += `total ${names.length * 4}\n`
        out += show(names, d)
      }
      ctx.stdout(out)
      return status
    },
    async chmod(ctx) {
      const args = ctx.argv.slice(1).filter((a) => a !== '-R')
      const [spec, ...names] = args
      if (!spec || names.length === 0) {
        ctx.stderr('chmod: usage: chmod [-R] MODE[,MODE]... FILE...\n')
        return 1
      }
      let status = 0
      for (const name of names) {
        const p = abs(ctx, name)
        try {
          const mode = parseMode(spec, fs.exists(p) ? fs.stat(p).mode : 0)
          if (mode === null) {
            ctx.stderr(`chmod: invalid mode '${spec}'\n`)
            return 1
          }
          fs.chmod(p, mode)
        } catch (error) {
          ctx.stderr(`chmod: ${name}: ${(error as Error).message}\n`)
          status = 1
        }
      }
      return status
    },
    async mv(ctx) {
      const { operands } = parseOptions(ctx.argv.slice(1))
      if (operands.length < 2) {
        ctx.stderr('mv: usage: mv SOURCE DEST\n')
        return 1
      }
      const dest = operands.pop() as string
      let status = 0
      for (const src of operands) {
        try {
          const from = abs(ctx, src)
          let to = abs(ctx, dest)
          if (fs.isDir(to)) to = `${to === '/' ? '' : to}/${basenameOf(from)}`
          if (!fs.exists(from)) throw Object.assign(new Error('No such file or directory'), { code: 'ENOENT' })
          if (fs.isDevice(from) || !isRegularNode(fs, from)) {
            fs.writeFile(to, fs.readFile(from))
          } else fs.rename(from, to)
        } catch (error) {
          ctx.stderr(`mv: can't rename '${src}': ${(error as Error).message}\n`)
          status = 1
        }
      }
      return status
    },
    async cp(ctx) {
      const { flags, operands } = parseOptions(ctx.argv.slice(1))
      if (operands.length < 2) {
        ctx.stderr('cp: usage: cp SOURCE DEST\n')
        return 1
      }
      const dest = operands.pop() as string
      let status = 0
      const copy = (from: string, to: string): void => {
        if (fs.isDir(from)) {
          if (!fs.exists(to)) fs.mkdir(to)
          for (const n of fs.readdir(from)) copy(`${from}/${n}`, `${to}/${n}`)
        } else {
          const mode = fs.stat(from).mode
          fs.writeFile(to, fs.readFile(from), { mode })
        }
      }
      for (const src of operands) {
        const from = abs(ctx, src)
        let to = abs(ctx, dest)
        if (!fs.exists(from)) {
          ctx.stderr(`cp: can't stat '${src}': No such file or directory\n`)
          status = 1
          continue
        }
        if (fs.isDir(from) && !flags.has('r') && !flags.has('R') && !flags.has('a')) {
          ctx.stderr(`cp: omitting directory '${src}'\n`)
          status = 1
          continue
        }
        if (fs.isDir(to)) to = `${to === '/' ? '' : to}/${basenameOf(from)}`
        try {
          copy(from, to)
        } catch (error) {
          ctx.stderr(`cp: can't create '${dest}': ${(error as Error).message}\n`)
          status = 1
        }
      }
      return status
    },
    async rm(ctx) {
      const { flags, operands } = parseOptions(ctx.argv.slice(1))
      let status = 0
      for (const name of operands) {
        const p = abs(ctx, name)
        try {
          if (!fs.exists(p)) {
            if (flags.has('f')) continue
            throw new Error('No such file or directory')
          }
          if (fs.isDir(p)) {
            if (!flags.has('r') && !flags.has('R')) {
              ctx.stderr(`rm: '${name}' is a directory\n`)
              status = 1
              continue
            }
            fs.rmdir(p, { recursive: true })
          } else fs.unlink(p)
        } catch (error) {
          ctx.stderr(`rm: can't remove '${name}': ${(error as Error).message}\n`)
          status = 1
        }
      }
      return status
    },
    async rmdir(ctx) {
      let status = 0
      for (const name of parseOptions(ctx.argv.slice(1)).operands) {
        try {
          fs.rmdir(abs(ctx, name))
        } catch (error) {
          ctx.stderr(`rmdir: '${name}': ${(error as Error).message}\n`)
          status = 1
        }
      }
      return status
    },
    async mkdir(ctx) {
      const { flags, operands } = parseOptions(ctx.argv.slice(1), 'm')
      let status = 0
      for (const name of operands) {
        const target = abs(ctx, name)
        try {
          fs.mkdir(target, { recursive: flags.has('p') })
        } catch (error) {
          const failed = error instanceof BoardFsError && error.path !== target && name.startsWith('/') ? error.path : name
          ctx.stderr(`mkdir: can't create directory '${failed}': ${(error as Error).message}\n`)
          status = 1
        }
      }
      return status
    },
    async touch(ctx) {
      let status = 0
      for (const name of parseOptions(ctx.argv.slice(1)).operands) {
        try {
          fs.touch(abs(ctx, name))
        } catch (error) {
          ctx.stderr(`touch: ${name}: ${(error as Error).message}\n`)
          status = 1
        }
      }
      return status
    },
    async which(c) {
      const ctx = c as CoreContext
      let status = 0
      for (const name of ctx.argv.slice(1)) {
        const found = name.includes('/') ? (fs.exists(abs(ctx, name)) ? name : null) : (ctx.shell?.findInPath(name) ?? null)
        if (found) ctx.stdout(found + '\n')
        else status = 1
      }
      return status
    },
    async basename(ctx) {
      const [name, suffix] = ctx.argv.slice(1)
      if (name === undefined) return 1
      let b = basenameOf(name)
      if (suffix && b.endsWith(suffix) && b !== suffix) b = b.slice(0, -suffix.length)
      ctx.stdout(b + '\n')
      return 0
    },
    async dirname(ctx) {
      const name = ctx.argv[1]
      if (name === undefined) return 1
      const trimmed = name.replace(/\/+$/, '') || '/'
      ctx.stdout((trimmed.includes('/') ? dirnameOf(trimmed) : '.') + '\n')
      return 0
    },
  }
}

function deviceNumbers(path: string): string {
  const known: Record<string, [number, number]> = { '/dev/null': [1, 3], '/dev/zero': [1, 5], '/dev/kmsg': [1, 11], '/dev/console': [5, 1], '/dev/ttyS0': [4, 64] }
  const usb = /^\/dev\/ttyUSB(\d+)$/.exec(path)
  const [major, minor] = known[path] ?? (usb ? [188, Number(usb[1])] : [0, 0])
  return `${String(major).padStart(4)}, ${String(minor).padStart(4)}`
}

function isRegularNode(fs: CoreDeps['fs'], path: string): boolean {
  try {
    const snap = fs.snapshot(path)
    return path in snap
  } catch {
    return false
  }
}
