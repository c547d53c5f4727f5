/** The ordered step list of a run for a profile: base checks, then each mode's steps in the profile's order, then restore; checked before anything runs. */
import { NET_MODES, type NetMode } from '@shared/record'
import type { Profile } from '../profile/schema'
import type { StepDefinition } from './types'
import { consoleStep } from './steps/console'
import { usbStep } from './steps/usb'
import { driversStep } from './steps/drivers'
import { userlandStep } from './steps/userland'
import { modemStep } from './steps/modem'
import { pppConfigStep } from './steps/ppp-config'
import { dialStep, modeStep } from './steps/mode'
import { netStep } from './steps/net'
import { pppDialStep } from './steps/ppp'
import { restoreStep } from './steps/restore'
import { english } from './remediation'

/** What is wrong with a plan: a step listed twice, a need naming no step the engine knows, or a need on a step that does not come before. */
export type PlanErrorCode = 'duplicate-step' | 'unknown-need' | 'need-order'

/** A plan that cannot run; `key` (`planError.<code>`) and `params` (`step`, and `need` for a need) say it in the catalogues. */
export class PlanError extends Error {
  override name = 'PlanError'
  readonly key: string
  constructor(
    readonly code: PlanErrorCode,
    readonly params: Record<string, string>,
  ) {
    super(english(`planError.${code}`, params))
    this.key = `planError.${code}`
  }
}

function stepsFor(modes: readonly NetMode[]): StepDefinition[] {
  const steps: StepDefinition[] = [consoleStep, usbStep, driversStep, userlandStep, modemStep]
  if (modes.includes('ppp')) steps.push(pppConfigStep)
  for (const mode of modes) {
    if (mode === 'ppp') steps.push(pppDialStep, netStep('ppp', 'ppp0'))
    else steps.push(modeStep(mode), dialStep(mode), netStep(mode, 'usb0'))
  }
  steps.push(restoreStep)
  return steps
}

/** Every step id the engine knows: the flash step and the checklist's steps of every mode. */
export const KNOWN_STEP_IDS: readonly string[] = ['flash', ...stepsFor(NET_MODES).map((s) => s.id)]

/**
 * Throws PlanError for a duplicate step id, a need naming no step in `known`, or a need on a step of the plan that does not come
 * before the step. A need on a known step the plan leaves out (a profile without PPP has no `ppp-config`) is allowed: there is nothing to wait for. Pure.
 */
export function validatePlan(plan: readonly StepDefinition[], known: readonly string[] = KNOWN_STEP_IDS): void {
  const seen = new Map<string, number>()
  for (const [index, step] of plan.entries()) {
    if (seen.has(step.id)) throw new PlanError('duplicate-step', { step: step.id })
    seen.set(step.id, index)
  }
  for (const [index, step] of plan.entries()) {
    for (const need of step.needs) {
      const at = seen.get(need)
      if (at === undefined && !known.includes(need)) throw new PlanError('unknown-need', { step: step.id, need })
      if (at !== undefined && at >= index) throw new PlanError('need-order', { step: step.id, need })
    }
  }
}

/** Builds and validates the plan; `ppp-config` is included only when PPP is among the modes. */
export function buildPlan(profile: Profile): StepDefinition[] {
  const steps = stepsFor(profile.modes)
  validatePlan(steps)
  return steps
}
