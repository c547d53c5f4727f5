import type { AndOr, Command, List, Pipeline, Redir, Word, WordPart } from './ast'

/** The input ends inside a construct: an interactive shell asks for more with PS2. */
export class IncompleteInput extends Error {
  constructor(
    readonly reason: 'quote' | 'eof',
    readonly expecting?: string,
  ) {
    super(reason === 'quote' ? 'syntax error: unterminated quoted string' : `syntax error: unexpected end of file${expecting ? ` (expecting "${expecting}")` : ''}`)
  }
}

/** A syntax error with ash's wording (without the `sh: ` prefix). */
export class ShellSyntaxError extends Error {}

type Token =
  | { k: 'word'; word: Word; lit: string | null; start: number; end: number }
  | { k: 'op'; v: string; fd?: number; start: number; end: number }
  | { k: 'nl'; start: number; end: number }
  | { k: 'eof'; start: number; end: number }

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', '{', '}', '!', 'in'])
const REDIR_OPS = new Set(['>', '>>', '<', '>&', '<&', '<<', '<<-', '<>', '>|'])
const OPS3 = ['<<-']
const OPS2 = ['&&', '||', ';;', '<<', '>>', '>&', '<&', '<>', '>|']
const OPS1 = [';', '&', '|', '(', ')', '<', '>']
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/

interface PendingHeredoc {
  redir: Redir
  delimiter: string
  strip: boolean
}

class Lexer {
  pos = 0
  pending: PendingHeredoc[] = []

  constructor(
    readonly src: string,
    private readonly eofEndsHeredoc: boolean,
  ) {}

  next(): Token {
    const src = this.src
    for (;;) {
      const c = src[this.pos]
      if (c === ' ' || c === '\t') this.pos++
      else if (c === '\\' && src[this.pos + 1] === '\n') this.pos += 2
      else if (c === '#') {
        while (this.pos < src.length && src[this.pos] !== '\n') this.pos++
      } else break
    }
    const start = this.pos
    if (this.pos >= src.length) {
      if (this.pending.length > 0) this.readHeredocs()
      return { k: 'eof', start, end: start }
    }
    const c = src[this.pos]
    if (c === '\n') {
      this.pos++
      this.readHeredocs()
      return { k: 'nl', start, end: this.pos }
    }
    const io = /^(\d+)(?=[<>])/.exec(src.slice(this.pos, this.pos + 12))
    if (io) {
      this.pos += io[1].length
      const op = this.readOp()
      if (op) return { k: 'op', v: op, fd: Number(io[1]), start, end: this.pos }
    }
    const op = this.readOp()
    if (op) return { k: 'op', v: op, start, end: this.pos }
    const word = this.readWord()
    const lit = word.every((p) => p.t === 'lit' && !p.q) ? word.map((p) => (p as { v: string }).v).join('') : null
    return { k: 'word', word, lit, start, end: this.pos }
  }

  private readOp(): string | null {
    for (const group of [OPS3, OPS2, OPS1]) {
      for (const op of group) {
        if (this.src.startsWith(op, this.pos)) {
          this.pos += op.length
          return op
        }
      }
    }
    return null
  }

  private readHeredocs(): void {
    const src = this.src
    for (const doc of this.pending) {
      let body = ''
      for (;;) {
        if (this.pos >= src.length) {
          if (this.eofEndsHeredoc) break
          throw new IncompleteInput('eof')
        }
        const nl = src.indexOf('\n', this.pos)
        if (nl < 0 && !this.eofEndsHeredoc) throw new IncompleteInput('eof')
        const end = nl < 0 ? src.length : nl
        let line = src.slice(this.pos, end)
        this.pos = nl < 0 ? src.length : nl + 1
        if (doc.strip) line = line.replace(/^\t+/, '')
        if (line === doc.delimiter) break
        body += line + '\n'
      }
      doc.redir.heredoc = { body, expand: doc.redir.heredoc?.expand ?? true }
    }
    this.pending = []
  }

  readWord(): Word {
    return scanWord(this, false)
  }
}

interface Scanner {
  src: string
  pos: number
}

