/** One piece of a shell word; `q` marks parts that came from quotes (no field splitting or globbing). */
export type WordPart =
  | { t: 'lit'; v: string; q: boolean }
  | { t: 'param'; name: string; q: boolean; op?: string; arg?: Word }
  | { t: 'cmd'; src: string; q: boolean }
  | { t: 'arith'; src: string; q: boolean }

/** A shell word as parsed, before expansion. */
export type Word = WordPart[]

/** A redirection such as `2>&1`, `>> file` or a here-document. */
export interface Redir {
  fd: number
  op: '>' | '>>' | '<' | '>&' | '<&' | '<<' | '<<-' | '<>' | '>|'
  target: Word
  heredoc?: { body: string; expand: boolean }
}

/** A command node of the syntax tree. */
export type Command =
  | { t: 'simple'; assigns: { name: string; value: Word }[]; words: Word[]; redirs: Redir[] }
  | { t: 'if'; clauses: { cond: List; body: List }[]; otherwise?: List; redirs: Redir[] }
  | { t: 'loop'; until: boolean; cond: List; body: List; redirs: Redir[] }
  | { t: 'for'; name: string; items: Word[] | null; body: List; redirs: Redir[] }
  | { t: 'case'; word: Word; items: { patterns: Word[]; body: List }[]; redirs: Redir[] }
  | { t: 'group'; body: List; redirs: Redir[] }
  | { t: 'subshell'; body: List; redirs: Redir[] }
  | { t: 'func'; name: string; body: Command }

/** Commands joined by `|`, optionally negated with `!`. */
export interface Pipeline {
  bang: boolean
  cmds: Command[]
  /** Source text, for job messages. */
  text: string
}

/** Pipelines joined by `&&` / `||`, run in the background when `background`. */
export interface AndOr {
  first: Pipeline
  rest: { op: '&&' | '||'; pipeline: Pipeline }[]
  background: boolean
  text: string
}

/** A sequence of and-or lists. */
export type List = AndOr[]
