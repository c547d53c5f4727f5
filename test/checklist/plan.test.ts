import { describe, expect, it } from 'vitest'
import { bringupPlan, PlanError, UnknownStepError, withNeeds } from '@engine/bringup/index'
import { buildPlan, Checklist, KNOWN_STEP_IDS, type StepDefinition } from '@engine/checklist/index'
import { resolveProfile } from '@engine/profile/index'
import { translator } from '@shared/i18n/translate'
import { keyedText } from '@shared/i18n/render'
import { thrownMessage } from '@shared/thrown'
import { scriptedSession } from './support/fake-session'

function fake(id: string, needs: string[]): StepDefinition {
  return { id, title: id, titleKey: 'step.unknown', needs, measures: [], reasons: [], remedies: [], run: () => Promise.resolve({ verdict: 'pass' }) }
}

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return undefined
}

describe('plan validation', () => {
  it('a misspelt need is a PlanError naming the step and the need, not silently ignored', () => {
    const plan = [fake('console', []), fake('usb', ['console']), fake('modem', ['usbb'])]
    const error = thrown(() => withNeeds(plan, undefined))
    expect(error).toBeInstanceOf(PlanError)
    expect(error).toMatchObject({ code: 'unknown-need', params: { step: 'modem', need: 'usbb' }, key: 'planError.unknown-need' })
    expect(thrown(() => withNeeds(plan, ['usb']))).toMatchObject({ code: 'unknown-need' })
  })

  it('a need on a step that comes later, or on itself, is a PlanError', () => {
    expect(thrown(() => withNeeds([fake('console', ['usb']), fake('usb', [])], undefined))).toMatchObject({ code: 'need-order', params: { step: 'console', need: 'usb' } })
    expect(thrown(() => withNeeds([fake('console', ['console'])], undefined))).toMatchObject({ code: 'need-order', params: { step: 'console', need: 'console' } })
  })

  it('a duplicate step id is a PlanError, in the plan and in the runner', () => {
    const plan = [fake('console', []), fake('usb', ['console']), fake('console', [])]
    expect(thrown(() => withNeeds(plan, undefined))).toMatchObject({ code: 'duplicate-step', params: { step: 'console' } })
    const session = scriptedSession(() => ({ output: '' }))
    expect(thrown(() => new Checklist({ board: { session, port: 'fake' }, profile: resolveProfile(undefined), steps: plan, appVersion: '0.0.0-test' }))).toMatchObject({ code: 'duplicate-step' })
  })

  it('a need on a known step this profile leaves out is allowed; an id no plan has is not', () => {
    const plan = [fake('console', []), fake('restore', ['console', 'ppp-config'])]
    expect(withNeeds(plan, ['restore']).map((s) => s.id)).toEqual(['console', 'restore'])
    expect(KNOWN_STEP_IDS).toContain('ppp-config')
    expect(thrown(() => withNeeds([fake('console', []), fake('restore', ['ppp-confg'])], undefined))).toMatchObject({ code: 'unknown-need', params: { need: 'ppp-confg' } })
  })

  it('the engine’s plans are valid for every mode order, and know every id they use', () => {
    for (const modes of [['ecm'], ['rndis'], ['ppp'], ['ecm', 'rndis', 'ppp'], ['ppp', 'ecm']] as const) {
      const plan = bringupPlan(resolveProfile({ modes: [...modes] }))
      for (const step of plan) expect(KNOWN_STEP_IDS).toContain(step.id)
    }
    expect(buildPlan(resolveProfile({ modes: ['ecm'] })).map((s) => s.id)).not.toContain('ppp-config')
    expect(thrown(() => bringupPlan(resolveProfile(undefined), undefined, ['modme']))).toBeInstanceOf(UnknownStepError)
  })

  it('says a plan error through the catalogues in English and Chinese', () => {
    const error = thrown(() => withNeeds([fake('console', []), fake('modem', ['usbb'])], undefined))
    const keyed = thrownMessage(error)
    expect(keyed).toEqual({ key: 'planError.unknown-need', params: { step: 'modem', need: 'usbb' } })
    expect(keyedText(translator('en'), keyed as NonNullable<typeof keyed>)).toBe('The step modem needs usbb, which is no step of the checklist (a misspelt step id?)')
    expect(keyedText(translator('zh-CN'), keyed as NonNullable<typeof keyed>)).toBe('步骤 modem 依赖 usbb，但检查清单中没有这个步骤（步骤 id 拼写错误？）')
    expect((error as Error).message).toBe('The step modem needs usbb, which is no step of the checklist (a misspelt step id?)')
  })
})