function pushLit(parts: WordPart[], v: string, q: boolean): void {
  const last = parts[parts.length - 1]
  if (last && last.t === 'lit' && last.q === q) last.v += v
  else parts.push({ t: 'lit', v, q })
}

function scanWord(s: Scanner, wholeText: boolean): Word {
  const parts: WordPart[] = []
  const src = s.src
  while (s.pos < src.length) {
    const c = src[s.pos]
    if (!wholeText && (c === ' ' || c === '\t' || c === '\n' || '|&;<>()'.includes(c))) break
    if (c === '\\') {
      if (s.pos + 1 >= src.length) {
        if (wholeText) {
          pushLit(parts, '\\', false)
          s.pos++
          continue
        }
        throw new IncompleteInput('eof')
      }
      if (src[s.pos + 1] === '\n') s.pos += 2
      else {
        pushLit(parts, src[s.pos + 1], true)
        s.pos += 2
      }
    } else if (c === "'") {
      const close = src.indexOf("'", s.pos + 1)
      if (close < 0) throw new IncompleteInput('quote')
      pushLit(parts, src.slice(s.pos + 1, close), true)
      s.pos = close + 1
    } else if (c === '"') {
      s.pos++
      pushLit(parts, '', true)
      scanDouble(s, parts, '"')
    } else if (c === '`') parts.push({ t: 'cmd', src: scanBackquote(s, false), q: false })
    else if (c === '$') scanDollar(s, parts, false)
    else {
      pushLit(parts, c, false)
      s.pos++
    }
  }
  return parts
}

function scanDouble(s: Scanner, parts: WordPart[], close: '"' | null): void {
  const src = s.src
  for (;;) {
    if (s.pos >= src.length) {
      if (close === null) return
      throw new IncompleteInput('quote')
    }
    const c = src[s.pos]
    if (c === close) {
      s.pos++
      return
    }
    if (c === '\\') {
      const n = src[s.pos + 1]
      if (n === '\n') s.pos += 2
      else if (n !== undefined && (n === '$' || n === '`' || n === '\\' || (close === '"' && n === '"'))) {
        pushLit(parts, n, true)
        s.pos += 2
      } else {
        pushLit(parts, '\\', true)
        s.pos++
      }
    } else if (c === '$') scanDollar(s, parts, true)
    else if (c === '`') parts.push({ t: 'cmd', src: scanBackquote(s, true), q: true })
    else {
      pushLit(parts, c, true)
      s.pos++
    }
  }
}

function scanBackquote(s: Scanner, inDouble: boolean): string {
  const src = s.src
  let out = ''
  s.pos++
  for (;;) {
    if (s.pos >= src.length) throw new IncompleteInput('quote')
    const c = src[s.pos]
    if (c === '`') {
      s.pos++
      return out
    }
    if (c === '\\' && s.pos + 1 < src.length) {
      const n = src[s.pos + 1]
      if (n === '$' || n === '`' || n === '\\' || (inDouble && n === '"')) out += n
      else out += c + n
      s.pos += 2
      continue
    }
    out += c
    s.pos++
  }
}

function scanBalanced(s: Scanner, depth: number): string {
  const src = s.src
  const start = s.pos
  while (s.pos < src.length) {
    const c = src[s.pos]
    if (c === '\\') s.pos += 2
    else if (c === "'") {
      const close = src.indexOf("'", s.pos + 1)
      if (close < 0) throw new IncompleteInput('quote')
      s.pos = close + 1
    } else if (c === '"') {
      s.pos++
      while (s.pos < src.length && src[s.pos] !== '"') s.pos += src[s.pos] === '\\' ? 2 : 1
      if (s.pos >= src.length) throw new IncompleteInput('quote')
      s.pos++
    } else if (c === '(') {
      depth++
      s.pos++
    } else if (c === ')') {
      depth--
      s.pos++
      if (depth === 0) return src.slice(start, s.pos - 1)
    } else s.pos++
  }
  throw new IncompleteInput('eof')
}

const PARAM_OPS = [':-', ':=', ':+', ':?', '-', '=', '+', '?', '%%', '%', '##', '#']

