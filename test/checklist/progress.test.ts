import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { StepAttempt } from '@shared/record'
import { progressPrinter } from '../../src-cli/commands/run-progress'
import { translator } from '../../src-shared/i18n/translate'

function stream(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text: () => string } {
  const chunks: string[] = []
  const out = new Writable({
    write(chunk, _e, done) {
      chunks.push(String(chunk))
      done()
    },
  }) as Writable & { isTTY: boolean; columns: number; text: () => string }
  out.isTTY = isTTY
  out.columns = 120
  out.text = () => chunks.join('')
  return out
}

const failed: StepAttempt = {
  attempt: 1,
  verdict: 'fail',
  reason: 'no SIM card (+CME ERROR: 10)',
  reasonCode: 'sim-missing',
  startedAt: '2026-11-25T10:00:00.000Z',
  endedAt: '2026-11-25T10:00:01.500Z',
  durationMs: 1500,
  measurements: [],
  evidence: { excerpt: '' },
  remediation: { code: 'sim-missing', cause: 'No SIM card detected.', fix: 'Insert a SIM card.' },
}

describe('run progress output', () => {
  it('draws a progress bar on a terminal and replaces it with the step line', () => {
    const out = stream(true)
    const print = progressPrinter(out)
    print({ type: 'step-start', id: 'modem', title: 'Modem', attempt: 1, index: 4, total: 15 })
    print({ type: 'step-end', id: 'modem', title: 'Modem', attempt: failed, index: 4, total: 15 })
    expect(out.text()).toBe(
      '[#####...............] 5/15 modem: Modem: AT, identity, SIM, signal, registration...' +
        '\r\x1b[K' +
        ' 5/15 FAIL  modem         1.5s  no SIM card (+CME ERROR: 10)\n' +
        '        cause: No SIM card detected (+CME ERROR: 10).\n' +
        '        at the bench: Insert a SIM card, contacts facing the board and cut corner first, fully into its holder, or reseat it; then power-cycle the module.\n' +
        '        software: Rerun the step.\n' +
        '        see: Reference procedure § 3.2 Testing AT functionality (docs/reference/K230_4G_EC200A_porting.md#32-testing-at-functionality)\n',
    )
  })

  it('prints the step line, the cause and the fix in Simplified Chinese', () => {
    const out = stream(false)
    const print = progressPrinter(out, translator('zh-CN'))
    print({ type: 'step-end', id: 'modem', title: 'Modem', attempt: failed, index: 4, total: 15 })
    expect(out.text()).toBe(
      ' 5/15 失败  modem         1.5s  未检测到 SIM 卡（+CME ERROR: 10）\n' +
        '        原因: 未检测到 SIM 卡（+CME ERROR: 10）。\n' +
        '        现场操作: 插入 SIM 卡：触点朝向板卡，缺角先插入，完全推入卡座，或重新插好；然后给模组断电重启。\n' +
        '        软件处理: 重新运行该步骤。\n' +
        '        参见: 参考流程 § 3.2 测试 AT 功能 (docs/reference/K230_4G_EC200A_porting.md#32-testing-at-functionality)\n',
    )
  })

  it('prints only step lines when not on a terminal', () => {
    const out = stream(false)
    const print = progressPrinter(out)
    print({ type: 'step-start', id: 'modem', title: 'Modem', attempt: 1, index: 4, total: 15 })
    print({ type: 'step-end', id: 'modem', title: 'Modem', attempt: { ...failed, verdict: 'pass', reason: undefined, reasonCode: undefined, remediation: undefined }, index: 4, total: 15 })
    expect(out.text()).toBe(' 5/15 PASS  modem         1.5s\n')
  })
})
