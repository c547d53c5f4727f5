/** vue-i18n setup: English and Simplified Chinese, following the system language unless the settings pick one. */
import { createI18n } from 'vue-i18n'
import en from './locales/en'
import zhCN from './locales/zh-CN'

/** Supported UI languages. */
export type UiLocale = 'en' | 'zh-CN'

/** Maps OS/browser language tags to a supported locale: any `zh*` is Simplified Chinese, anything else English. */
export function pickLocale(preferred: readonly string[]): UiLocale {
  for (const tag of preferred) {
    const t = tag.toLowerCase()
    if (t.startsWith('zh')) return 'zh-CN'
    if (t.startsWith('en')) return 'en'
  }
  return 'en'
}

/** The i18n instance the app installs. */
export const i18n = createI18n<[typeof en], UiLocale, false>({ legacy: false, locale: 'en', fallbackLocale: 'en', messages: { en, 'zh-CN': zhCN } })

/** Switches the UI language. */
export function setLocale(locale: UiLocale): void {
  i18n.global.locale.value = locale
}
