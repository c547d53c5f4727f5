/** Translating outside Vue (reports, CLI, engine English record text) with vue-i18n's core (@intlify/core-base) over the same catalogues. */
import { compile, createCoreContext, fallbackWithLocaleChain, registerLocaleFallbacker, registerMessageCompiler, registerMessageResolver, resolveValue, translate } from '@intlify/core-base'
import { CATALOGUES, PSEUDO_LANG, pseudoCatalogue, type Lang } from './catalogue'

/** Translates a catalogue key with named parameters. */
export type Translate = (key: string, params?: Record<string, unknown>) => string

registerMessageCompiler(compile)
registerMessageResolver(resolveValue)
registerLocaleFallbacker(fallbackWithLocaleChain)

type Context = ReturnType<typeof createCoreContext>
const translateNamed = translate as unknown as (ctx: Context, key: string, named: Record<string, unknown>) => unknown

const contexts = new Map<string, Context>()

function contextFor(lang: Lang | typeof PSEUDO_LANG): Context {
  let ctx = contexts.get(lang)
  if (!ctx) {
    const messages = { ...CATALOGUES, [PSEUDO_LANG]: pseudoCatalogue() }
    ctx = createCoreContext({ locale: lang, fallbackLocale: 'en', messages, missingWarn: false, fallbackWarn: false })
    contexts.set(lang, ctx)
  }
  return ctx
}

/** The translator for `lang`; a key missing in the catalogue comes back as the key itself. */
export function translator(lang: Lang | typeof PSEUDO_LANG): Translate {
  const ctx = contextFor(lang)
  return (key, params) => {
    const out = translateNamed(ctx, key, params ?? {})
    return typeof out === 'string' ? out : key
  }
}

/** True when `key` names a message in English. */
export function hasKey(key: string): boolean {
  return typeof resolveValue(CATALOGUES.en, key) === 'string'
}
