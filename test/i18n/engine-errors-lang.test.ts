import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { translator } from '../../src-shared/i18n/translate'
import { reasonText, remedyText } from '../../src-shared/i18n/render'
import { main } from '../../src-cli/main'
import { captureIo } from '../reports/helpers/io'
import { ProfilesService } from '../../src-services/profiles'
import { createServices } from '../../src-services/index'
import { toWireError } from '../../src-services/errors'
import { keyedText } from '../../src-shared/i18n/render'
import { firmwareImage, put } from '../flash/helpers'
import { englishPieces, ZH } from './helpers/english-pieces'

const ENGLISH = englishPieces(/^(flashError|profileError)\./, ['disconnected', 'Check the cable and power', 'is damaged', 'is truncated', 'No board in burning mode', 'unknown field', 'must be one of', 'invalid value'])

function expectChineseOnly(text: string, what: string): void {
  expect(ENGLISH.filter((piece) => text.includes(piece)), `${what}:\n${text}`).toEqual([])
  expect(text, what).toMatch(/[\u4e00-\u9fff]/)
}

async function cli(args: string[], cwd: string) {
  const io = captureIo(cwd, { ...ZH, K230_LINE_DB: '' })
  const code = await main(args, io)
  return { code, text: io.out() + io.err() }
}

describe('flash failures speak the technician’s language', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k230-zh-flash-errors-'))
  const image = put(dir, 'fw.kdimg', firmwareImage('emmc'))

  it('the catalogue pieces it looks for are real English sentences', () => {
    expect(ENGLISH.length).toBeGreaterThan(60)
    expect(ENGLISH.some((p) => p.includes('disconnected. Check the cable and power'))).toBe(true)
  })

  it('a board lost mid-write, a read-back mismatch and a too small medium are told in Chinese on the CLI and in the record', async () => {
    const cases: [string, number, RegExp][] = [
      ['vanish-mid-write', 3, /USB 端口 1-1 上的开发板已断开/],
      ['verify-mismatch', 1, /分区 uboot_spl（地址 0x[0-9a-f]+）的回读内容与写入内容不一致/],
      ['medium-too-small', 1, /eMMC 容量不足/],
    ]
    for (const [scenario, exit, chinese] of cases) {
      const r = await cli(['flash', '--image', image, '--medium', 'emmc', '--sim', scenario, '--sim-timescale', '0.01', '--record', `${scenario}.json`], dir)
      expect(r.code, r.text).toBe(exit)
      expect(r.text).toMatch(chinese)
      expectChineseOnly(r.text, scenario)
      const saved = JSON.parse(readFileSync(join(dir, `${scenario}.json`), 'utf8'))
      expect(saved.flash.error.key).toMatch(/^flashError\./)
      expect(saved.flash.error.message).toMatch(/[A-Za-z]{3,} [A-Za-z]{3,}/)
      const attempt = saved.step.attempts[0]
      const zh = translator('zh-CN')
      const reason = reasonText(zh, attempt)
      expect(reason).toMatch(chinese)
      expectChineseOnly(reason, `${scenario} record reason`)
      expect(reasonText(translator('en'), attempt)).toContain(saved.flash.error.message)
    }
  })

  it('no board at the given USB port is told in Chinese, naming the ports that have one', async () => {
    const r = await cli(['flash', '--image', image, '--medium', 'emmc', '--sim', 'healthy', '--sim-timescale', '0.01', '--device', '9-9'], dir)
    expect(r.code, r.text).not.toBe(0)
    expect(r.text).toContain('USB 端口 9-9 上没有处于烧录模式的开发板')
    expect(r.text).toContain('1-1')
    expectChineseOnly(r.text, 'no board')
  })

  it('a damaged image is refused in Chinese, naming the file', async () => {
    const good = firmwareImage('emmc')
    const broken = Buffer.from(good)
    broken[40] ^= 0xff
    put(dir, 'broken.kdimg', broken)
    writeFileSync(join(dir, 'cut.kdimg'), good.subarray(0, 300))
    for (const name of ['broken.kdimg', 'cut.kdimg']) {
      const r = await cli(['flash', '--image', name, '--medium', 'emmc', '--sim', 'healthy', '--sim-timescale', '0.01'], dir)
      expect(r.code, r.text).not.toBe(0)
      expect(r.text).toContain(name)
      expect(r.text).toMatch(/已损坏|不完整/)
      expectChineseOnly(r.text, name)
    }
  })

  it('an unknown flash scenario is a usage error in Chinese', async () => {
    const r = await cli(['flash', '--image', image, '--medium', 'emmc', '--sim', 'nope'], dir)
    expect(r.code).toBe(2)
    expect(r.text).toContain('未知的烧录场景“nope”')
    expectChineseOnly(r.text, 'unknown scenario')
  })

  it('the remedy of a failed flash step names the cause in Chinese', async () => {
    const r = await cli(['flash', '--image', image, '--medium', 'emmc', '--sim', 'vanish-mid-write', '--sim-timescale', '0.01', '--record', 'remedy.json'], dir)
    expect(r.code).toBe(3)
    const saved = JSON.parse(readFileSync(join(dir, 'remedy.json'), 'utf8'))
    const params = saved.step.attempts[0].reasonParams
    const remedy = remedyText(translator('zh-CN'), { code: 'flash-failed', cause: '', fix: '', params })
    expect(remedy.cause).toContain('开发板已断开')
    expectChineseOnly(remedy.cause, 'remedy')
  })
})

