import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { translator } from '../../src-shared/i18n/translate'
import { renderJson, sealedRecord, signRecord, writeReports } from '@engine/report/index'
import { main } from '../../src-cli/main'
import { COMMANDS } from '../../src-cli/commands/index'
import { failingRecord, passingRecord } from '../reports/fixtures/records'
import { captureIo } from '../reports/helpers/io'
import { testStation } from '../reports/helpers/keys'
import { firmwareImage, put } from '../flash/helpers'
import { englishPieces, ZH } from './helpers/english-pieces'

const BIN = resolve(__dirname, '../../bin/k230-bringup')
const ENGLISH = englishPieces(/^(cli|scenario|verifyNote|reportWarning|osError|linkError|flash\.(stage|phase|outcome))\./)

/** Fails with the English pieces of the catalogue found in `text`. */
function expectNoEnglish(text: string, what: string, chinese = true): void {
  expect(ENGLISH.length).toBeGreaterThan(100)
  expect(ENGLISH.filter((piece) => text.includes(piece)), `${what}:\n${text}`).toEqual([])
  if (chinese) expect(text, what).toMatch(/[\u4e00-\u9fff]/)
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = mkdtempSync(join(tmpdir(), 'k230-zh-'))) {
  const io = captureIo(cwd, { ...ZH, ...env })
  const code = await main(args, io)
  return { code, text: io.out() + io.err(), out: io.out() }
}

function runBin(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; text: string }> {
  return new Promise((done, reject) => {
    const cwd = mkdtempSync(join(tmpdir(), 'k230-zh-bin-'))
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...ZH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let text = ''
    child.stdout.on('data', (d) => (text += d))
    child.stderr.on('data', (d) => (text += d))
    child.on('error', reject)
    child.on('close', (code) => done({ code, text }))
  })
}

