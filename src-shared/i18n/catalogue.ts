/** The message catalogues, one per language, for everything a person reads: UI, engine codes, reports and CLI. */
import uiEn from './ui/en'
import uiZh from './ui/zh-CN'
import engineEn from './engine/en'
import engineZh from './engine/zh-CN'
import reportEn from './engine/report-en'
import reportZh from './engine/report-zh-CN'

/** Languages with a catalogue. */
export type Lang = 'en' | 'zh-CN'
/** Every catalogue language, for option lists. */
export const LANGS: readonly Lang[] = ['en', 'zh-CN']

/** The English catalogue: the reference for every other language's keys. */
export const en = { ...uiEn, ...engineEn, report: reportEn }
/** The shape every catalogue has. */
export type Catalogue = typeof en

/** The Simplified Chinese catalogue. */
export const zhCN: Catalogue = { ...uiZh, ...engineZh, report: reportZh }

/** Catalogues by language. */
export const CATALOGUES: Record<Lang, Catalogue> = { en, 'zh-CN': zhCN }

/** The pseudo-locale's tag: English with every message wrapped in ⟦…⟧, to find text that bypasses the catalogue. */
export const PSEUDO_LANG = 'en-XA'
/** Opening and closing marks of the pseudo-locale. */
export const PSEUDO_MARKS = ['⟦', '⟧'] as const

function wrap(value: unknown): unknown {
  if (typeof value === 'string') return `${PSEUDO_MARKS[0]}${value}${PSEUDO_MARKS[1]}`
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wrap(v)]))
  return value
}

/** The pseudo-locale catalogue built from English. */
export function pseudoCatalogue(): Catalogue {
  return wrap(en) as Catalogue
}

/** Maps OS/browser language tags (or LANG values like `zh_CN.UTF-8`) to a catalogue language: any `zh*` is Chinese, else English. */
export function pickLang(preferred: readonly (string | undefined)[]): Lang {
  for (const tag of preferred) {
    const t = (tag ?? '').toLowerCase()
    if (!t || t === 'c' || t === 'posix') continue
    if (t.startsWith('zh')) return 'zh-CN'
    if (t.startsWith('en')) return 'en'
  }
  return 'en'
}
