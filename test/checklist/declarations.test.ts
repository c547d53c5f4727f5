import { describe, expect, it } from 'vitest'
import { buildPlan, declaredPlan, REMEDIATION_CODES } from '@engine/checklist/index'
import { resolveProfile } from '@engine/profile/index'
import { measurementLabel, stepTitle } from '@shared/i18n/render'
import { hasKey, translator } from '@shared/i18n/translate'

const profiles = [resolveProfile({ modes: ['ecm', 'rndis', 'ppp'] }), resolveProfile({ modes: ['ppp', 'ecm'], ping: { hosts: ['8.8.8.8', 'www.163.com'] }, limits: { csqMinDbm: -80, lossMaxPercent: 5, rttMaxMs: 150 } })]

describe('step declarations', () => {
  it('title every step by its declared key, the same words stepTitle gives its id, and the record’s English title', () => {
    for (const step of buildPlan(profiles[0])) {
      for (const lang of ['en', 'zh-CN'] as const) {
        const t = translator(lang)
        expect(hasKey(step.titleKey), step.id).toBe(true)
        expect(t(step.titleKey, step.titleParams), `${lang} ${step.id}`).toBe(stepTitle(t, step.id))
      }
      expect(step.title).toBe(translator('en')(step.titleKey, step.titleParams))
    }
  })

  it('label every declared measurement in every language, each name once per step', () => {
    for (const profile of profiles) {
      for (const step of declaredPlan(buildPlan(profile), profile)) {
        const names = step.measures.map((m) => m.name)
        expect(new Set(names).size, step.id).toBe(names.length)
        for (const lang of ['en', 'zh-CN'] as const) {
          const t = translator(lang)
          for (const name of names) expect(measurementLabel(t, name), `${lang} ${step.id} ${name}`).not.toBe(t('measure.unknown', { name }))
        }
      }
    }
  })

  it('name only reasons and remediation codes the catalogues know', () => {
    for (const step of buildPlan(profiles[0])) {
      for (const code of step.reasons) expect(hasKey(`reason.${code}`), `${step.id} reason ${code}`).toBe(true)
      for (const code of step.remedies) expect(REMEDIATION_CODES, `${step.id} remedy ${code}`).toContain(code)
    }
  })

  it('read profile-driven limits from the profile', () => {
    const [base, strict] = profiles.map((p) => declaredPlan(buildPlan(p), p))
    const limitOf = (plan: typeof base, id: string, name: string) => plan.find((s) => s.id === id)?.measures.find((m) => m.name === name)
    expect(limitOf(base, 'modem', 'signal')).toEqual({ name: 'signal', unit: 'dBm', limits: { low: -93 } })
    expect(limitOf(strict, 'modem', 'signal')).toEqual({ name: 'signal', unit: 'dBm', limits: { low: -80 } })
    expect(limitOf(strict, 'ecm.net', 'loss_8.8.8.8')).toEqual({ name: 'loss_8.8.8.8', unit: '%', limits: { high: 5 } })
    expect(limitOf(strict, 'ppp.net', 'rtt_avg_www.163.com')).toEqual({ name: 'rtt_avg_www.163.com', unit: 'ms', limits: { high: 150 } })
    expect(limitOf(base, 'restore', 'final_usbnet')).toEqual({ name: 'final_usbnet', limits: { equals: 1 } })
    const rndisFinal = resolveProfile({ finalMode: 'rndis' })
    expect(limitOf(declaredPlan(buildPlan(rndisFinal), rndisFinal), 'restore', 'final_usbnet')?.limits).toEqual({ equals: 3 })
  })
})
