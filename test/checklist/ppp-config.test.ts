import { afterEach, describe, expect, it } from 'vitest'
import { connect, type Console } from '@engine/console'
import { buildPlan, Checklist, checklistBoardFor } from '@engine/checklist/index'
import { generatePppFiles } from '@engine/ppp/index'
import { resolveProfile } from '@engine/profile/index'

let open: Console | undefined
afterEach(async () => {
  await open?.close()
  open = undefined
})

describe('ppp-config on the virtual board', () => {
  it('pushes the six files once, rewrites only a changed one, and leaves them executable with the generated content', async () => {
    const profile = resolveProfile({ apn: 'CMNET', password: "pa ss'word" })
    open = await connect({ sim: { scenario: 'healthy', timeScale: 0.01 }, secrets: [profile.password] })
    const steps = buildPlan(profile).filter((s) => s.id === 'console' || s.id === 'ppp-config')
    const run = new Checklist({ board: checklistBoardFor(open, 0.01), profile, steps, appVersion: 'test' })
    const written = (attempt: number) => run.record.steps[1].attempts[attempt].measurements.find((m) => m.name === 'files_written')?.value

    await run.run()
    expect(run.record.steps[1].verdict).toBe('pass')
    expect(written(0)).toBe(6)

    await run.rerun(['ppp-config'])
    expect(written(1)).toBe(0)

    await open.session.run('echo tampered >> /etc/ppp/peers/quectel-chat-connect && chmod 644 /etc/ppp/ip-up')
    await run.rerun(['ppp-config'])
    expect(written(2)).toBe(1)
    expect(run.record.steps[1].attempts.map((a) => a.verdict)).toEqual(['pass', 'pass', 'pass'])

    for (const file of generatePppFiles(profile)) {
      const shown = await open.session.run(`cat ${file.path}; [ -x ${file.path} ] && echo EXECUTABLE`)
      expect(shown.output.replace(/\r/g, '')).toBe(`${file.content}EXECUTABLE\n`)
    }
    expect(JSON.stringify(run.record)).not.toContain("pa ss'word")
  })
})
