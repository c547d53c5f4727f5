import { createHash } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import type { CommandImpl, CommandContext } from '../../types'
import { readAll } from '../../shell/streams'
import { abs, parseOptions, text, type CoreDeps } from './deps'

/** Expands BusyBox `echo -e` / `printf` backslash escapes (`formatOctal`: printf's FORMAT, where `\NNN` counts its leading 0); returns the text and whether `\c` stopped output. */
export function expandEscapes(s: string, octalNeedsZero = false, formatOctal = false): { out: string; stop: boolean } {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c !== '\\' || i + 1 >= s.length) {
      out += c
      continue
    }
    const n = s[++i]
    const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' }
    if (n in simple) out += simple[n]
    else if (n === 'c') return { out, stop: true }
    else if (n === 'x' && /[0-9a-fA-F]/.test(s[i + 1] ?? '')) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1)) as RegExpExecArray
      out += String.fromCharCode(parseInt(m[0], 16))
      i += m[0].length
    } else if (n === '0' || (!octalNeedsZero && /[1-7]/.test(n))) {
      const start = n === '0' && !formatOctal ? i + 1 : i
      const m = /^[0-7]{0,3}/.exec(s.slice(start)) as RegExpExecArray
      out += String.fromCharCode(parseInt(m[0] || '0', 8) & 255)
      i = start + m[0].length - 1
    } else out += '\\' + n
  }
  return { out, stop: false }
}

function latin1(s: string): Uint8Array {
  const bytes = new Uint8Array(s.length)
  let needsUtf8 = false
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i)
    if (code > 255) needsUtf8 = true
    bytes[i] = code & 255
  }
  return needsUtf8 ? new TextEncoder().encode(s) : bytes
}

/** Reads each operand (or stdin for none or `-`); calls onError with a BusyBox-style reason for failures. */
async function inputs(ctx: CommandContext, operands: string[], onData: (data: Uint8Array, name: string) => void, onError: (name: string, error: unknown) => void): Promise<number> {
  let status = 0
  const list = operands.length === 0 ? ['-'] : operands
  for (const name of list) {
    if (name === '-') {
      onData(await readAll(ctx.stdin), '-')
      continue
    }
    try {
      onData(ctx.board.fs.readFile(abs(ctx, name)), name)
    } catch (error) {
      onError(name, error)
      status = 1
    }
  }
  return status
}

const cantOpen = (ctx: CommandContext, cmd: string) => (name: string, error: unknown) => ctx.stderr(`${cmd}: can't open '${name}': ${(error as Error).message}\n`)
const plainError = (ctx: CommandContext, cmd: string) => (name: string, error: unknown) => ctx.stderr(`${cmd}: ${name}: ${(error as Error).message}\n`)

