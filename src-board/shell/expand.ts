import type { BoardFs } from '../types'
import type { Word } from './ast'
import { evaluateArithmetic } from './arith'
import { expandPathname, globToRegExp } from './glob'

/** An expansion failed (`${x?}`, bad arithmetic); the message is ash's without `sh: `. */
export class ExpansionError extends Error {}

/** What word expansion reads from the shell. */
export interface ExpandEnv {
  /** Variables and special parameters (`?`, `#`, `1`, `@`...). */
  lookup(name: string): string | undefined
  positional(): string[]
  assign(name: string, value: string): void
  /** Runs a command substitution and returns its output. */
  substitute(src: string): Promise<string>
  fs: BoardFs
  cwd: string
}

interface Field {
  text: string
  mask: boolean[]
  started: boolean
}

const IFS_WS = new Set([' ', '\t', '\n'])

class FieldBuilder {
  fields: Field[] = []
  cur: Field = { text: '', mask: [], started: false }

  quoted(s: string): void {
    this.cur.text += s
    for (let i = 0; i < s.length; i++) this.cur.mask.push(false)
    this.cur.started = true
  }

  literal(s: string): void {
    this.cur.text += s
    for (let i = 0; i < s.length; i++) this.cur.mask.push(true)
    if (s !== '') this.cur.started = true
  }

  splittable(s: string): void {
    for (const c of s) {
      if (IFS_WS.has(c)) this.breakField()
      else {
        this.cur.text += c
        this.cur.mask.push(true)
        this.cur.started = true
      }
    }
  }

  breakField(): void {
    if (this.cur.started) this.fields.push(this.cur)
    this.cur = { text: '', mask: [], started: false }
  }

  finish(): Field[] {
    this.breakField()
    return this.fields
  }
}

async function paramValue(part: Extract<Word[number], { t: 'param' }>, env: ExpandEnv): Promise<string> {
  const value = env.lookup(part.name)
  if (part.op === 'length') return String((value ?? '').length)
  if (!part.op) return value ?? ''
  const arg = async (): Promise<string> => expandWord(part.arg ?? [], env)
  const colon = part.op.startsWith(':')
  const missing = value === undefined || (colon && value === '')
  switch (part.op.replace(':', '')) {
    case '-':
      return missing ? arg() : (value as string)
    case '=':
      if (missing) {
        const v = await arg()
        env.assign(part.name, v)
        return v
      }
      return value as string
    case '+':
      return missing ? '' : arg()
    case '?':
      if (missing) {
        const msg = await arg()
        throw new ExpansionError(`${part.name}: ${msg || (value === undefined ? 'parameter not set' : 'parameter null or not set')}`)
      }
      return value as string
    default:
      return trimPattern(value ?? '', part.op, await arg())
  }
}

function trimPattern(value: string, op: string, pattern: string): string {
  const re = globToRegExp(pattern)
  if (op === '#' || op === '##') {
    const lengths = [...Array(value.length + 1).keys()]
    if (op === '##') lengths.reverse()
    for (const n of lengths) if (re.test(value.slice(0, n))) return value.slice(n)
  } else {
    const starts = [...Array(value.length + 1).keys()]
    if (op === '%') starts.reverse()
    for (const n of starts) if (re.test(value.slice(n))) return value.slice(0, n)
  }
  return value
}

function stripTrailingNewlines(s: string): string {
  return s.replace(/\n+$/, '')
}

async function build(word: Word, env: ExpandEnv, split: boolean, b: FieldBuilder): Promise<{ atEmpty: boolean }> {
  let atEmpty = false
  for (let i = 0; i < word.length; i++) {
    const part = word[i]
    if (part.t === 'lit') {
      let v = part.v
      if (i === 0 && !part.q && (v === '~' || v.startsWith('~/'))) v = (env.lookup('HOME') ?? '/') + v.slice(1)
      if (part.q) b.quoted(v)
      else b.literal(v)
      continue
    }
    if (part.t === 'param' && (part.name === '@' || part.name === '*') && !part.op) {
      const args = env.positional()
      if (part.q && part.name === '@') {
        if (args.length === 0) atEmpty = true
        args.forEach((a, idx) => {
          if (idx > 0) b.breakField()
          b.quoted(a)
        })
      } else if (part.q) b.quoted(args.join(' '))
      else if (split) args.forEach((a, idx) => (idx > 0 ? (b.breakField(), b.splittable(a)) : b.splittable(a)))
      else b.literal(args.join(' '))
      continue
    }
    let value: string
    if (part.t === 'param') value = await paramValue(part, env)
    else if (part.t === 'cmd') value = stripTrailingNewlines(await env.substitute(part.src))
    else {
      const src = await expandWord(parseArithWord(part.src), env)
      value = String(evaluateArithmetic(src, (n) => env.lookup(n)))
    }
    if (part.q) b.quoted(value)
    else if (split) b.splittable(value)
    else b.literal(value)
  }
  return { atEmpty }
}

function parseArithWord(src: string): Word {
  const parts: Word = []
  const re = /\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*|[0-9?#$!])|\$\(([^)]*)\)/g
  let last = 0
  for (const m of src.matchAll(re)) {
    if (m.index > last) parts.push({ t: 'lit', v: src.slice(last, m.index), q: true })
    if (m[2] !== undefined) parts.push({ t: 'cmd', src: m[2], q: true })
    else parts.push({ t: 'param', name: m[1].replace(/^\{|\}$/g, ''), q: true })
    last = m.index + m[0].length
  }
  if (last < src.length) parts.push({ t: 'lit', v: src.slice(last), q: true })
  return parts
}

/** Expands a word to one string: no field splitting, no globbing (assignments, redirect targets, here-documents). */
export async function expandWord(word: Word, env: ExpandEnv): Promise<string> {
  const b = new FieldBuilder()
  await build(word, env, false, b)
  return b.cur.text
}

/** Expands words into argument fields with field splitting and pathname expansion, as ash does for a command line. */
export async function expandWords(words: Word[], env: ExpandEnv): Promise<string[]> {
  const out: string[] = []
  for (const word of words) {
    const b = new FieldBuilder()
    const { atEmpty } = await build(word, env, true, b)
    const onlyAt = atEmpty && word.every((p) => p.t === 'param' || (p.t === 'lit' && p.v === ''))
    const fields = b.finish()
    if (onlyAt && fields.every((f) => f.text === '')) continue
    for (const field of fields) {
      const globbable = field.mask.some((active, i) => active && '*?['.includes(field.text[i]))
      if (!globbable) {
        out.push(field.text)
        continue
      }
      const pattern = [...field.text].map((c, i) => (!field.mask[i] && '*?[\\'.includes(c) ? '\\' + c : c)).join('')
      const matches = expandPathname(pattern, env.cwd, env.fs)
      if (matches.length > 0) out.push(...matches)
      else out.push(field.text)
    }
  }
  return out
}

/** True when `text` matches a `case` pattern word (already expanded, with quoted characters escaped). */
export function casePatternMatches(text: string, pattern: string): boolean {
  return globToRegExp(pattern).test(text)
}

/** Expands a `case` pattern word, escaping quoted glob characters. */
export async function expandPattern(word: Word, env: ExpandEnv): Promise<string> {
  const b = new FieldBuilder()
  await build(word, env, false, b)
  return [...b.cur.text].map((c, i) => (!b.cur.mask[i] && '*?[\\'.includes(c) ? '\\' + c : c)).join('')
}
