/** Step `userland`: pppd and chat are on the root filesystem (reference section 3.1). */
import { reason, remedy } from '../remediation'
import type { StepDefinition } from '../types'

/** Looks for pppd and chat on the PATH. */
export const userlandStep: StepDefinition = {
  id: 'userland',
  title: 'pppd and chat on the rootfs',
  needs: ['console'],
  async run(ctx) {
    const missing: string[] = []
    for (const tool of ['pppd', 'chat']) {
      const found = await ctx.sh(`which ${tool}`)
      const path = found.status === 0 ? found.output.trim().split('\n')[0] : null
      ctx.measure(tool, path, { limits: { pattern: `/${tool}$`, text: 'toolPath', textParams: { tool } } })
      if (!path) missing.push(tool)
    }
    if (missing.length) return { verdict: 'fail', reason: reason('tools-missing', { list: missing.join(', ') }), remediation: remedy('pppd-missing') }
    return { verdict: 'pass' }
  },
}
