/** Step `ppp-config`: the reference document's PPP files, generated from the profile, pushed only when they differ. */
import { createHash } from 'node:crypto'
import { generatePppFiles, shQuote, type PppFile } from '../../ppp/index'
import { remedy } from '../remediation'
import type { StepContext, StepDefinition } from '../types'

const LINE_BUDGET = 800

/** Shell command lines that write `content` to `path` with printf (no board tool beyond the shell needed). */
export function printfWriteCommands(path: string, content: string): string[] {
  const lines = content.endsWith('\n') ? content.slice(0, -1).split('\n') : content.split('\n')
  const commands: string[] = []
  let batch: string[] = []
  let size = 0
  const flush = () => {
    if (!batch.length) return
    commands.push(`printf '%s\\n' ${batch.join(' ')} ${commands.length ? '>>' : '>'} ${shQuote(path)}`)
    batch = []
    size = 0
  }
  for (const line of lines) {
    const quoted = shQuote(line)
    if (size + quoted.length > LINE_BUDGET) flush()
    batch.push(quoted)
    size += quoted.length + 1
  }
  flush()
  if (!content.endsWith('\n')) throw new Error(`${path}: content must end with a newline`)
  if (!commands.length) commands.push(`: > ${shQuote(path)}`)
  return commands
}

async function boardDigest(ctx: StepContext, path: string): Promise<string | null> {
  const sum = await ctx.sh(`md5sum ${shQuote(path)}`)
  if (sum.status !== 0) return null
  return sum.output.trim().split(/\s+/)[0] ?? null
}

async function isExecutable(ctx: StepContext, path: string): Promise<boolean> {
  return (await ctx.sh(`[ -x ${shQuote(path)} ]`)).status === 0
}

async function writeFile(ctx: StepContext, file: PppFile): Promise<string | undefined> {
  const temp = `${file.path}.k230tmp`
  for (const command of printfWriteCommands(temp, file.content)) {
    const result = await ctx.sh(command)
    if (result.status !== 0) {
      await ctx.sh(`rm -f ${shQuote(temp)}`)
      return result.output.trim() || `exit status ${result.status}`
    }
  }
  const moved = await ctx.sh(`mv ${shQuote(temp)} ${shQuote(file.path)} && chmod ${file.mode.toString(8)} ${shQuote(file.path)}`)
  return moved.status === 0 ? undefined : moved.output.trim() || `exit status ${moved.status}`
}

/** Generates, compares, pushes and verifies /etc/ppp files; makes them executable. */
export const pppConfigStep: StepDefinition = {
  id: 'ppp-config',
  title: 'PPP configuration files',
  needs: ['console'],
  async run(ctx) {
    const files = generatePppFiles({ device: ctx.profile.device, apn: ctx.profile.apn, user: ctx.profile.user, password: ctx.profile.password, modemBaud: ctx.profile.modemBaud })
    ctx.facts.pppFiles = files
    let written = 0
    let unchanged = 0
    const mkdir = await ctx.sh('mkdir -p /etc/ppp/peers')
    if (mkdir.status !== 0) return readOnlyOrOther(mkdir.output, '/etc/ppp/peers')
    for (const file of files) {
      const want = createHash('md5').update(file.content).digest('hex')
      const have = await boardDigest(ctx, file.path)
      if (have === want && (await isExecutable(ctx, file.path))) {
        unchanged++
        continue
      }
      const error = have === want ? await chmodOnly(ctx, file) : await writeFile(ctx, file)
      if (error) return readOnlyOrOther(error, file.path)
      const after = await boardDigest(ctx, file.path)
      if (after !== null && after !== want) return { verdict: 'fail', reason: `${file.path} differs after writing`, remediation: remedy('ppp-files-not-written') }
      if (!(await isExecutable(ctx, file.path))) return { verdict: 'fail', reason: `${file.path} is not executable after chmod`, remediation: remedy('ppp-files-not-written') }
      written++
    }
    ctx.measure('files_written', written)
    ctx.measure('files_unchanged', unchanged)
    ctx.measure('files_total', files.length, { limits: { equals: 6 } })
    return { verdict: 'pass' }
  },
}

async function chmodOnly(ctx: StepContext, file: PppFile): Promise<string | undefined> {
  const result = await ctx.sh(`chmod ${file.mode.toString(8)} ${shQuote(file.path)}`)
  return result.status === 0 ? undefined : result.output.trim() || `exit status ${result.status}`
}

function readOnlyOrOther(message: string, path: string) {
  if (/read-only file system/i.test(message)) return { verdict: 'fail' as const, reason: `${path}: Read-only file system`, remediation: remedy('rootfs-readonly') }
  return { verdict: 'fail' as const, reason: `${path}: ${message}`, remediation: remedy('ppp-files-not-written', message) }
}
