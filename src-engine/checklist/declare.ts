/** What a step declares, applied: the declaration of a measured name, its limits for a profile, and the check that an outcome gives only declared codes. */
import type { Limits } from '@shared/record'
import type { Coded } from '@shared/i18n/render'
import type { Profile } from '../profile/schema'
import { reason } from './remediation'
import type { NetMode } from '@shared/record'
import type { MeasurementDeclaration, StepDefinition, StepOutcome } from './types'

/** Codes of the programming errors a declaration catches. */
export type UndeclaredCode = 'undeclared-measurement' | 'undeclared-reason' | 'undeclared-remedy'

/** A step measured a name, or gave a reason or remediation code, it does not declare; `code` names which, `params` the step and the name. */
export class UndeclaredError extends Error {
  override name = 'UndeclaredError'
  constructor(
    readonly code: UndeclaredCode,
    readonly params: { step: string; name: string },
  ) {
    super(`step ${params.step} gave ${params.name}, which it does not declare (${code})`)
  }

  /** The coded reason the attempt ends with. */
  get coded(): Coded {
    return reason(this.code, this.params)
  }
}

/** The declaration `name` falls under for `profile`: its own, or a per-host one (`loss_8.8.8.8` when the profile pings 8.8.8.8); undefined when none. Pure. */
export function declarationOf(measures: readonly MeasurementDeclaration[], name: string, profile: Profile): MeasurementDeclaration | undefined {
  const own = measures.find((m) => m.name === name)
  if (own) return own
  return measures.find((m) => m.perHost && profile.ping.hosts.some((host) => name === `${m.name}_${host}`))
}

/** The limits a declaration sets for `profile` (fixed or read from the profile). Pure. */
export function limitsFor(declaration: MeasurementDeclaration, profile: Profile): Limits | undefined {
  return typeof declaration.limits === 'function' ? declaration.limits(profile) : declaration.limits
}

/** The UndeclaredError of an outcome whose reason or remediation code the step does not declare, else undefined. Pure. */
export function undeclaredIn(step: Pick<StepDefinition, 'id' | 'reasons' | 'remedies'>, outcome: StepOutcome): UndeclaredError | undefined {
  if (outcome.reason && !step.reasons.includes(outcome.reason.code)) return new UndeclaredError('undeclared-reason', { step: step.id, name: outcome.reason.code })
  if (outcome.verdict === 'fail' && !(step.remedies as readonly string[]).includes(outcome.remediation.code)) return new UndeclaredError('undeclared-remedy', { step: step.id, name: outcome.remediation.code })
  return undefined
}

/** The limits of an IPv4 address measurement (`ip`, `ppp0_ip`, resolved `dns`). */
export const IPV4_LIMITS: Limits = { pattern: '^\\d+\\.\\d+\\.\\d+\\.\\d+$', text: 'ipv4' }

/** One measurement of a step as a run with the profile records it: its name (per host when the profile pings several), unit and limits. */
export interface DeclaredMeasurement {
  name: string
  unit?: string
  limits?: Limits
}

/** One step of a plan as it declares itself, for review: title, needs (those the plan leaves out apart), measurements with their limits, codes. */
export interface DeclaredStep {
  id: string
  title: string
  titleKey: string
  titleParams?: Record<string, string>
  needs: string[]
  /** Needs on known steps this plan leaves out: nothing to wait for. */
  needsNotPlanned: string[]
  mode?: NetMode
  offline?: boolean
  measures: DeclaredMeasurement[]
  reasons: string[]
  remedies: string[]
}

/** The measurement names a declaration gives for `profile`: its own, or one per ping host when it is per host and the profile pings several. Pure. */
export function namesFor(declaration: MeasurementDeclaration, profile: Profile): string[] {
  const hosts = profile.ping.hosts
  return declaration.perHost && hosts.length > 1 ? hosts.map((host) => `${declaration.name}_${host}`) : [declaration.name]
}

/** The declarations of `plan` resolved for `profile` (limits read from it, per-host names expanded), as data. Pure; trusts the plan is validated. */
export function declaredPlan(plan: readonly StepDefinition[], profile: Profile): DeclaredStep[] {
  const ids = new Set(plan.map((s) => s.id))
  return plan.map((step) => {
    const measures = step.measures.flatMap((m) => {
      const limits = limitsFor(m, profile)
      return namesFor(m, profile).map((name): DeclaredMeasurement => ({ name, ...(m.unit ? { unit: m.unit } : {}), ...(limits ? { limits } : {}) }))
    })
    return {
      id: step.id,
      title: step.title,
      titleKey: step.titleKey,
      ...(step.titleParams ? { titleParams: step.titleParams } : {}),
      needs: [...step.needs],
      needsNotPlanned: step.needs.filter((n) => !ids.has(n)),
      ...(step.mode ? { mode: step.mode } : {}),
      ...(step.offline ? { offline: true } : {}),
      measures,
      reasons: [...step.reasons],
      remedies: [...step.remedies],
    }
  })
}
