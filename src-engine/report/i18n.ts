import type { StepRecord } from '@shared/record'
import reportEn from '@shared/i18n/engine/report-en'
import { stepTitle as titleOf } from '@shared/i18n/render'
import { translator, type Translate } from '@shared/i18n/translate'

/** Languages the reports are written in. */
export type ReportLang = 'en' | 'zh-CN'
/** Every report language, for option lists. */
export const REPORT_LANGS: readonly ReportLang[] = ['en', 'zh-CN']

type Labels = { [K in Exclude<keyof typeof reportEn, 'verdictWord' | 'statusWord'>]: string }

const cache = new Map<ReportLang, Labels>()

/** The translator of a report language (vue-i18n's core over the shared catalogues). */
export function reportT(lang: ReportLang): Translate {
  return translator(lang)
}

/** Report labels in the given language, from the catalogue's `report` section. */
export function labels(lang: ReportLang): Labels {
  let found = cache.get(lang)
  if (!found) {
    const t = translator(lang)
    found = Object.fromEntries(Object.keys(reportEn).filter((k) => k !== 'verdictWord' && k !== 'statusWord').map((k) => [k, t(`report.${k}`)])) as Labels
    cache.set(lang, found)
  }
  return found
}

/** Verdict word shown beside its mark. */
export function verdictText(verdict: string, lang: ReportLang): string {
  const key = `report.verdictWord.${verdict}`
  const text = translator(lang)(key)
  return text === key ? verdict : text
}

/** Run status in words. */
export function statusText(status: string, lang: ReportLang): string {
  const key = `report.statusWord.${status}`
  const text = translator(lang)(key)
  return text === key ? status : text
}

/** Step title in the report language, from the step id. */
export function stepTitle(step: Pick<StepRecord, 'id' | 'title'>, lang: ReportLang): string {
  return titleOf(translator(lang), step.id)
}

/** Formats a duration in ms as `1 h 2 min 3.4 s` style text. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}