function scanDollar(s: Scanner, parts: WordPart[], q: boolean): void {
  const src = s.src
  const n = src[s.pos + 1]
  if (n === '(' && src[s.pos + 2] === '(') {
    s.pos += 3
    const inner = scanBalanced(s, 2)
    parts.push({ t: 'arith', src: inner.replace(/\)$/, ''), q })
    return
  }
  if (n === '(') {
    s.pos += 2
    parts.push({ t: 'cmd', src: scanBalanced(s, 1), q })
    return
  }
  if (n === '{') {
    const close = src.indexOf('}', s.pos + 2)
    if (close < 0) throw new IncompleteInput('eof')
    const body = src.slice(s.pos + 2, close)
    s.pos = close + 1
    if (body.startsWith('#') && body.length > 1) {
      parts.push({ t: 'param', name: body.slice(1), q, op: 'length' })
      return
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?#@*$!-])(.*)$/s.exec(body)
    if (!m) throw new ShellSyntaxError(`\${${body}}: bad substitution`)
    const rest = m[2]
    if (rest === '') {
      parts.push({ t: 'param', name: m[1], q })
      return
    }
    const op = PARAM_OPS.find((o) => rest.startsWith(o))
    if (!op) throw new ShellSyntaxError(`\${${body}}: bad substitution`)
    const arg = scanWord({ src: rest.slice(op.length), pos: 0 }, true)
    parts.push({ t: 'param', name: m[1], q, op, arg })
    return
  }
  if (n !== undefined && /[?#@*$!0-9-]/.test(n)) {
    parts.push({ t: 'param', name: n, q })
    s.pos += 2
    return
  }
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(s.pos + 1, s.pos + 200))
  if (m) {
    parts.push({ t: 'param', name: m[0], q })
    s.pos += 1 + m[0].length
    return
  }
  pushLit(parts, '$', q)
  s.pos++
}

/** Parses the text of a here-document body into a word (expansions like inside double quotes). */
export function parseHeredocBody(body: string): Word {
  const parts: WordPart[] = []
  scanDouble({ src: body, pos: 0 }, parts, null)
  return parts
}

/** Parses a whole word from text (used for `${x:-word}` arguments and `case` patterns). */
export function parseWordText(text: string): Word {
  return scanWord({ src: text, pos: 0 }, true)
}

/** Parses shell source into a list; throws IncompleteInput when more lines are needed and ShellSyntaxError on bad syntax. */
export function parse(src: string, options: { interactive: boolean } = { interactive: false }): List {
  return new Parser(src, !options.interactive).program()
}

class Parser {
  private readonly lexer: Lexer
  private la: Token | null = null

  constructor(
    private readonly src: string,
    private readonly eofEndsHeredoc: boolean,
  ) {
    this.lexer = new Lexer(src, eofEndsHeredoc)
  }

  private peek(): Token {
    if (!this.la) this.la = this.lexer.next()
    return this.la
  }

  private take(): Token {
    const t = this.peek()
    this.la = null
    return t
  }

  private unexpected(t: Token): never {
    if (t.k === 'eof') throw new IncompleteInput('eof')
    if (t.k === 'nl') throw new ShellSyntaxError('syntax error: unexpected newline')
    const text = t.k === 'op' ? t.v : (t.lit ?? this.src.slice(t.start, t.end))
    throw new ShellSyntaxError(`syntax error: unexpected "${text}"`)
  }

  private isWord(t: Token, lit: string): boolean {
    return t.k === 'word' && t.lit === lit
  }

  private skipNewlines(): void {
    while (this.peek().k === 'nl') this.take()
  }

  private expectWord(lit: string): void {
    this.skipNewlines()
    const t = this.take()
    if (t.k === 'eof') throw new IncompleteInput('eof', lit)
    if (!this.isWord(t, lit)) this.unexpected(t)
  }

  program(): List {
    const list = this.list(new Set())
    const t = this.peek()
    if (t.k !== 'eof') this.unexpected(t)
    return list
  }

