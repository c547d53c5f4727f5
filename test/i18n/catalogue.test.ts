import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { baseCompile } from '@intlify/message-compiler'
import { CATALOGUES, en, zhCN } from '../../src-shared/i18n/catalogue'
import { REFERENCE_DOC, REFERENCE_SECTIONS, REMEDY_SECTION } from '../../src-shared/i18n/refs'
import { REMEDIATION_CODES } from '../../src-engine/checklist/remediation'
import { translator } from '../../src-shared/i18n/translate'
import { remedyText, stepTitle } from '../../src-shared/i18n/render'
import { buildPlan } from '../../src-engine/checklist/plan'
import { resolveProfile } from '../../src-engine/profile/index'
import { leaves } from './helpers/english-pieces'

function params(message: string): string[] {
  return [...message.matchAll(/\{\s*([A-Za-z_]\w*)\s*\}/g)].map((m) => m[1]).sort()
}

describe('message catalogues', () => {
  const english = leaves(en)
  const chinese = leaves(zhCN)

  it('have the same keys in every language', () => {
    expect([...chinese.keys()].filter((k) => !english.has(k))).toEqual([])
    expect([...english.keys()].filter((k) => !chinese.has(k))).toEqual([])
  })

  it('name the same parameters in every language', () => {
    const differ = [...english].filter(([k, v]) => chinese.has(k) && params(v).join() !== params(chinese.get(k) as string).join()).map(([k]) => k)
    expect(differ).toEqual([])
  })

  it('compile with vue-i18n’s message compiler in every language', () => {
    for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
      const broken: string[] = []
      for (const [key, message] of leaves(catalogue)) {
        baseCompile(message, { onError: () => broken.push(`${lang} ${key}`) })
        if (message.trim() === '') broken.push(`${lang} ${key} (empty)`)
      }
      expect(broken).toEqual([])
    }
  })

  it('give every remediation a cause, a physical then a software action, and a reference section that exists', () => {
    const doc = readFileSync(REFERENCE_DOC, 'utf8')
    const anchors = new Set(
      [...doc.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
        m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').trim().replace(/\s/g, '-'),
      ),
    )
    for (const lang of ['en', 'zh-CN'] as const) {
      const t = translator(lang)
      for (const code of REMEDIATION_CODES) {
        const text = remedyText(t, { code, cause: '', fix: '' })
        expect(text.cause, `${lang} ${code}`).not.toMatch(/^remedy\./)
        expect(text.physical, `${lang} ${code}`).not.toMatch(/^remedy\./)
        expect(text.software, `${lang} ${code}`).not.toMatch(/^remedy\./)
        expect(text.fix.startsWith(text.physical), `${lang} ${code}`).toBe(true)
        expect(text.reference?.text, `${lang} ${code}`).not.toMatch(/ref\.section/)
        expect(anchors.has(REFERENCE_SECTIONS[REMEDY_SECTION[code]].anchor), `${code} → ${REMEDY_SECTION[code]}`).toBe(true)
      }
    }
  })

  it('title every planned step in every language', () => {
    const plan = buildPlan(resolveProfile({ modes: ['ecm', 'rndis', 'ppp'] }))
    for (const lang of ['en', 'zh-CN'] as const) {
      const t = translator(lang)
      for (const step of [...plan.map((s) => s.id), 'flash']) expect(stepTitle(t, step), `${lang} ${step}`).not.toMatch(/^step\.|Step |步骤 /)
    }
    expect(stepTitle(translator('zh-CN'), 'ecm.mode')).toBe('ECM 模式切换')
  })
})
