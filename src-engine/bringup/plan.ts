/** The steps of one bring-up: the flash step first when a flash preceded it, the profile's checklist, cut down to the requested steps and what they need. */
import type { FlashResult } from '@shared/flash'
import { buildPlan, validatePlan } from '../checklist/plan'
import type { StepDefinition } from '../checklist/types'
import { flashStep } from '../flash/step'
import type { Profile } from '../profile/schema'

/** A requested step id that is not in the plan; `code` is `unknown-step`, `ids` the names asked for. */
export class UnknownStepError extends Error {
  readonly code = 'unknown-step'
  constructor(readonly ids: string[]) {
    super(`No step named ${ids.join(', ')} in the checklist`)
    this.name = 'UnknownStepError'
  }
}

/** The plan, validated (PlanError), cut down to the `only` steps and every step they need, in plan order; the whole plan when `only` is absent; throws UnknownStepError for an id not in the plan. Pure. */
export function withNeeds(plan: StepDefinition[], only: string[] | undefined): StepDefinition[] {
  validatePlan(plan)
  if (!only) return plan
  const unknown = only.filter((id) => !plan.some((s) => s.id === id))
  if (unknown.length) throw new UnknownStepError(unknown)
  const keep = new Set<string>()
  const add = (id: string) => {
    if (keep.has(id)) return
    keep.add(id)
    for (const need of plan.find((s) => s.id === id)?.needs ?? []) add(need)
  }
  only.forEach(add)
  return plan.filter((s) => keep.has(s.id))
}

/** The bring-up plan for `profile`, with the `flash` step first when `flash` is given, validated (PlanError), cut down to `only` (and its needs). */
export function bringupPlan(profile: Profile, flash?: FlashResult, only?: string[]): StepDefinition[] {
  return withNeeds(flash ? [flashStep(flash), ...buildPlan(profile)] : buildPlan(profile), only)
}
