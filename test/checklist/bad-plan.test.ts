import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createServices, type Services } from '../../src-services/index'
import { main } from '../../src-cli/main'
import { keyedText } from '@shared/i18n/render'
import { translator } from '@shared/i18n/translate'
import { memoryIo } from './support/io'
import { ZH } from '../i18n/helpers/english-pieces'

vi.mock('@engine/checklist/plan', async (importOriginal) => {
  const real = await importOriginal<typeof import('@engine/checklist/plan')>()
  return { ...real, buildPlan: (profile: Parameters<typeof real.buildPlan>[0]) => real.buildPlan(profile).map((s) => (s.id === 'modem' ? { ...s, needs: ['usbb'] } : s)) }
})

const EN = 'The step modem needs usbb, which is no step of the checklist (a misspelt step id?)'
const ZH_TEXT = '步骤 modem 依赖 usbb，但检查清单中没有这个步骤（步骤 id 拼写错误？）'

let services: Services | null = null
afterEach(async () => {
  await services?.dispose()
  services = null
})

describe('a checklist with a misspelt need', () => {
  it('run and plan on the CLI refuse it before opening a console, in the catalogue’s words (en, zh-CN), exit 3', async () => {
    for (const [env, text, head] of [[{}, EN, 'the checklist cannot run'], [ZH, ZH_TEXT, '检查清单无法运行']] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'k230-bad-plan-'))
      const io = memoryIo(dir, { ...env })
      expect(await main(['run', '--sim', 'healthy', '--time-scale', '0.01', '--out', dir], io)).toBe(3)
      expect(io.err()).toBe(`k230-bringup run: ${head}${env === ZH ? '：' : ': '}${text}\n`)
      expect(io.out()).toBe('')
      const plan = memoryIo(dir, { ...env })
      expect(await main(['plan'], plan)).toBe(3)
      expect(plan.err()).toContain(text)
    }
  })

  it('the services refuse the run with the plan error’s catalogue key and parameters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-bad-plan-svc-'))
    services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), simTimeScale: 0.02, appVersion: '9.9.9-test', host: 'browser' })
    await services.handlers['settings:set']({ operator: 'op-1' })
    await services.handlers['console:open']({ kind: 'sim', scenario: 'healthy' })
    const refused = await services.handlers['run:start']({ serial: 'SN-BAD-PLAN' }).then(
      () => undefined,
      (error: unknown) => error as { code: string; key: string; params: Record<string, string>; message: string },
    )
    expect(refused).toMatchObject({ code: 'bad-plan', key: 'planError.unknown-need', params: { step: 'modem', need: 'usbb' }, message: EN })
    expect(keyedText(translator('zh-CN'), { key: refused!.key, params: refused!.params })).toBe(ZH_TEXT)
    expect(await services.handlers['run:snapshot'](undefined)).toMatchObject({ running: false })
  })
})
