/** `k230-bringup plan`: a profile's checklist as its steps declare it, to review needs, limits and codes in one place. */
import { resolve } from 'node:path'
import { bringupPlan, PlanError, UnknownStepError } from '@engine/bringup/index'
import { declaredPlan, type DeclaredMeasurement, type DeclaredStep } from '@engine/checklist/index'
import { loadProfileFile, ProfileError, resolveProfile, type Profile } from '@engine/profile/index'
import { keyedText, limitsText, measurementLabel, unitText } from '@shared/i18n/render'
import { translator, type Translate } from '@shared/i18n/translate'
import { EXIT, UsageError, type CliCommand } from '../command'
import { parseCommandArgs } from '../args'

function measureLine(m: DeclaredMeasurement, t: Translate): string {
  const limits = m.limits ? limitsText(t, m.limits, m.unit) : m.unit ? t('cli.plan.unitNoLimit', { unit: unitText(t, m.unit) }) : t('cli.plan.noLimit')
  return t('cli.plan.measure', { label: measurementLabel(t, m.name), name: m.name, limits })
}

/** The plan as a person reads it, in the language of `t`: a head line, then each step with its needs, measurements and codes. Pure. */
export function planText(steps: readonly DeclaredStep[], profile: Profile, t: Translate): string {
  const list = (items: readonly string[]) => (items.length ? items.join(', ') : t('cli.plan.none'))
  const blocks = steps.map((step, i) => {
    const needs = step.needs.map((id) => (step.needsNotPlanned.includes(id) ? t('cli.plan.notPlanned', { id }) : id))
    const lines = [t('cli.plan.step', { n: i + 1, title: t(step.titleKey, step.titleParams), id: step.id }), needs.length ? t('cli.plan.needs', { list: needs.join(', ') }) : t('cli.plan.needsNone')]
    if (step.offline) lines.push(t('cli.plan.offline'))
    if (step.measures.length) lines.push(t('cli.plan.measures'), ...step.measures.map((m) => `  ${measureLine(m, t)}`))
    else lines.push(t('cli.plan.measuresNone'))
    lines.push(t('cli.plan.reasons', { list: list(step.reasons) }), t('cli.plan.remedies', { list: list(step.remedies) }))
    return lines.map((line, n) => (n ? `   ${line}` : line)).join('\n')
  })
  return `${t('cli.plan.head', { profile: profile.name, modes: profile.modes.join(', '), count: steps.length })}\n\n${blocks.join('\n\n')}\n`
}

function onlyIds(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined
  const ids = text.split(',').map((s) => s.trim()).filter(Boolean)
  if (!ids.length) throw new UsageError('cli.plan.onlyEmpty')
  return ids
}

/** `plan`: exit 0 the plan was printed, 2 bad usage, profile or `--only` id, 3 the checklist itself is invalid (a station software fault). */
export const planCommand: CliCommand = {
  name: 'plan',
  summary: translator('en')('cli.cmd.plan.summary'),
  usage: translator('en')('cli.cmd.plan.usage'),
  async run(argv, io) {
    const { values, t } = parseCommandArgs(argv, io.env, { profile: { type: 'string' }, only: { type: 'string' }, json: { type: 'boolean' } })
    const only = onlyIds(values.only)
    let profile: Profile
    try {
      profile = values.profile ? loadProfileFile(resolve(io.cwd, values.profile)) : resolveProfile(undefined)
    } catch (error) {
      if (!(error instanceof ProfileError)) throw error
      io.stderr.write(`k230-bringup plan: ${t('cli.run.badProfile', { error: keyedText(t, error.keyed, error.message) })}\n`)
      return EXIT.usage
    }
    let steps: DeclaredStep[]
    try {
      steps = declaredPlan(bringupPlan(profile, undefined, only), profile)
    } catch (error) {
      if (error instanceof UnknownStepError) throw new UsageError('cli.plan.unknownStep', { steps: error.ids.join(', '), ids: bringupPlan(profile).map((s) => s.id).join(', ') })
      if (!(error instanceof PlanError)) throw error
      io.stderr.write(`k230-bringup plan: ${t('cli.run.badPlan', { error: keyedText(t, error) })}\n`)
      return EXIT.lost
    }
    io.stdout.write(values.json ? `${JSON.stringify({ profile: profile.name, modes: profile.modes, steps }, null, 2)}\n` : planText(steps, profile, t))
    return EXIT.ok
  },
}
