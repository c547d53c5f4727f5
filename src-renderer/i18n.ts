/** vue-i18n setup over the shared catalogues (src-shared/i18n): English and Simplified Chinese, plus the en-XA pseudo-locale for catalogue checks. */
import { createI18n } from 'vue-i18n'
import { CATALOGUES, pickLang, PSEUDO_LANG, pseudoCatalogue, type Catalogue, type Lang } from '@shared/i18n/catalogue'
import type { T } from '@shared/i18n/render'

/** Supported UI languages; `en-XA` is the pseudo-locale (every message wrapped in ⟦…⟧). */
export type UiLocale = Lang | typeof PSEUDO_LANG

/** Maps OS/browser language tags to a supported locale: any `zh*` is Simplified Chinese, anything else English. */
export function pickLocale(preferred: readonly string[]): Lang {
  return pickLang(preferred)
}

/** The i18n instance the app installs. */
export const i18n = createI18n<[Catalogue], UiLocale, false>({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  missingWarn: false,
  fallbackWarn: false,
  messages: { en: CATALOGUES.en, 'zh-CN': CATALOGUES['zh-CN'], [PSEUDO_LANG]: pseudoCatalogue() } as Record<UiLocale, Catalogue>,
})

/** Switches the UI language. */
export function setLocale(locale: UiLocale): void {
  i18n.global.locale.value = locale
}

/** The pseudo-locale when the page was opened with `?pseudo=1` (catalogue checks), else undefined. */
export function pseudoRequested(): UiLocale | undefined {
  return new URLSearchParams(window.location.search).get('pseudo') === '1' ? PSEUDO_LANG : undefined
}

/** The global translator as the shared renderers take it. */
export const tr: T = (key, params) => i18n.global.t(key, params ?? {})