/** Builds the text-processing applets (echo, printf, cat, base64, md5sum, wc, head, tail, grep, tee, zcat, dd, expr, test). */
export function textCommands(deps: CoreDeps): Record<string, CommandImpl> {
  return {
    async echo(ctx) {
      const args = ctx.argv.slice(1)
      let newline = true
      let escapes = false
      while (args.length && /^-[neE]+$/.test(args[0])) {
        const opt = args.shift() as string
        if (opt.includes('n')) newline = false
        if (opt.includes('e')) escapes = true
        if (opt.includes('E')) escapes = false
      }
      let out = args.join(' ')
      if (escapes) {
        const r = expandEscapes(out)
        out = r.out
        if (r.stop) newline = false
      }
      ctx.stdout(latin1(out + (newline ? '\n' : '')))
      return 0
    },
    async printf(ctx) {
      const [format, ...args] = ctx.argv.slice(1)
      if (format === undefined) {
        ctx.stderr('printf: usage: printf FORMAT [ARGUMENT]...\n')
        return 1
      }
      let out = ''
      let status = 0
      let first = true
      while (first || args.length > 0) {
        first = false
        let consumed = false
        let stop = false
        const spec = /%([-+ #0]*)(\d*|\*)(?:\.(\d+))?([sdiouxXcb%])/g
        let last = 0
        const literal = (text: string): void => {
          if (stop) return
          const r = expandEscapes(text, false, true)
          out += r.out
          stop = r.stop
        }
        for (const m of format.matchAll(spec)) {
          literal(format.slice(last, m.index))
          last = m.index + m[0].length
          if (stop) break
          const [, flags, width, prec, conv] = m
          if (conv === '%') {
            out += '%'
            continue
          }
          consumed = true
          const arg = args.shift() ?? ''
          let v: string
          if (conv === 's') v = prec !== undefined ? arg.slice(0, Number(prec)) : arg
          else if (conv === 'b') v = expandEscapes(arg).out
          else if (conv === 'c') v = arg.slice(0, 1)
          else {
            const n = arg === '' ? 0 : Number(arg.startsWith("'") ? arg.charCodeAt(1) : arg)
            if (!Number.isFinite(n)) {
              ctx.stderr(`printf: invalid number '${arg}'\n`)
              status = 1
            }
            const i = Math.trunc(Number.isFinite(n) ? n : 0)
            v = conv === 'x' ? i.toString(16) : conv === 'X' ? i.toString(16).toUpperCase() : conv === 'o' ? i.toString(8) : String(i)
          }
          const w = Number(width) || 0
          out += flags.includes('-') ? v.padEnd(w) : v.padStart(w, flags.includes('0') && conv !== 's' ? '0' : ' ')
        }
        literal(format.slice(last))
        if (stop || !consumed) break
      }
      ctx.stdout(latin1(out))
      return status
    },
    async cat(ctx) {
      const { operands } = parseOptions(ctx.argv.slice(1))
      let status = 0
      for (const name of operands.length ? operands : ['-']) {
        if (name === '-') {
          for await (const chunk of ctx.stdin) ctx.stdout(chunk)
          continue
        }
        const path = abs(ctx, name)
        if (deps.fs.isDevice(path)) {
          const handle = deps.fs.openDevice(path)
          const off = handle.onData((c) => ctx.stdout(c))
          await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }))
          off()
          handle.close()
          continue
        }
        try {
          if (deps.fs.isDir(path)) {
            ctx.stderr(`cat: read error: Is a directory\n`)
            status = 1
            continue
          }
          ctx.stdout(deps.fs.readFile(path))
        } catch (error) {
          cantOpen(ctx, 'cat')(name, error)
          status = 1
        }
      }
      return status
    },
    async base64(ctx) {
      const { flags, operands } = parseOptions(ctx.argv.slice(1), 'w')
      let data: Uint8Array = new Uint8Array()
      const status = await inputs(ctx, operands.slice(0, 1), (d) => (data = d), plainError(ctx, 'base64'))
      if (status) return status
      if (flags.has('d')) {
        const clean = text(data).replace(/[\s]/g, '')
        if (/[^A-Za-z0-9+/=]/.test(clean) || /=[^=]/.test(clean)) {
          ctx.stdout(Buffer.from(clean.replace(/[^A-Za-z0-9+/=].*$/s, ''), 'base64'))
          ctx.stderr('base64: invalid input\n')
          return 1
        }
        ctx.stdout(new Uint8Array(Buffer.from(clean, 'base64')))
        return 0
      }
      const encoded = Buffer.from(data).toString('base64')
      ctx.stdout((encoded.match(/.{1,76}/g) ?? ['']).join('\n') + '\n')
      return 0
    },
    md5sum: hashCommand('md5sum', 'md5'),
    sha256sum: hashCommand('sha256sum', 'sha256'),
    async wc(ctx) {
      const { flags, operands } = parseOptions(ctx.argv.slice(1))
      const cols = ['l', 'w', 'c'].filter((c) => flags.has(c) || (flags.has('m') && c === 'c'))
      const selected = cols.length ? cols : ['l', 'w', 'c']
      const totals = { l: 0, w: 0, c: 0 }
      let files = 0
      const print = (counts: Record<string, number>, name: string): void => {
        const nums = selected.map((c) => (selected.length === 1 ? String(counts[c]) : String(counts[c]).padStart(9)))
        ctx.stdout(nums.join(' ') + (name === '-' ? '' : ` ${name}`) + '\n')
      }
      const status = await inputs(
        ctx,
        operands,
        (data, name) => {
          const t = text(data)
          const counts = { l: (t.match(/\n/g) ?? []).length, w: t.split(/\s+/).filter(Boolean).length, c: data.length }
          totals.l += counts.l
          totals.w += counts.w
          totals.c += counts.c
          files++
          print(counts, name)
        },
        plainError(ctx, 'wc'),
      )
      if (files > 1) print(totals, 'total')
      return status
    },
    head: headTail('head'),
    tail: headTail('tail'),
    async grep(ctx) {
      const { flags, values, operands } = parseOptions(ctx.argv.slice(1), 'e')
      const pattern = values.get('e') ?? operands.shift()
      if (pattern === undefined) {
        ctx.stderr('BusyBox v1.33.1 (2024-04-27 10:04:39 CST) multi-call binary.\n\nUsage: grep [-HhnlLoqvsriwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n')
        return 2
      }
      let re: RegExp
      try {
        const source = flags.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : flags.has('E') ? pattern : breToJs(pattern)
        re = new RegExp(flags.has('w') ? `\\b(?:${source})\\b` : source, flags.has('i') ? 'i' : '')
      } catch {
        ctx.stderr(`grep: bad regex '${pattern}'\n`)
        return 2
      }
      let matched = 0
      const many = operands.length > 1
      const status = await inputs(
        ctx,
        operands,
        (data, name) => {
          const lines = text(data).split('\n')
          if (lines[lines.length - 1] === '') lines.pop()
          let count = 0
          lines.forEach((line, i) => {
            if (re.test(line) === flags.has('v')) return
            count++
            matched++
            if (flags.has('q') || flags.has('c') || flags.has('l')) return
            const prefix = (many && !flags.has('h') ? `${name === '-' ? '(standard input)' : name}:` : '') + (flags.has('n') ? `${i + 1}:` : '')
            ctx.stdout(prefix + (flags.has('o') ? (re.exec(line)?.[0] ?? '') : line) + '\n')
          })
          if (flags.has('c')) ctx.stdout((many ? `${name}:` : '') + `${count}\n`)
          if (flags.has('l') && count > 0) ctx.stdout(`${name}\n`)
        },
        flags.has('s') ? () => undefined : plainError(ctx, 'grep'),
      )
      if (status && !matched) return 2
      return matched > 0 ? 0 : 1
    },
    async tee(ctx) {
      const { flags, operands } = parseOptions(ctx.argv.slice(1))
      const paths = operands.map((o) => abs(ctx, o))
      let status = 0
      for (const [i, p] of paths.entries()) {
        try {
          if (!flags.has('a')) deps.fs.writeFile(p, '')
        } catch (error) {
          ctx.stderr(`tee: ${operands[i]}: ${(error as Error).message}\n`)
          status = 1
        }
      }
      for await (const chunk of ctx.stdin) {
        ctx.stdout(chunk)
        for (const p of paths) {
          try {
            deps.fs.writeFile(p, chunk, { append: true })
          } catch {
            status = 1
          }
        }
      }
      return status
    },
    async zcat(ctx) {
      let status = 0
      await inputs(
        ctx,
        ctx.argv.slice(1),
        (data) => {
          if (data[0] !== 0x1f || data[1] !== 0x8b) {
            ctx.stderr('zcat: invalid magic\n')
            status = 1
            return
          }
          try {
            ctx.stdout(new Uint8Array(gunzipSync(data)))
          } catch {
            ctx.stderr('zcat: corrupted data\n')
            status = 1
          }
        },
        (name, error) => {
          plainError(ctx, 'zcat')(name, error)
          status = 1
        },
      )
      return status
    },
    async dd(ctx) {
      const opts = new Map(ctx.argv.slice(1).map((a) => a.split('=', 2) as [string, string]))
      const bs = sizeArg(opts.get('bs') ?? opts.get('ibs') ?? '512')
      const count = opts.has('count') ? sizeArg(opts.get('count') as string) : Infinity
      const skip = opts.has('skip') ? sizeArg(opts.get('skip') as string) : 0
      let data: Uint8Array
      try {
        data = opts.has('if') ? deps.fs.readFile(abs(ctx, opts.get('if') as string)) : await readAll(ctx.stdin)
      } catch (error) {
        ctx.stderr(`dd: can't open '${opts.get('if')}': ${(error as Error).message}\n`)
        return 1
      }
      const start = Math.min(data.length, skip * bs)
      const end = Math.min(data.length, count === Infinity ? data.length : start + count * bs)
      const out = data.subarray(start, end)
      try {
        if (opts.has('of')) deps.fs.writeFile(abs(ctx, opts.get('of') as string), out)
        else ctx.stdout(out)
      } catch (error) {
        ctx.stderr(`dd: can't open '${opts.get('of')}': ${(error as Error).message}\n`)
        return 1
      }
      const full = Math.floor(out.length / bs)
      const partial = out.length % bs ? 1 : 0
      ctx.stderr(`${full}+${partial} records in\n${full}+${partial} records out\n${out.length} bytes (${humanBytes(out.length)}) copied, 0.000120 seconds, ${humanBytes(Math.round(out.length / 0.00012))}/s\n`)
      return 0
    },
    async expr(ctx) {
      try {
        const result = evaluateExpr(ctx.argv.slice(1))
        ctx.stdout(result + '\n')
        return result === '0' || result === '' ? 1 : 0
      } catch (error) {
        ctx.stderr(`expr: ${(error as Error).message}\n`)
        return 2
      }
    },
    async cut(ctx) {
      const { values, flags, operands } = parseOptions(ctx.argv.slice(1), 'cbdf')
      const list = values.get('c') ?? values.get('b') ?? values.get('f')
      if (!list) {
        ctx.stderr('cut: expected a list of bytes, characters, or fields\n')
        return 1
      }
      const ranges = list.split(',').map((r) => {
        const [a, b] = r.split('-')
        return [a === '' ? 1 : Number(a), r.includes('-') ? (b === '' ? Infinity : Number(b)) : Number(a)] as [number, number]
      })
      const pick = (n: number): boolean => ranges.some(([a, b]) => n >= a && n <= b)
      const delim = values.get('d') ?? '\t'
      return inputs(
        ctx,
        operands,
        (data) => {
          const lines = text(data).split('\n')
          if (lines[lines.length - 1] === '') lines.pop()
          for (const line of lines) {
            if (values.has('f')) {
              if (!line.includes(delim)) {
                if (!flags.has('s')) ctx.stdout(line + '\n')
                continue
              }
              ctx.stdout(line.split(delim).filter((_, i) => pick(i + 1)).join(delim) + '\n')
            } else ctx.stdout([...line].filter((_, i) => pick(i + 1)).join('') + '\n')
          }
        },
        plainError(ctx, 'cut'),
      )
    },
    async tr(ctx) {
      const { flags, operands } = parseOptions(ctx.argv.slice(1))
      const expand = (set: string): string[] => {
        const chars = [...expandEscapes(set, true).out]
        const out: string[] = []
        for (let i = 0; i < chars.length; i++) {
          if (chars[i + 1] === '-' && chars[i + 2] !== undefined) {
            for (let c = chars[i].charCodeAt(0); c <= chars[i + 2].charCodeAt(0); c++) out.push(String.fromCharCode(c))
            i += 2
          } else out.push(chars[i])
        }
        return out
      }
      const from = expand(operands[0] ?? '')
      const to = expand(operands[1] ?? '')
      const input = text(await readAll(ctx.stdin))
      let out = ''
      for (const c of input) {
        const i = from.indexOf(c)
        if (i < 0) out += c
        else if (!flags.has('d')) out += to[Math.min(i, to.length - 1)] ?? c
      }
      ctx.stdout(out)
      return 0
    },
    async sort(ctx) {
      const { flags, operands } = parseOptions(ctx.argv.slice(1))
      let all: string[] = []
      const status = await inputs(
        ctx,
        operands,
        (data) => {
          const lines = text(data).split('\n')
          if (lines[lines.length - 1] === '') lines.pop()
          all = all.concat(lines)
        },
        (name, error) => ctx.stderr(`sort: can't open '${name}': ${(error as Error).message}\n`),
      )
      all.sort(flags.has('n') ? (a, b) => parseFloat(a) - parseFloat(b) || (a < b ? -1 : a > b ? 1 : 0) : (a, b) => (a < b ? -1 : a > b ? 1 : 0))
      if (flags.has('r')) all.reverse()
      if (flags.has('u')) all = all.filter((l, i) => i === 0 || l !== all[i - 1])
      if (all.length) ctx.stdout(all.join('\n') + '\n')
      return status
    },
    test: testCommand(deps, false),
    '[': testCommand(deps, true),
  }
}

