import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { buildPlan } from '@engine/checklist/index'
import { resolveProfile } from '@engine/profile/index'
import { guideFor } from '../../src-renderer/guide/guides'
import en from '../../src-shared/i18n/ui/en'
import zhCN from '../../src-shared/i18n/ui/zh-CN'

function lookup(messages: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), messages)
}

describe('step guidance', () => {
  it('every step of the checklist (and the flash step) has guidance whose text exists in English and Chinese', () => {
    const ids = ['flash', ...buildPlan(resolveProfile(undefined)).map((s) => s.id)]
    for (const id of ids) {
      const guide = guideFor(id)
      expect(guide, id).toBeDefined()
      for (const k of guide!.before) for (const m of [en, zhCN]) expect(typeof lookup(m, `guide.do.${k}`), `${id}: guide.do.${k}`).toBe('string')
      for (const k of guide!.look) for (const m of [en, zhCN]) expect(typeof lookup(m, `guide.see.${k}`), `${id}: guide.see.${k}`).toBe('string')
    }
    expect(guideFor('modem')?.pictures).toEqual(['sim', 'antenna'])
    expect(guideFor('console')?.pictures).toEqual(['cable'])
    expect(guideFor('usb')?.pictures).toEqual(['usb'])
    expect(guideFor('flash')?.pictures).toEqual(['boot'])
  })

  it('every label in the drawings comes from the catalogue, in both languages', () => {
    const dir = join(__dirname, '../../src-renderer/guide')
    for (const file of readdirSync(dir).filter((f) => f.endsWith('Drawing.vue'))) {
      const text = readFileSync(join(dir, file), 'utf8')
      const keys = [...text.matchAll(/t\('([a-zA-Z.]+)'\)/g)].map((m) => m[1])
      expect(keys.length, file).toBeGreaterThan(2)
      for (const key of keys) for (const m of [en, zhCN]) expect(typeof lookup(m, key), `${file}: ${key}`).toBe('string')
      const template = text.slice(text.indexOf('<template>'))
      const literal = [...template.matchAll(/>([^<>{}]*[A-Za-z\u4e00-\u9fff][^<>{}]*)</g)].map((m) => m[1].trim()).filter((s) => s && !/^(K230|EC200A|BOOT|GND|TX|RX|\d\.)$/.test(s))
      expect(literal, `${file}: words not from the catalogue`).toEqual([])
    }
  })
})