describe('profile refusals name the field and the reason in the technician’s language', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k230-zh-profile-errors-'))
  const cases: [string, string, RegExp][] = [
    ['unknown.yaml', 'apn: CMNET\nbogus: 1\n', /字段“bogus”：未知字段/],
    ['enum.yaml', 'modes: [ecm, wifi]\n', /字段“modes\[1\]”：必须是以下之一：/],
    ['pattern.yaml', 'apn: "bad apn!"\n', /字段“apn”：值无效：应为字母、数字、点和短横线/],
    ['range.yaml', 'limits: { csqMinDbm: 5 }\n', /字段“limits\.csqMinDbm”：必须 <= -51/],
    ['yaml.yaml', 'apn: [unclosed\n', /不是有效的 YAML/],
  ]

  it('run --profile refuses each bad profile with exit 2, in Chinese', async () => {
    for (const [file, text, chinese] of cases) {
      writeFileSync(join(dir, file), text)
      const r = await cli(['run', '--sim', 'healthy', '--profile', file], dir)
      expect(r.code, r.text).toBe(2)
      expect(r.text).toMatch(chinese)
      expect(r.text).toContain(file)
      expectChineseOnly(r.text, file)
    }
    const missing = await cli(['run', '--sim', 'healthy', '--profile', 'missing.yaml'], dir)
    expect(missing.code).toBe(2)
    expect(missing.text).toContain('文件不存在')
    expectChineseOnly(missing.text, 'missing profile')
  })

  it('sdk-overlay --profile refuses a bad profile in Chinese', async () => {
    writeFileSync(join(dir, 'overlay-bad.yaml'), 'bogus: 1\n')
    const r = await cli(['sdk-overlay', '--profile', 'overlay-bad.yaml', '--out', mkdtempSync(join(tmpdir(), 'k230-zh-overlay-'))], dir)
    expect(r.code, r.text).toBe(2)
    expect(r.text).toMatch(/字段“bogus”：未知字段/)
    expectChineseOnly(r.text, 'sdk-overlay')
  })

  it('the services hand the Station screen each refusal as a key with parameters, which reads in Chinese', () => {
    const service = new ProfilesService(mkdtempSync(join(tmpdir(), 'k230-zh-profiles-')))
    const zh = translator('zh-CN')
    const [problem] = service.validate('apn: CMNET\nbogus: 1\n')
    expect(problem.message).toContain("field 'bogus': unknown field")
    const text = keyedText(zh, { key: problem.key ?? '', params: problem.params }, problem.message)
    expect(text).toMatch(/字段“bogus”：未知字段/)
    expectChineseOnly(text, 'validate')
    let refused: unknown
    try {
      service.save('bad', 'modes: [wifi]\n')
    } catch (error) {
      refused = error
    }
    const wire = toWireError(refused)
    expect(wire.code).toBe('invalid-profile')
    const saved = keyedText(zh, { key: wire.key ?? '', params: wire.params }, wire.message)
    expect(saved).toMatch(/字段“modes\[0\]”：必须是以下之一：/)
    expectChineseOnly(saved, 'save')
  })
})

describe('the flash service’s refusals reach the UI as keys', () => {
  it('flashing a board that is not in burning mode is refused in Chinese', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-zh-flash-service-'))
    const s = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), simTimeScale: 0.01, appVersion: 'test', host: 'browser' })
    try {
      const refused = await s.handlers['flash:start']({ image: join(dir, 'x.kdimg'), medium: 'emmc', devices: ['9-9'] }).then(
        () => null,
        (error: unknown) => error,
      )
      const wire = toWireError(refused)
      expect(wire).toMatchObject({ code: 'unknown-device', key: 'serviceError.unknownDevice' })
      const text = keyedText(translator('zh-CN'), { key: wire.key ?? '', params: wire.params }, wire.message)
      expect(text).toBe('9-9 上没有处于烧录模式的开发板')
    } finally {
      await s.dispose()
    }
  })
})