describe('every CLI command speaks Chinese under LANG=zh_CN.UTF-8', () => {
  it('the pieces it looks for are real sentences of the English catalogue', () => {
    expect(ENGLISH).toContain('unknown option')
    expect(ENGLISH).toContain('no board in burning mode (hold BOOT while powering the board on)')
    expect(ENGLISH.some((p) => p.startsWith('pass: every planned step ran and passed'))).toBe(true)
    expect(() => expectNoEnglish('k230-bringup ports: unknown option --x', 'self-check')).toThrow()
  })

  it('every command’s summary and usage in its source is the English catalogue’s (help prints the catalogue, so they cannot drift)', () => {
    const english = translator('en')
    for (const command of COMMANDS) {
      expect(english(`cli.cmd.${command.name}.summary`), command.name).toBe(command.summary)
      expect(english(`cli.cmd.${command.name}.usage`), command.name).toBe(command.usage)
    }
  })

  it('--help, every command’s --help with its exit codes, and usage errors, from the real process', async () => {
    const top = await runBin(['--help'], {})
    expect(top.code).toBe(0)
    expectNoEnglish(top.text, '--help')
    expect(top.text).toContain('退出码')
    for (const command of COMMANDS) {
      const help = await cli([command.name, '--help'])
      expect(help.code).toBe(0)
      expectNoEnglish(help.text, `${command.name} --help`)
    }
    const bad = await runBin(['ports', '--bogus'], {})
    expect(bad.code).toBe(2)
    expect(bad.text).toContain('未知选项 --bogus')
    expectNoEnglish(bad.text, 'ports --bogus')
    const unknown = await cli(['frobnicate'])
    expect(unknown.code).toBe(2)
    expectNoEnglish(unknown.text, 'unknown command')
  })

  it('--lang en wins over LANG, before or after the command', async () => {
    const after = await cli(['ports', '--bogus', '--lang', 'en'])
    expect(after.text).toContain('unknown option --bogus')
    const before = await cli(['--lang', 'en', 'scenarios'])
    expect(before.code).toBe(0)
    const help = await cli(['--lang=en', 'help', 'verify'])
    expect(help.text).toContain('k230-bringup verify: check that a report')
    expect(before.text).toContain('No SIM card inserted')
    const c = await cli(['scenarios'], { LANG: 'C.UTF-8' })
    expect(c.text).toContain('No SIM card inserted')
  })

  it('usage errors of every command name the flag in Chinese', async () => {
    const cases: string[][] = [
      ['at', '--sim', 'healthy'],
      ['at', '--sim', 'healthy', 'ATI', '--baud', '7'],
      ['at', '--port', '/dev/null', '--time-scale', '2', 'ATI'],
      ['at', '--sim', 'nope', 'ATI'],
      ['at', '--sim', 'healthy', 'hello'],
      ['ports', 'extra'],
      ['scenarios', '--json=yes'],
      ['report'],
      ['report', 'x.json', '--format', 'html,docx'],
      ['history', 'yield', '--from', 'soon'],
      ['keys', 'remove', '0123456789abcdef', '--key-dir', mkdtempSync(join(tmpdir(), 'k230-zh-nokeys-'))],
      ['keys', 'import', BIN, '--key-dir', mkdtempSync(join(tmpdir(), 'k230-zh-nokeys-'))],
      ['verify'],
      ['verify', '--all'],
      ['keys'],
      ['keys', 'frob'],
      ['history'],
      ['history', 'find'],
      ['history', 'yield', '--from'],
      ['devices', '--boards', '99'],
      ['flash', '--medium', 'emmc', '--sim', 'healthy'],
      ['flash', '--image', 'x', '--medium', 'floppy'],
      ['sdk-overlay'],
      ['sync', '--results', '/nonexistent', '--db', 'postgres://127.0.0.1:1/x', '--db', 'twice'],
      ['sync'],
      ['sync', 'status', '--results', '/nonexistent/k230'],
      ['dashboard'],
      ['dashboard', '--db', 'postgres://127.0.0.1:1/x', '--port', 'http'],
      ['run', '--sim', 'healthy', '--slots', 'station.json'],
      ['run', '--lang', 'fr'],
    ]
    for (const args of cases) {
      const r = await cli(args, { K230_LINE_DB: '' })
      expect(r.code, `${args.join(' ')}\n${r.text}`).toBe(2)
      expectNoEnglish(r.text, args.join(' '))
    }
  })

  it('scenarios, devices, sdk-overlay and flash print their lines in Chinese', async () => {
    expectNoEnglish((await cli(['scenarios'])).text, 'scenarios')
    const devices = await cli(['devices', '--sim', 'healthy', '--boards', '2'])
    expect(devices.text).toBe('1-1        K230/K230D  BootROM\n1-2        K230/K230D  BootROM\n')
    expectNoEnglish(devices.text, 'devices', false)
    const out = mkdtempSync(join(tmpdir(), 'k230-zh-overlay-'))
    const overlay = await cli(['sdk-overlay', '--out', out])
    expect(overlay.code).toBe(0)
    expectNoEnglish(overlay.text, 'sdk-overlay')
    const dir = mkdtempSync(join(tmpdir(), 'k230-zh-flash-'))
    const image = put(dir, 'fw.kdimg', firmwareImage('emmc'))
    const flashed = await cli(['flash', '--image', image, '--medium', 'emmc', '--sim', 'healthy'], {}, dir)
    expect(flashed.code, flashed.text).toBe(0)
    expect(flashed.text).toContain('结果    已校验')
    expectNoEnglish(flashed.text, 'flash')
  })

  it('keys, report, verify, history and sync status print their lines in Chinese', async () => {
    const station = testStation('line-zh')
    const env = { K230_KEY_DIR: station.dir }
    const keys = await cli(['keys', 'list'], env)
    expect(keys.code).toBe(0)
    expectNoEnglish(keys.text, 'keys list')
    const other = testStation('line-other')
    const exported = mkdtempSync(join(tmpdir(), 'k230-zh-key-'))
    expect((await cli(['keys', 'export', '--out', join(exported, 'k.pub')], { K230_KEY_DIR: other.dir })).code).toBe(0)
    const imported = await cli(['keys', 'import', join(exported, 'k.pub')], env)
    expect(imported.code, imported.text).toBe(0)
    expectNoEnglish(imported.text, 'keys import')
    const removed = await cli(['keys', 'remove', other.key.keyId], env)
    expectNoEnglish(removed.text, 'keys remove')

    const recordDir = mkdtempSync(join(tmpdir(), 'k230-zh-report-'))
    const recordFile = join(recordDir, 'run.record.json')
    writeFileSync(recordFile, renderJson(signRecord(sealedRecord(failingRecord()), station.key)))
    const report = await cli(['report', recordFile, '--format', 'html,junit,csv'], env)
    expect(report.code, report.text).toBe(0)
    expectNoEnglish(report.text, 'report')
    const written = readdirSync(recordDir).filter((f) => /\.(html|xml|csv)$/.test(f)).map((f) => join(recordDir, f))
    expect(written).toHaveLength(3)
    const verify = await cli(['verify', recordFile, ...written, join(recordDir, 'missing.json')], env)
    expect(verify.code).toBe(2)
    expect(verify.text).toContain('完好')
    expect(verify.text).toContain('签名覆盖所有字段')
    expectNoEnglish(verify.text, 'verify')
    const english = await cli(['verify', recordFile, '--lang', 'en'], env)
    expect(english.text).toContain('a trusted key; the signature covers every field')
    const tampered = join(recordDir, 'tampered.json')
    writeFileSync(tampered, readFileSync(recordFile, 'utf8').replace('"fail"', '"pass"'))
    const refused = await cli(['report', tampered], env)
    expect(refused.code).toBe(1)
    expect(refused.text).toContain('已拒绝')
    expectNoEnglish(refused.text, 'report of an altered record')
    const altered = await cli(['verify', tampered], env)
    expect(altered.code).toBe(1)
    expectNoEnglish(altered.text, 'verify of an altered record')

    const results = mkdtempSync(join(tmpdir(), 'k230-zh-results-'))
    await Promise.all([{ ...passingRecord(), id: 'zh-1' }, { ...failingRecord(), id: 'zh-2' }].map((r) => writeReports(r, results, ['json', 'csv'])))
    for (const args of [['history', 'reindex'], ['history', 'find', 'nobody'], ['history', 'find', passingRecord().unit.serial ?? ''], ['history', 'yield'], ['sync', 'status', '--all']]) {
      const r = await cli([...args, '--results', results], env)
      expect(r.code, `${args.join(' ')}\n${r.text}`).toBeLessThanOrEqual(1)
      expectNoEnglish(r.text, args.join(' '))
    }
  })

  it('output warnings, OS errors and batch flash phases are said in Chinese too', async () => {
    const station = testStation('line-zh-warn')
    const env = { K230_KEY_DIR: station.dir }
    const recordDir = mkdtempSync(join(tmpdir(), 'k230-zh-warn-'))
    const recordFile = join(recordDir, 'run.record.json')
    writeFileSync(recordFile, renderJson(signRecord(sealedRecord(passingRecord()), station.key)))
    const noPdf = await cli(['report', recordFile, '--format', 'html,pdf'], { ...env, PATH: '', K230_CHROMIUM: join(recordDir, 'no-chromium') })
    expect(noPdf.code).toBe(1)
    expect(noPdf.text).toMatch(/找不到用于生成 PDF 的 Chromium（K230_CHROMIUM=.*no-chromium 不是可执行文件）/)
    expectNoEnglish(noPdf.text, 'report without Chromium')

    const notAFolder = join(recordDir, 'a-file')
    writeFileSync(notAFolder, 'x')
    const run = await cli(['run', '--sim', 'healthy', '--out', join(notAFolder, 'out')], env)
    expect(run.code).toBe(2)
    expect(run.text).toMatch(/a-file(\/out)?：(路径中的某一部分不是文件夹|已存在)/)
    expectNoEnglish(run.text, 'run into a file')

    const dir = mkdtempSync(join(tmpdir(), 'k230-zh-batch-'))
    const image = put(dir, 'fw.kdimg', firmwareImage('emmc'))
    const batch = await cli(['flash', '--image', image, '--medium', 'emmc', '--sim', 'healthy', '--boards', '2'], {}, dir)
    expect(batch.code, batch.text).toBe(0)
    expect(batch.text).toMatch(new RegExp(`^\\[1-1\\] ${translator('zh-CN')('cli.flash.phase.write')}`, 'm'))
    expectNoEnglish(batch.text, 'flash --boards 2')
  })

  it('--json output stays machine-readable and the same in every language', async () => {
    const zh = await cli(['scenarios', '--json'])
    const english = await cli(['scenarios', '--json', '--lang', 'en'])
    expect(zh.out).toBe(english.out)
    expect(() => JSON.parse(zh.out)).not.toThrow()
  })
})
