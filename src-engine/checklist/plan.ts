/** The ordered step list of a run for a profile: base checks, then each mode's steps in the profile's order, then restore. */
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

/** Builds the plan; `ppp-config` is included only when PPP is among the modes. */
export function buildPlan(profile: Profile): StepDefinition[] {
  const steps: StepDefinition[] = [consoleStep, usbStep, driversStep, userlandStep, modemStep]
  if (profile.modes.includes('ppp')) steps.push(pppConfigStep)
  for (const mode of profile.modes) {
    if (mode === 'ppp') steps.push(pppDialStep, netStep('ppp', 'ppp0'))
    else steps.push(modeStep(mode), dialStep(mode), netStep(mode, 'usb0'))
  }
  steps.push(restoreStep)
  return steps
}
