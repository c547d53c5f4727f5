import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src-cli/main'
import type { DeclaredStep } from '@engine/checklist/index'
import { memoryIo } from './support/io'
import { englishPieces, ZH } from '../i18n/helpers/english-pieces'

async function plan(args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'k230-plan-'))
  writeFileSync(join(dir, 'two-hosts.json'), JSON.stringify({ name: 'two-hosts', modes: ['ppp', 'ecm'], ping: { hosts: ['8.8.8.8', 'www.163.com'] }, limits: { csqMinDbm: -85, rttMaxMs: 250 } }))
  const io = memoryIo(dir, env)
  const code = await main(['plan', ...args], io)
  return { code, out: io.out(), err: io.err() }
}

describe('k230-bringup plan', () => {
  it('prints every step of the default profile with title, needs, measurements, limits and codes in English', async () => {
    const { code, out, err } = await plan([])
    expect([code, err]).toEqual([0, ''])
    expect(out.split('\n')[0]).toBe('Checklist for profile “default” (ecm, rndis, ppp): 15 steps')
    expect(out).toContain(
      [
        '5. Modem: AT, identity, SIM, signal, registration [modem]',
        '   needs: usb',
        '   measurements:',
        '     Module answers AT [at_answers]: = yes',
        '     Module model [model]: no limit',
        '     Module firmware [firmware]: no limit',
        '     IMEI [imei]: 15 digits',
        '     SIM state [sim]: = READY',
        '     ICCID [iccid]: no limit',
        '     CSQ (raw signal) [csq]: no limit',
        '     Signal strength [signal]: ≥ -93 dBm',
        '     Network registration [registration]: 1 (home network) or 5 (roaming)',
        '     Network operator [operator]: no limit',
        '   reasons: modem-silent, sim-missing, sim-not-ready, no-signal, weak-signal, registration-denied, not-registered',
        '   remediation: modem-not-answering, sim-missing, sim-not-ready, no-signal, weak-signal, registration-denied, not-registered',
      ].join('\n'),
    )
    expect(out).toContain('     Uptime [uptime]: in s, no limit')
    expect(out).toContain('9. ECM connectivity [ecm.net]\n   needs: ecm.dial\n')
    expect(out).toContain('     Packet loss [loss]: ≤ 20%\n     Average round trip [rtt_avg]: ≤ 300 ms\n')
  })

  it('reads the limits and the ping hosts from --profile and cuts the plan to --only and its needs', async () => {
    const { code, out } = await plan(['--profile', 'two-hosts.json', '--only', 'ecm.net'])
    expect(code).toBe(0)
    expect(out.split('\n')[0]).toBe('Checklist for profile “two-hosts” (ppp, ecm): 6 steps')
    expect([...out.matchAll(/^\d+\. .* \[(.+)\]$/gm)].map((m) => m[1])).toEqual(['console', 'usb', 'modem', 'ecm.mode', 'ecm.dial', 'ecm.net'])
    expect(out).toContain('Signal strength [signal]: ≥ -85 dBm')
    expect(out).toContain('     Average round trip (8.8.8.8) [rtt_avg_8.8.8.8]: ≤ 250 ms\n     Average round trip (www.163.com) [rtt_avg_www.163.com]: ≤ 250 ms\n')
  })

  it('--json prints the declarations as data, limits resolved for the profile', async () => {
    const { code, out } = await plan(['--json', '--profile', 'two-hosts.json'])
    expect(code).toBe(0)
    const data = JSON.parse(out) as { profile: string; modes: string[]; steps: DeclaredStep[] }
    expect(data.profile).toBe('two-hosts')
    expect(data.steps.map((s) => s.id)).toEqual(['console', 'usb', 'drivers', 'userland', 'modem', 'ppp-config', 'ppp.dial', 'ppp.net', 'ecm.mode', 'ecm.dial', 'ecm.net', 'restore'])
    const modem = data.steps.find((s) => s.id === 'modem')
    expect(modem?.measures.find((m) => m.name === 'signal')).toEqual({ name: 'signal', unit: 'dBm', limits: { low: -85 } })
    expect(data.steps.find((s) => s.id === 'ecm.mode')).toMatchObject({ titleKey: 'step.mode', titleParams: { mode: 'ECM' }, needs: ['modem'], remedies: ['usbnet-not-applied', 'module-stuck-after-reset', 'kernel-ecm-missing'] })
    expect(data.steps.find((s) => s.id === 'ppp.net')?.measures.map((m) => m.name)).toEqual(['dns_8.8.8.8', 'dns_www.163.com', 'loss_8.8.8.8', 'loss_www.163.com', 'rtt_avg_8.8.8.8', 'rtt_avg_www.163.com'])
  })

  it('prints the plan in Chinese under --lang zh-CN and under a Chinese LANG', async () => {
    const english = englishPieces(/^cli\.plan\./)
    expect(english).toContain('no limit')
    for (const [args, env] of [[['--lang', 'zh-CN'], {}], [[], ZH]] as const) {
      const { code, out } = await plan([...args], env)
      expect(code).toBe(0)
      expect(out.split('\n')[0]).toBe('配置文件“default”（ecm, rndis, ppp）的检查清单：共 15 个步骤')
      expect(out).toContain('5. 模组：AT、身份信息、SIM、信号、注册 [modem]\n   依赖：usb\n   测量项：\n')
      expect(out).toContain('     信号强度 [signal]：≥ -93 dBm\n')
      expect(out).toContain('   处理建议代码：modem-not-answering, sim-missing')
      expect(english.filter((piece) => out.includes(piece))).toEqual([])
    }
  })

  it('an --only id that is not in the plan is a usage error in the reader’s language', async () => {
    const en = await plan(['--only', 'modme'])
    expect(en.code).toBe(2)
    expect(en.err).toContain('k230-bringup plan: --only: no step named modme in this profile’s checklist (it has console, usb,')
    const zh = await plan(['--only', 'ppp.dial', '--profile', 'two-hosts.json', '--lang', 'zh-CN'])
    expect(zh.code).toBe(0)
    const missing = await plan(['--only', 'rndis.net', '--profile', 'two-hosts.json', '--lang', 'zh-CN'])
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('--only：本配置文件的检查清单中没有名为 rndis.net 的步骤')
    expect((await plan(['--only', ','])).err).toContain('--only: give at least one step id')
  })
})
