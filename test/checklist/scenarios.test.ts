import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunRecord } from '@shared/record'
import { listScenarios } from '@board/scenarios/index'
import { validateRecord } from '@engine/report/index'
import { main } from '../../src-cli/main'
import { memoryIo } from './support/io'
import { TABLE } from './support/scenario-table'

describe('every virtual-board scenario through the CLI names the right step and remediation', () => {
  it('the table covers every scenario of the board', () => {
    expect(Object.keys(TABLE).sort()).toEqual(listScenarios().map((s) => s.name).sort())
  })

  for (const scenario of listScenarios().map((s) => s.name)) {
    it(scenario, async () => {
      const expected = TABLE[scenario]
      expect(expected, `no expectation for scenario ${scenario}`).toBeDefined()
      const dir = mkdtempSync(join(tmpdir(), `k230-${scenario}-`))
      const io = memoryIo(dir)
      const code = await main(['run', '--sim', scenario, '--time-scale', '0.01', '--out', dir, '--json', '--unit', `SN-${scenario}`], io)
      const record = JSON.parse(io.out()) as RunRecord
      const first = record.steps.find((s) => s.verdict !== 'pass' && s.verdict !== 'skipped')
      const summary = record.steps.map((s) => `${s.id}=${s.verdict}:${s.attempts.at(-1)?.remediation?.code ?? s.attempts.at(-1)?.reason ?? ''}`).join(' ')
      expect(code, summary).toBe(expected.exit)
      if (expected.exit === 0) {
        expect(record.verdict).toBe('pass')
        expect(first, summary).toBeUndefined()
      } else {
        expect(first, summary).toBeDefined()
        const attempt = first!.attempts.at(-1)!
        if (expected.step) expect(first!.id, summary).toBe(expected.step)
        expect(first!.verdict, summary).toBe(expected.verdict)
        expect(expected.codes, summary).toContain(attempt.remediation?.code)
        expect(attempt.remediation?.fix).toMatch(expected.fixSays as RegExp)
        expect(attempt.evidence.excerpt.length + (attempt.reason?.length ?? 0)).toBeGreaterThan(0)
        expect(record.verdict).toBe(expected.verdict)
        expect(io.err()).toContain(`${first!.id}`)
      }
      expect(validateRecord(record)).toMatchObject({ ok: true })
      expect(record.steps.flatMap((s) => s.attempts.filter((a) => a.reasonCode?.startsWith('undeclared-')).map((a) => `${s.id}: ${a.reason}`)), 'a step gave what it does not declare').toEqual([])
      expected.also?.(record)
      expect(io.err()).toContain('Overall:')
      expect(JSON.stringify(record)).not.toMatch(/password "test"|QL_PASSWORD='test'/)
    })
  }
})
