/** The checklist's `flash` step for a flash that already happened: same measurements and evidence as the flash record, verdict from the result. */
import { flashFailureParams, flashStepRecord, flashVerdict, type FlashResult } from '@shared/flash'
import type { StepDefinition } from '../checklist/types'
import { reason, remedy } from '../checklist/remediation'

/** Builds the step from `result`, its measurements declared as the flash record has them (the verify limit only when the loader can read back); trusts the flasher's result fields. */
export function flashStep(result: FlashResult): StepDefinition {
  const record = flashStepRecord(result)
  const [done] = record.attempts
  return {
    id: 'flash',
    title: record.title,
    titleKey: 'step.flash',
    needs: [],
    offline: true,
    measures: done.measurements.map(({ name, unit, limits }) => ({ name, ...(unit ? { unit } : {}), ...(limits ? { limits } : {}) })),
    reasons: ['flash-passed', 'flash-failed'],
    remedies: ['flash-failed'],
    async run(ctx) {
      for (const m of done.measurements) ctx.measure(m.name, m.value)
      ctx.note(done.evidence.excerpt)
      if (flashVerdict(result) === 'pass') return { verdict: 'pass', reason: reason('flash-passed') }
      const why = flashFailureParams(result)
      return { verdict: 'fail', reason: reason('flash-failed', why), remediation: remedy('flash-failed', why) }
    },
  }
}
