import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VirtualBoardHandle } from '@board/board'
import { IncompleteInput, parse, ShellSyntaxError } from '@board/shell/parser'
import { startBoard } from './harness'
import { fcSeed } from '../setup/fast-check'

describe('shell parser', () => {
  it.each([
    ['echo "abc', 'quote'],
    ["echo 'abc", 'quote'],
    ['echo `date', 'quote'],
    ['if true; then echo x', 'eof'],
    ['while true; do', 'eof'],
    ['for i in 1 2; do echo $i', 'eof'],
    ['case x in', 'eof'],
    ['echo a &&', 'eof'],
    ['echo a |', 'eof'],
    ['cat <<EOF\nline', 'eof'],
    ['{ echo a', 'eof'],
    ['(echo a', 'eof'],
    ['echo $(date', 'eof'],
  ])('asks for more input (PS2) on %j', (src, reason) => {
    const error = (() => {
      try {
        parse(src + '\n', { interactive: true })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(IncompleteInput)
    expect((error as IncompleteInput).reason).toBe(reason)
  })

  it.each([
    ['fi', 'syntax error: unexpected "fi"'],
    ['echo a; ;', 'syntax error: unexpected ";"'],
    ['then', 'syntax error: unexpected "then"'],
    ['echo >', 'syntax error: unexpected newline'],
    ['| echo', 'syntax error: unexpected "|"'],
  ])('rejects %j with ash wording', (src, message) => {
    expect(() => parse(src + '\n', { interactive: true })).toThrow(new ShellSyntaxError(message))
  })

  it('reads here-document bodies after the line, keeping quoting of the delimiter and <<- tab stripping', () => {
    const list = parse("cat <<'A' > f; cat <<-B\n$x\nA\n\tindented\n\tB\n")
    const [first, second] = list
    const r1 = first.first.cmds[0]
    const r2 = second.first.cmds[0]
    expect(r1.t === 'simple' && r1.redirs[0].heredoc).toEqual({ body: '$x\n', expand: false })
    expect(r2.t === 'simple' && r2.redirs[0].heredoc).toEqual({ body: 'indented\n', expand: true })
  })

  it('splits and-or lists, pipelines and background jobs', () => {
    const list = parse('a && b || c | d & e\n')
    expect(list).toHaveLength(2)
    expect(list[0].background).toBe(true)
    expect(list[0].rest.map((r) => r.op)).toEqual(['&&', '||'])
    expect(list[0].rest[1].pipeline.cmds).toHaveLength(2)
  })
})

describe('shell executor properties', () => {
  let board: VirtualBoardHandle
  beforeAll(async () => {
    board = (await startBoard()).board
    await board.whenReady()
  })
  afterAll(() => board?.close())

  const exec = async (script: string): Promise<string> => {
    let out = ''
    await board.services.exec(script, { stdout: (t) => (out += t), stderr: (t) => (out += `<err>${t}`) })
    return out
  }

  it('prints any printable text unchanged through single quotes and printf %s', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./09:;<=>?@AZaz[\\]^_`{|}~'.split('')), maxLength: 40 }), async (text) => {
        const quoted = `'${text.replace(/'/g, `'"'"'`)}'`
        expect(await exec(`printf '%s\\n' ${quoted}`)).toBe(text + '\n')
      }),
      { seed: fcSeed(), numRuns: 150 },
    )
  })

  it('evaluates integer arithmetic like JavaScript for + - * with small operands', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -999, max: 999 }), fc.integer({ min: -999, max: 999 }), fc.constantFrom('+', '-', '*'), async (a, b, op) => {
        const expected = op === '+' ? a + b : op === '-' ? a - b : a * b
        expect(await exec(`echo $(( ${a} ${op} (${b}) ))`)).toBe(`${expected}\n`)
      }),
      { seed: fcSeed(), numRuns: 100 },
    )
  })

  it('never crashes on random input: errors are sh: messages', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom(...'ab $(){}[]|&;<>\'"`\\\n#*?=!-'.split('')), maxLength: 30 }), async (src) => {
        const out = await exec(src)
        expect(out).not.toContain('internal error')
      }),
      { seed: fcSeed(), numRuns: 300 },
    )
  })
})
