/** Settings store: the station's settings and the language in force (system language unless chosen). */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AppInfo, Settings } from '@shared/ipc'
import { api } from '../api'
import { pickLocale, pseudoRequested, setLocale, type UiLocale } from '../i18n'

/** Settings and app info; applies language and theme to the document. */
export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null)
  const info = ref<AppInfo | null>(null)
  const locale = computed<UiLocale>(() => {
    const pseudo = pseudoRequested()
    if (pseudo) return pseudo
    const chosen = settings.value?.language ?? 'system'
    if (chosen !== 'system') return chosen
    return pickLocale([...(info.value?.systemLanguages ?? []), ...navigator.languages])
  })

  /** The language reports are rendered in: the UI language, English under the pseudo-locale. */
  const reportLocale = computed<'en' | 'zh-CN'>(() => (locale.value === 'zh-CN' ? 'zh-CN' : 'en'))

  function apply() {
    setLocale(locale.value)
    document.documentElement.lang = locale.value
    const theme = settings.value?.theme ?? 'system'
    const dark = theme === 'dark' || (theme === 'system' && window.matchMedia?.('(prefers-color-scheme: dark)').matches)
    document.documentElement.dataset.theme = dark ? 'dark' : 'light'
  }

  async function load() {
    ;[settings.value, info.value] = await Promise.all([api().settings.get(), api().app.info()])
    apply()
    api().settings.onChanged((s) => {
      settings.value = s
      apply()
    })
  }

  async function update(patch: Partial<Settings>) {
    settings.value = await api().settings.set(patch)
    apply()
  }

  return { settings, info, locale, reportLocale, load, update }
})
