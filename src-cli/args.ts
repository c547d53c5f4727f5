/** The one argument parser of every CLI sub-command: node:util parseArgs, its problems turned into UsageErrors naming the flag, plus `--lang`. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { Lang } from '@shared/i18n/catalogue'
import type { Translate } from '@shared/i18n/translate'
import { UsageError } from './command'
import { cliT, envLang, parseLangOption } from './lang'

/** One option as parseArgs takes it. */
export type ArgOption = NonNullable<ParseArgsConfig['options']>[string]
/** A command's options by long name. */
export type ArgOptions = Record<string, ArgOption>

type Strict<O extends ArgOptions> = { args: string[]; options: O & { lang: { type: 'string' } }; strict: true; allowPositionals: true }
/** The typed values parseArgs gives for `O` (plus `lang`). */
export type ArgValues<O extends ArgOptions> = ReturnType<typeof parseArgs<Strict<O>>>['values']

/** What a command gets back: typed values, positionals, the language in force and its translator. */
export interface ParsedArgs<O extends ArgOptions> {
  values: ArgValues<O>
  positionals: string[]
  lang: Lang
  t: Translate
}

/** How many positionals a command takes: a number is the most allowed (default 0). */
export interface ArgRules {
  positionals?: number
}

/** Parses `argv` with parseArgs against `options` (every command also takes `--lang en|zh-CN`); an unknown option, a missing or unwanted value, a repeated single option or a positional too many is a UsageError naming it. Trusts nothing in argv. */
export function parseCommandArgs<O extends ArgOptions>(argv: readonly string[], env: NodeJS.ProcessEnv, options: O, rules: ArgRules = {}): ParsedArgs<O> {
  const all: ArgOptions = { ...options, lang: { type: 'string' } }
  const { values, positionals, tokens } = parseArgs({ args: [...argv], options: all, strict: false, allowPositionals: true, tokens: true })
  const seen = new Set<string>()
  let afterTerminator = false
  for (const token of tokens) {
    if (token.kind === 'option-terminator') afterTerminator = true
    if (token.kind !== 'option') continue
    const spec = Object.prototype.hasOwnProperty.call(all, token.name) ? all[token.name] : undefined
    const flag = token.rawName
    if (!spec) throw new UsageError('cli.args.unknownOption', { flag })
    if (spec.type === 'boolean' && token.value !== undefined) throw new UsageError('cli.args.takesNoValue', { flag })
    if (spec.type === 'string') {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) throw new UsageError('cli.args.needsValue', { flag })
      if (!spec.multiple && seen.has(token.name)) throw new UsageError('cli.args.givenTwice', { flag })
    }
    seen.add(token.name)
  }
  const most = rules.positionals ?? 0
  if (positionals.length > most) {
    const extra = positionals[most]
    throw new UsageError(extra.startsWith('-') && !afterTerminator ? 'cli.args.unknownOption' : 'cli.args.unexpected', { flag: extra, arg: extra })
  }
  const lang = typeof values.lang === 'string' ? parseLangOption(values.lang) : envLang(env)
  return { values: values as ArgValues<O>, positionals, lang, t: cliT(lang) }
}
