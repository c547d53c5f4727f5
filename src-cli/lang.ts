/** The CLI's language: `--lang` when given, else LC_ALL, LC_MESSAGES, LANG (POSIX order); English otherwise. */
import { pickLang, type Lang } from '@shared/i18n/catalogue'
import { translator, type Translate } from '@shared/i18n/translate'
import { UsageError } from './command'

/** Parses a `--lang` value; throws a usage error naming the accepted values. */
export function parseLangOption(text: string): Lang {
  const t = text.trim().toLowerCase()
  if (t === 'en' || t.startsWith('en-') || t.startsWith('en_')) return 'en'
  if (t === 'zh' || t.startsWith('zh-') || t.startsWith('zh_')) return 'zh-CN'
  throw new UsageError('cli.args.unknownLang', { value: text })
}

/** The language of the environment: the first set of LC_ALL, LC_MESSAGES, LANG. */
export function envLang(env: NodeJS.ProcessEnv): Lang {
  const first = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '')
  return pickLang([first])
}

/** Takes `--lang X` or `--lang=X` out of `argv` (in place) and returns the language in force. */
export function takeLang(argv: string[], env: NodeJS.ProcessEnv): Lang {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--lang') {
      const value = argv[i + 1]
      if (value === undefined || value.startsWith('--')) throw new UsageError('cli.args.langNeedsValue')
      argv.splice(i, 2)
      return parseLangOption(value)
    }
    if (arg.startsWith('--lang=')) {
      argv.splice(i, 1)
      return parseLangOption(arg.slice(7))
    }
  }
  return envLang(env)
}

/** The language `argv` asks for with `--lang` (left in place), else the environment's; an unusable `--lang` value falls back to the environment (the command's parser then reports it). */
export function peekLang(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  try {
    return takeLang([...argv], env)
  } catch {
    return envLang(env)
  }
}

/** The CLI's translator for `lang` (the app's catalogues through vue-i18n's core). */
export function cliT(lang: Lang): Translate {
  return translator(lang)
}
