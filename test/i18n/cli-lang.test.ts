import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { envLang, takeLang } from '../../src-cli/lang'

const BIN = resolve(__dirname, '../../bin/k230-bringup')

function runBin(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const cwd = mkdtempSync(join(tmpdir(), 'k230-lang-'))
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}

describe('CLI language', () => {
  it('follows LC_ALL, then LC_MESSAGES, then LANG; --lang wins and is taken out of the arguments', () => {
    expect(envLang({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN')
    expect(envLang({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en')
    expect(envLang({ LC_MESSAGES: 'zh_TW.UTF-8', LANG: 'C' })).toBe('zh-CN')
    expect(envLang({ LANG: 'C.UTF-8' })).toBe('en')
    const argv = ['--sim', 'no-sim', '--lang', 'en', '--out', 'x']
    expect(takeLang(argv, { LANG: 'zh_CN.UTF-8' })).toBe('en')
    expect(argv).toEqual(['--sim', 'no-sim', '--out', 'x'])
    expect(() => takeLang(['--lang', 'fr'], {})).toThrow(/unknown language 'fr'/)
  })

  it('run under LANG=zh_CN.UTF-8 prints step lines, cause, fix and summary in Chinese; --lang en prints English', async () => {
    const zh = await runBin(['run', '--sim', 'no-sim', '--time-scale', '0.01', '--out', 'records', '--unit', 'K230-ZH'], { LANG: 'zh_CN.UTF-8' })
    expect(zh.code, zh.stderr).toBe(1)
    expect(zh.stdout).toMatch(/ 5\/15 失败 +modem .*未检测到 SIM 卡/)
    expect(zh.stdout).toContain('现场操作: 插入 SIM 卡')
    expect(zh.stdout).toContain('参考流程 § 3.2 测试 AT 功能')
    expect(zh.stdout).toContain('总体结论：失败（已完成）')
    expect(zh.stdout).not.toMatch(/Overall|cause:|needs “/)
    const en = await runBin(['run', '--sim', 'no-sim', '--time-scale', '0.01', '--out', 'records', '--unit', 'K230-EN', '--lang', 'en'], { LANG: 'zh_CN.UTF-8' })
    expect(en.code, en.stderr).toBe(1)
    expect(en.stdout).toMatch(/ 5\/15 FAIL +modem .*no SIM card/)
    expect(en.stdout).toContain('at the bench: Insert a SIM card')
    expect(en.stdout).not.toMatch(/[\u4e00-\u9fff]/)
  })
})