function humanBytes(n: number): string {
  if (n < 1024) return `${n}B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}KB`
  return `${(n / 1024 / 1024).toFixed(1)}MB`
}

function sizeArg(s: string): number {
  const m = /^(\d+)([kKMG]?)$/.exec(s)
  if (!m) return Number(s) || 0
  return Number(m[1]) * ({ '': 1, k: 1024, K: 1024, M: 1 << 20, G: 1 << 30 }[m[2]] ?? 1)
}

function hashCommand(cmd: string, algorithm: string): CommandImpl {
  return async (ctx) => {
    const { operands } = parseOptions(ctx.argv.slice(1))
    return inputs(
      ctx,
      operands,
      (data, name) => ctx.stdout(`${createHash(algorithm).update(data).digest('hex')}  ${name}\n`),
      (name, error) => ctx.stderr(`${cmd}: can't open '${name}': ${(error as Error).message}\n`),
    )
  }
}

function headTail(cmd: 'head' | 'tail'): CommandImpl {
  return async (ctx) => {
    const args = ctx.argv.slice(1).map((a) => (/^-\d+$/.test(a) ? `-n${a.slice(1)}` : a))
    const { values, operands } = parseOptions(args, 'nc')
    const lines = values.has('n') ? Number(values.get('n')) : 10
    const bytes = values.has('c') ? Number(values.get('c')) : null
    const many = operands.length > 1
    let first = true
    return inputs(
      ctx,
      operands,
      (data, name) => {
        if (many) ctx.stdout(`${first ? '' : '\n'}==> ${name} <==\n`)
        first = false
        if (bytes !== null) {
          ctx.stdout(cmd === 'head' ? data.subarray(0, bytes) : data.subarray(Math.max(0, data.length - bytes)))
          return
        }
        const t = text(data)
        const parts = t.split('\n')
        const trailing = t.endsWith('\n')
        if (trailing) parts.pop()
        const chosen = cmd === 'head' ? parts.slice(0, lines) : parts.slice(Math.max(0, parts.length - lines))
        if (chosen.length) ctx.stdout(chosen.join('\n') + (trailing || chosen.length < parts.length || cmd === 'head' ? '\n' : ''))
      },
      (name, error) => ctx.stderr(`${cmd}: ${name}: ${(error as Error).message}\n`),
    )
  }
}

