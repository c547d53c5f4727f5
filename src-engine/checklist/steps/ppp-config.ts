/** Step `ppp-config`: the reference document's PPP files, generated from the profile, pushed only when they differ. */
import { createHash } from 'node:crypto'
import { PushError } from '../../push/index'
import { generatePppFiles, shQuote } from '../../ppp/index'
import { reason, remedy } from '../remediation'
import type { StepDefinition, StepOutcome } from '../types'

function writeFailure(path: string, message: string): StepOutcome {
  if (/read-only file system/i.test(message)) return { verdict: 'fail', reason: reason('rootfs-readonly', { path }), remediation: remedy('rootfs-readonly') }
  return { verdict: 'fail', reason: reason('write-failed', { path, message }), remediation: remedy('ppp-files-not-written', { message }) }
}

/** Generates the /etc/ppp files, pushes those that differ (verified by MD5), makes them executable and checks it. */
export const pppConfigStep: StepDefinition = {
  id: 'ppp-config',
  title: 'PPP configuration files',
  titleKey: 'step.ppp-config',
  needs: ['console'],
  measures: [{ name: 'files_written' }, { name: 'files_unchanged' }, { name: 'files_not_executable', limits: { equals: 0 } }],
  reasons: ['rootfs-readonly', 'write-failed', 'not-executable'],
  remedies: ['rootfs-readonly', 'ppp-files-not-written'],
  async run(ctx) {
    const files = generatePppFiles({ device: ctx.profile.device, apn: ctx.profile.apn, user: ctx.profile.user, password: ctx.profile.password, modemBaud: ctx.profile.modemBaud })
    ctx.facts.pppFiles = files
    const mkdir = await ctx.sh('mkdir -p /etc/ppp/peers')
    if (mkdir.status !== 0) return writeFailure('/etc/ppp/peers', mkdir.output.trim() || `exit status ${mkdir.status}`)
    const sums = await ctx.sh(`md5sum ${files.map((f) => shQuote(f.path)).join(' ')} 2>/dev/null`)
    const onBoard = new Map(sums.output.split('\n').map((line) => line.trim().split(/\s+/)).filter((p) => p.length === 2).map(([sum, path]) => [path, sum]))
    let written = 0
    for (const file of files) {
      const same = onBoard.get(file.path) === createHash('md5').update(file.content).digest('hex')
      try {
        if ((await ctx.push(file.path, file.content, file.mode, { force: !same, secret: file.secret })).changed) written++
      } catch (error) {
        if (!(error instanceof PushError)) throw error
        return writeFailure(file.path, error.message)
      }
    }
    const check = await ctx.sh(`for f in ${files.map((f) => shQuote(f.path)).join(' ')}; do [ -x "$f" ] || echo "not executable: $f"; done`)
    const notExecutable = check.output.split('\n').filter((l) => l.startsWith('not executable:'))
    ctx.measure('files_written', written)
    ctx.measure('files_unchanged', files.length - written)
    ctx.measure('files_not_executable', notExecutable.length)
    if (notExecutable.length) return { verdict: 'fail', reason: reason('not-executable', { list: notExecutable.map((l) => l.slice('not executable: '.length)).join(', ') }), remediation: remedy('ppp-files-not-written') }
    return { verdict: 'pass' }
  },
}
