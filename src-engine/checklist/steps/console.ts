/** Step `console`: the shell answers; board identity (uname, uptime) and whether the rootfs is writable. */
import type { StepDefinition } from '../types'
import { reason, remedy } from '../remediation'

/** Console attach and identity; the session is attached by the runner before any step. */
export const consoleStep: StepDefinition = {
  id: 'console',
  title: 'Console and board identity',
  titleKey: 'step.console',
  needs: [],
  measures: [{ name: 'uname', limits: { pattern: '^Linux ', text: 'linux' } }, { name: 'uptime', unit: 's' }, { name: 'rootfs_writable' }],
  reasons: ['uname-unexpected'],
  remedies: ['console-unreachable'],
  async run(ctx) {
    const uname = await ctx.sh('uname -a')
    const kernel = uname.output.trim().split('\n')[0] ?? ''
    ctx.measure('uname', kernel)
    ctx.identify({ kernel })
    const uptime = await ctx.sh('cat /proc/uptime')
    const seconds = Number.parseFloat(uptime.output.trim().split(/\s+/)[0] ?? '')
    ctx.measure('uptime', Number.isFinite(seconds) ? seconds : null)
    const probe = await ctx.sh('touch /etc/.k230-bringup-rw && rm -f /etc/.k230-bringup-rw')
    ctx.measure('rootfs_writable', probe.status === 0)
    ctx.facts.rootfsWritable = probe.status === 0
    if (!kernel.startsWith('Linux ')) return { verdict: 'fail', reason: reason('uname-unexpected', { output: kernel }), remediation: remedy('console-unreachable') }
    return { verdict: 'pass' }
  },
}