function breToJs(pattern: string): string {
  let out = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i]
      out += '(){}|+?'.includes(n) ? n : '\\' + n
    } else if ('(){}|+?'.includes(c)) out += '\\' + c
    else out += c
  }
  return out
}

/** Evaluates BusyBox `expr` arguments; throws with expr's message on bad input. */
export function evaluateExpr(args: string[]): string {
  let i = 0
  const isInt = (s: string): boolean => /^-?\d+$/.test(s)
  const toInt = (s: string): number => {
    if (!isInt(s)) throw new Error('non-numeric argument')
    return Number(s)
  }
  const primary = (): string => {
    const t = args[i++]
    if (t === undefined) throw new Error('syntax error')
    if (t === '(') {
      const v = or()
      if (args[i++] !== ')') throw new Error('syntax error')
      return v
    }
    if (t === 'length') return String((args[i++] ?? '').length)
    return t
  }
  const colon = (): string => {
    let v = primary()
    while (args[i] === ':') {
      i++
      const m = new RegExp('^(?:' + breToJs(primary()) + ')').exec(v)
      v = m ? (m[1] !== undefined ? m[1] : String(m[0].length)) : '0'
    }
    return v
  }
  const mul = (): string => {
    let v = colon()
    while (args[i] === '*' || args[i] === '/' || args[i] === '%') {
      const op = args[i++]
      const r = toInt(colon())
      const l = toInt(v)
      if (op !== '*' && r === 0) throw new Error('division by zero')
      v = String(op === '*' ? l * r : op === '/' ? Math.trunc(l / r) : l % r)
    }
    return v
  }
  const add = (): string => {
    let v = mul()
    while (args[i] === '+' || args[i] === '-') {
      const op = args[i++]
      const r = toInt(mul())
      v = String(op === '+' ? toInt(v) + r : toInt(v) - r)
    }
    return v
  }
  const cmp = (): string => {
    let v = add()
    while (['=', '==', '!=', '<', '<=', '>', '>='].includes(args[i])) {
      const op = args[i++]
      const r = add()
      const c = isInt(v) && isInt(r) ? Number(v) - Number(r) : v < r ? -1 : v > r ? 1 : 0
      const ok = op === '=' || op === '==' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0
      v = ok ? '1' : '0'
    }
    return v
  }
  const and = (): string => {
    let v = cmp()
    while (args[i] === '&') {
      i++
      const r = cmp()
      v = v !== '' && v !== '0' && r !== '' && r !== '0' ? v : '0'
    }
    return v
  }
  const or = (): string => {
    let v = and()
    while (args[i] === '|') {
      i++
      const r = and()
      v = v !== '' && v !== '0' ? v : r !== '' && r !== '0' ? r : '0'
    }
    return v
  }
  if (args.length === 0) throw new Error('syntax error')
  const v = or()
  if (i !== args.length) throw new Error('syntax error')
  return v
}