  private list(stop: Set<string>): List {
    const items: AndOr[] = []
    for (;;) {
      this.skipNewlines()
      const t = this.peek()
      if (t.k === 'eof') break
      if (t.k === 'word' && t.lit !== null && stop.has(t.lit)) break
      if (t.k === 'op' && (t.v === ')' || t.v === ';;')) break
      const item = this.andOr()
      items.push(item)
      const sep = this.peek()
      if (sep.k === 'op' && sep.v === '&') {
        this.take()
        item.background = true
      } else if (sep.k === 'op' && sep.v === ';') this.take()
      else if (sep.k === 'nl') this.take()
      else break
    }
    return items
  }

  private andOr(): AndOr {
    const start = this.peek().start
    const first = this.pipeline()
    const rest: AndOr['rest'] = []
    for (;;) {
      const t = this.peek()
      if (t.k !== 'op' || (t.v !== '&&' && t.v !== '||')) break
      this.take()
      this.skipNewlines()
      rest.push({ op: t.v, pipeline: this.pipeline() })
    }
    return { first, rest, background: false, text: this.src.slice(start, this.lexer.pos).trim() }
  }

  private pipeline(): Pipeline {
    const start = this.peek().start
    let bang = false
    if (this.isWord(this.peek(), '!')) {
      this.take()
      bang = true
    }
    const cmds = [this.command()]
    for (;;) {
      const t = this.peek()
      if (t.k !== 'op' || t.v !== '|') break
      this.take()
      this.skipNewlines()
      cmds.push(this.command())
    }
    return { bang, cmds, text: this.src.slice(start, this.la ? this.la.start : this.lexer.pos).trim() }
  }

  private command(): Command {
    const t = this.peek()
    if (t.k === 'word' && t.lit !== null && RESERVED.has(t.lit)) {
      let cmd: Command
      switch (t.lit) {
        case 'if':
          cmd = this.ifCommand()
          break
        case 'while':
        case 'until':
          cmd = this.loop(t.lit === 'until')
          break
        case 'for':
          cmd = this.forCommand()
          break
        case 'case':
          cmd = this.caseCommand()
          break
        case '{': {
          this.take()
          const body = this.list(new Set(['}']))
          this.expectWord('}')
          cmd = { t: 'group', body, redirs: [] }
          break
        }
        default:
          this.unexpected(t)
      }
      this.trailingRedirs((cmd as { redirs: Redir[] }).redirs)
      return cmd
    }
    if (t.k === 'op' && t.v === '(') {
      this.take()
      const body = this.list(new Set())
      const close = this.take()
      if (close.k === 'eof') throw new IncompleteInput('eof', ')')
      if (close.k !== 'op' || close.v !== ')') this.unexpected(close)
      const cmd: Command = { t: 'subshell', body, redirs: [] }
      this.trailingRedirs(cmd.redirs)
      return cmd
    }
    return this.simple()
  }

  private trailingRedirs(redirs: Redir[]): void {
    for (;;) {
      const t = this.peek()
      if (t.k === 'op' && REDIR_OPS.has(t.v)) redirs.push(this.redir())
      else return
    }
  }

  private ifCommand(): Command {
    this.take()
    const clauses: { cond: List; body: List }[] = []
    let otherwise: List | undefined
    for (;;) {
      const cond = this.list(new Set(['then']))
      this.expectWord('then')
      const body = this.list(new Set(['elif', 'else', 'fi']))
      clauses.push({ cond, body })
      this.skipNewlines()
      const t = this.take()
      if (t.k === 'eof') throw new IncompleteInput('eof', 'fi')
      if (this.isWord(t, 'elif')) continue
      if (this.isWord(t, 'else')) {
        otherwise = this.list(new Set(['fi']))
        this.expectWord('fi')
        break
      }
      if (this.isWord(t, 'fi')) break
      this.unexpected(t)
    }
    return { t: 'if', clauses, otherwise, redirs: [] }
  }

  private loop(until: boolean): Command {
    this.take()
    const cond = this.list(new Set(['do']))
    this.expectWord('do')
    const body = this.list(new Set(['done']))
    this.expectWord('done')
    return { t: 'loop', until, cond, body, redirs: [] }
  }

