/** An arithmetic expansion failed; the message is ash's (without `sh: `). */
export class ArithError extends Error {}

const TOKEN_RE = /\s*(0x[0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()<>!~&|^?:])/y

/** Evaluates a `$((...))` expression with 64-bit-ish integer semantics; variables are read through `lookup`. */
export function evaluateArithmetic(expr: string, lookup: (name: string) => string | undefined): number {
  const tokens: string[] = []
  TOKEN_RE.lastIndex = 0
  let pos = 0
  const text = expr.trim()
  while (pos < text.length) {
    TOKEN_RE.lastIndex = pos
    const m = TOKEN_RE.exec(text)
    if (!m) throw new ArithError('arithmetic syntax error')
    tokens.push(m[1])
    pos = TOKEN_RE.lastIndex
    while (text[pos] === ' ' || text[pos] === '\t' || text[pos] === '\n') pos++
  }
  let i = 0
  const peek = (): string | undefined => tokens[i]
  const take = (): string | undefined => tokens[i++]
  const value = (name: string): number => {
    const raw = lookup(name)
    if (raw === undefined || raw === '') return 0
    const n = Number(raw.trim())
    if (!Number.isInteger(n)) throw new ArithError('arithmetic syntax error')
    return n
  }
  const binary: [string[], (a: number, b: number, op: string) => number][] = [
    [['||'], (a, b) => (a || b ? 1 : 0)],
    [['&&'], (a, b) => (a && b ? 1 : 0)],
    [['|'], (a, b) => a | b],
    [['^'], (a, b) => a ^ b],
    [['&'], (a, b) => a & b],
    [['==', '!='], (a, b, op) => ((op === '==') === (a === b) ? 1 : 0)],
    [['<', '<=', '>', '>='], (a, b, op) => (op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b) ? 1 : 0],
    [['<<', '>>'], (a, b, op) => (op === '<<' ? a << b : a >> b)],
    [['+', '-'], (a, b, op) => (op === '+' ? a + b : a - b)],
    [
      ['*', '/', '%'],
      (a, b, op) => {
        if (op === '*') return a * b
        if (b === 0) throw new ArithError('divide by zero')
        return op === '/' ? Math.trunc(a / b) : a % b
      },
    ],
  ]
  const unary = (): number => {
    const t = take()
    if (t === undefined) throw new ArithError('arithmetic syntax error')
    if (t === '-') return -unary()
    if (t === '+') return unary()
    if (t === '!') return unary() ? 0 : 1
    if (t === '~') return ~unary()
    if (t === '(') {
      const v = ternary()
      if (take() !== ')') throw new ArithError('arithmetic syntax error')
      return v
    }
    if (/^\d/.test(t)) return Number(t)
    if (/^[A-Za-z_]/.test(t)) return value(t)
    throw new ArithError('arithmetic syntax error')
  }
  const level = (n: number): number => {
    if (n >= binary.length) return unary()
    const [ops, fn] = binary[n]
    let left = level(n + 1)
    while (peek() !== undefined && ops.includes(peek() as string)) {
      const op = take() as string
      left = fn(left, level(n + 1), op)
    }
    return left
  }
  const ternary = (): number => {
    const cond = level(0)
    if (peek() !== '?') return cond
    take()
    const a = ternary()
    if (take() !== ':') throw new ArithError('arithmetic syntax error')
    const b = ternary()
    return cond ? a : b
  }
  if (tokens.length === 0) return 0
  const result = ternary()
  if (i !== tokens.length) throw new ArithError('arithmetic syntax error')
  return result
}