function testCommand(deps: CoreDeps, bracket: boolean): CommandImpl {
  return async (ctx) => {
    let args = ctx.argv.slice(1)
    if (bracket) {
      if (args[args.length - 1] !== ']') {
        ctx.stderr('sh: [: missing ]\n')
        return 2
      }
      args = args.slice(0, -1)
    }
    try {
      return evaluateTest(args, ctx, deps) ? 0 : 1
    } catch (error) {
      ctx.stderr(`sh: ${(error as Error).message}\n`)
      return 2
    }
  }
}

function evaluateTest(args: string[], ctx: CommandContext, deps: CoreDeps): boolean {
  let i = 0
  const int = (s: string): number => {
    if (!/^\s*-?\d+\s*$/.test(s)) throw new Error(`${s}: bad number`)
    return Number(s)
  }
  const fileTest = (op: string, name: string): boolean => {
    const path = abs(ctx, name)
    if (!deps.fs.exists(path)) return false
    const st = deps.fs.stat(path)
    switch (op) {
      case '-e':
        return true
      case '-f':
        return !st.isDir && !st.isDevice
      case '-d':
        return st.isDir
      case '-c':
        return st.isDevice
      case '-x':
        return (st.mode & 0o111) !== 0 || st.isDir
      case '-r':
      case '-w':
        return true
      case '-s':
        return st.size > 0
      default:
        return false
    }
  }
  const primary = (): boolean => {
    const t = args[i]
    if (t === '!') {
      i++
      return !primary()
    }
    if (t === '(') {
      i++
      const v = or()
      if (args[i++] !== ')') throw new Error('closing paren expected')
      return v
    }
    const next = args[i + 1]
    const binary = ['=', '!=', '==', '-eq', '-ne', '-lt', '-le', '-gt', '-ge']
    if (next !== undefined && binary.includes(next) && args[i + 2] !== undefined) {
      const l = t
      const r = args[i + 2]
      i += 3
      switch (next) {
        case '=':
        case '==':
          return l === r
        case '!=':
          return l !== r
        case '-eq':
          return int(l) === int(r)
        case '-ne':
          return int(l) !== int(r)
        case '-lt':
          return int(l) < int(r)
        case '-le':
          return int(l) <= int(r)
        case '-gt':
          return int(l) > int(r)
        default:
          return int(l) >= int(r)
      }
    }
    if (/^-[efdxrwsczn]$/.test(t) && next !== undefined) {
      i += 2
      if (t === '-z') return next === ''
      if (t === '-n') return next !== ''
      return fileTest(t, next)
    }
    i++
    return t !== undefined && t !== ''
  }
  const and = (): boolean => {
    let v = primary()
    while (args[i] === '-a') {
      i++
      const r = primary()
      v = v && r
    }
    return v
  }
  const or = (): boolean => {
    let v = and()
    while (args[i] === '-o') {
      i++
      const r = and()
      v = v || r
    }
    return v
  }
  if (args.length === 0) return false
  const v = or()
  if (i < args.length) throw new Error(`${args[i]}: unknown operand`)
  return v
}