  private forCommand(): Command {
    this.take()
    const nameTok = this.take()
    if (nameTok.k !== 'word' || nameTok.lit === null || !NAME_RE.test(nameTok.lit)) this.unexpected(nameTok)
    let items: Word[] | null = null
    this.skipNewlines()
    if (this.isWord(this.peek(), 'in')) {
      this.take()
      items = []
      for (;;) {
        const t = this.peek()
        if (t.k !== 'word') break
        items.push(t.word)
        this.take()
      }
      const sep = this.peek()
      if (sep.k === 'op' && sep.v === ';') this.take()
      else if (sep.k !== 'nl') this.unexpected(sep)
    } else if (this.peek().k === 'op' && (this.peek() as { v: string }).v === ';') this.take()
    this.expectWord('do')
    const body = this.list(new Set(['done']))
    this.expectWord('done')
    return { t: 'for', name: nameTok.lit, items, body, redirs: [] }
  }

  private caseCommand(): Command {
    this.take()
    const w = this.take()
    if (w.k !== 'word') this.unexpected(w)
    this.expectWord('in')
    const items: { patterns: Word[]; body: List }[] = []
    for (;;) {
      this.skipNewlines()
      let t = this.take()
      if (this.isWord(t, 'esac')) break
      if (t.k === 'op' && t.v === '(') t = this.take()
      const patterns: Word[] = []
      for (;;) {
        if (t.k !== 'word') this.unexpected(t)
        patterns.push(t.word)
        t = this.take()
        if (t.k === 'op' && t.v === '|') {
          t = this.take()
          continue
        }
        if (t.k === 'op' && t.v === ')') break
        this.unexpected(t)
      }
      const body = this.list(new Set(['esac']))
      items.push({ patterns, body })
      const end = this.peek()
      if (end.k === 'op' && end.v === ';;') this.take()
      else {
        this.expectWord('esac')
        break
      }
    }
    return { t: 'case', word: w.word, items, redirs: [] }
  }

  private redir(): Redir {
    const op = this.take() as Extract<Token, { k: 'op' }>
    const v = op.v as Redir['op']
    const fd = op.fd ?? (v.startsWith('<') ? 0 : 1)
    const target = this.take()
    if (target.k !== 'word') this.unexpected(target)
    const redir: Redir = { fd, op: v, target: target.word }
    if (v === '<<' || v === '<<-') {
      const quoted = target.word.some((p) => p.q)
      const delimiter = target.word.map((p) => (p.t === 'lit' ? p.v : '')).join('')
      redir.heredoc = { body: '', expand: !quoted }
      this.lexer.pending.push({ redir, delimiter, strip: v === '<<-' })
    }
    return redir
  }

  private simple(): Command {
    const assigns: { name: string; value: Word }[] = []
    const words: Word[] = []
    const redirs: Redir[] = []
    for (;;) {
      const t = this.peek()
      if (t.k === 'op' && REDIR_OPS.has(t.v)) {
        redirs.push(this.redir())
        continue
      }
      if (t.k !== 'word') break
      if (words.length === 0 && assignmentName(t.word) !== null) {
        this.take()
        const name = assignmentName(t.word) as string
        assigns.push({ name, value: assignmentValue(t.word, name) })
        continue
      }
      this.take()
      words.push(t.word)
      if (words.length === 1 && t.lit !== null && NAME_RE.test(t.lit)) {
        const after = this.peek()
        if (after.k === 'op' && after.v === '(') {
          this.take()
          const close = this.take()
          if (close.k !== 'op' || close.v !== ')') this.unexpected(close)
          this.skipNewlines()
          return { t: 'func', name: t.lit, body: this.command() }
        }
      }
    }
    if (assigns.length === 0 && words.length === 0 && redirs.length === 0) this.unexpected(this.peek())
    return { t: 'simple', assigns, words, redirs }
  }
}

function assignmentName(word: Word): string | null {
  const first = word[0]
  if (!first || first.t !== 'lit' || first.q) return null
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.v)
  return m ? m[1] : null
}

function assignmentValue(word: Word, name: string): Word {
  const first = word[0] as { t: 'lit'; v: string; q: boolean }
  const rest = first.v.slice(name.length + 1)
  return [...(rest ? [{ t: 'lit' as const, v: rest, q: false }] : []), ...word.slice(1)]
}
