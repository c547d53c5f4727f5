/** Step `userland`: pppd and chat are on the root filesystem (reference section 3.1). */
import { reason, remedy } from '../remediation'
import type { StepDefinition } from '../types'

const TOOLS = ['pppd', 'chat']

/** Looks for pppd and chat on the PATH. */
export const userlandStep: StepDefinition = {
  id: 'userland',
  title: 'pppd and chat on the rootfs',
  titleKey: 'step.userland',
  needs: ['console'],
  measures: TOOLS.map((tool) => ({ name: tool, limits: { pattern: `/${tool}$`, text: 'toolPath', textParams: { tool } } })),
  reasons: ['tools-missing'],
  remedies: ['pppd-missing'],
  async run(ctx) {
    const missing: string[] = []
    for (const tool of TOOLS) {
      const found = await ctx.sh(`which ${tool}`)
      const path = found.status === 0 ? found.output.trim().split('\n')[0] : null
      ctx.measure(tool, path)
      if (!path) missing.push(tool)
    }
    if (missing.length) return { verdict: 'fail', reason: reason('tools-missing', { list: missing.join(', ') }), remediation: remedy('pppd-missing') }
    return { verdict: 'pass' }
  },
}
