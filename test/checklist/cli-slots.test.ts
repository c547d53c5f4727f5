import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunRecord } from '@shared/record'
import { listScenarios } from '@board/scenarios/index'
import { validateRecord } from '@engine/report/index'
import { EXIT, worstExitCode } from '../../src-cli/command'
import { main } from '../../src-cli/main'
import { memoryIo } from './support/io'
import { TABLE } from './support/scenario-table'

const SCALE = '0.05'

function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `k230-slots-${tag}-`))
}

function simArgs(scenarios: string[]): string[] {
  return scenarios.flatMap((s) => ['--sim', s])
}

/** The record of one slot says what the scenario table says a lone run of that scenario says. */
function expectAsTable(scenario: string, record: RunRecord): void {
  const expected = TABLE[scenario]
  const summary = `${scenario}: ${record.steps.map((s) => `${s.id}=${s.verdict}:${s.attempts.at(-1)?.remediation?.code ?? ''}`).join(' ')}`
  expect(record.station.port, summary).toBe(`virtual:${scenario}`)
  if (expected.exit === 0) expect(record.verdict, summary).toBe('pass')
  else {
    const first = record.steps.find((s) => s.verdict !== 'pass' && s.verdict !== 'skipped')
    expect(first, summary).toBeDefined()
    if (expected.step) expect(first!.id, summary).toBe(expected.step)
    expect(first!.verdict, summary).toBe(expected.verdict)
    expect(expected.codes, summary).toContain(first!.attempts.at(-1)?.remediation?.code)
  }
  expect(validateRecord(record), summary).toMatchObject({ ok: true })
  expected.also?.(record)
}

/** Progress lines of each slot, by the `[name]` prefix they start with; every line before the summaries has one. */
function linesBySlot(progress: string, names: string[]): Map<string, string[]> {
  const width = Math.max(...names.map((n) => n.length))
  const head = progress.split(/\n\n/)[0].split('\n').filter(Boolean)
  const out = new Map(names.map((n) => [n, [] as string[]]))
  for (const line of head) {
    const name = names.find((n) => line.startsWith(`[${n.padEnd(width)}] `))
    expect(name, `a progress line without its slot: ${JSON.stringify(line)}`).toBeDefined()
    out.get(name!)!.push(line.slice(width + 3))
  }
  return out
}

describe('k230-bringup run with several slots', () => {
  it('the worst slot decides the exit code: output folder 5, then station fault 3, then aborted 4, then a failed unit 1, then pass 0', () => {
    expect(worstExitCode([EXIT.ok, EXIT.failed, EXIT.aborted, EXIT.lost, EXIT.output])).toBe(EXIT.output)
    expect(worstExitCode([EXIT.aborted, EXIT.lost, EXIT.ok])).toBe(EXIT.lost)
    expect(worstExitCode([EXIT.failed, EXIT.aborted])).toBe(EXIT.aborted)
    expect(worstExitCode([EXIT.ok, EXIT.failed, EXIT.ok])).toBe(EXIT.failed)
    expect(worstExitCode([EXIT.ok, EXIT.ok])).toBe(EXIT.ok)
    expect(worstExitCode([])).toBe(EXIT.ok)
    expect(worstExitCode([EXIT.output, 99])).toBe(99)
  })

  const scenarios = listScenarios().map((s) => s.name)
  const batches: string[][] = []
  for (let i = 0; i < scenarios.length; i += 8) batches.push(scenarios.slice(i, i + 8))

  for (const [n, batch] of batches.entries()) {
    it(`runs the scenario table ${n + 1}/${batches.length} as one station of ${batch.length} slots: each slot's record as a lone run's, the worst exit code, a JSON array in slot order, distinct files`, async () => {
      const dir = tempDir(`table${n}`)
      const io = memoryIo(dir)
      const code = await main(['run', ...simArgs(batch), '--time-scale', SCALE, '--out', 'records', '--json'], io)
      const records = JSON.parse(io.out()) as RunRecord[]
      expect(records.map((r) => r.station.port)).toEqual(batch.map((s) => `virtual:${s}`))
      batch.forEach((scenario, i) => expectAsTable(scenario, records[i]))
      expect(code, io.err()).toBe(worstExitCode(batch.map((s) => TABLE[s].exit)))
      expect(new Set(records.map((r) => r.id)).size).toBe(batch.length)
      const files = readdirSync(join(dir, 'records'))
      const recordFiles = files.filter((f) => f.endsWith('.json') && f !== 'index.json')
      expect(recordFiles).toHaveLength(batch.length)
      for (const record of records) {
        const file = recordFiles.find((f) => f.endsWith(`_${record.id.slice(0, 8)}.json`))
        expect(file, record.id).toBeDefined()
        expect((JSON.parse(readFileSync(join(dir, 'records', file!), 'utf8')) as RunRecord).id).toBe(record.id)
      }
      expect(files.filter((f) => f.endsWith('.journal.jsonl'))).toEqual([])
      const index = JSON.parse(readFileSync(join(dir, 'records', 'index.json'), 'utf8')) as { entries: Array<{ id: string }> }
      expect(index.entries.map((r) => r.id).sort()).toEqual(records.map((r) => r.id).sort())
      const bySlot = linesBySlot(io.err(), batch.map((_, i) => String(i + 1)))
      batch.forEach((scenario, i) => {
        const lines = bySlot.get(String(i + 1))!
        expect(lines[0]).toContain(`on virtual:${scenario}, profile “default” (ecm, rndis, ppp), run ${records[i].id}`)
        const steps = lines.filter((l) => /^ ?\d+\/\d+ /.test(l)).map((l) => l.trim().split(/\s+/)[0])
        const total = records[i].steps.length
        expect(steps, scenario).toEqual(Array.from({ length: total }, (_, k) => `${k + 1}/${total}`))
      })
      for (const [i, scenario] of batch.entries()) expect(io.err()).toContain(`Slot ${i + 1}, virtual:${scenario}\n`)
      expect(io.err()).toMatch(new RegExp(`Station: ${batch.filter((s) => TABLE[s].exit === 0).length} of ${batch.length} slots passed; exit code ${code} \\(the worst slot’s\\)`))
    })
  }

  it('mixed slots: a console that cannot open is that slot\'s exit 3 and null in the JSON, the other slots still run; the worst code wins over a failed unit', async () => {
    const dir = tempDir('mixed')
    const io = memoryIo(dir)
    const code = await main(['run', '--sim', 'no-sim', '--port', join(dir, 'no-such-tty'), '--sim', 'healthy', '--time-scale', SCALE, '--out', dir, '--json', '--unit', 'U-1', '--unit', 'U-2', '--unit', 'U-3'], io)
    expect(code, io.err()).toBe(EXIT.lost)
    const records = JSON.parse(io.out()) as Array<RunRecord | null>
    expect(records).toHaveLength(3)
    expect(records[1]).toBeNull()
    expect(records[0]).toMatchObject({ verdict: 'fail', unit: { serial: 'U-1' } })
    expect(records[2]).toMatchObject({ verdict: 'pass', unit: { serial: 'U-3' } })
    expect(io.err()).toContain(`k230-bringup run: slot 2: cannot open ${join(dir, 'no-such-tty')}:`)
    expect(io.err()).toMatch(/\n2 +\S*no-such-tty +3 +no record\n/)
    const names = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort()
    expect(names.map((f) => f.split('_')[0])).toEqual(['U-1', 'U-3'])
  })

  it('--slots FILE names the slots: progress and tables carry the layout\'s names, and a lone slot from a layout prints exactly what a lone --sim prints', async () => {
    const dir = tempDir('layout')
    const file = join(dir, 'station.json')
    writeFileSync(file, JSON.stringify({ version: 1, locked: true, slots: [{ name: 'A1', scenario: 'weak-signal' }, { name: 'B12', scenario: 'healthy', baud: 115200 }] }))
    const io = memoryIo(dir)
    const code = await main(['run', '--slots', basename(file), '--time-scale', SCALE, '--out', 'out', '--json', '--lang', 'en'], io)
    expect(code, io.err()).toBe(EXIT.failed)
    const records = JSON.parse(io.out()) as RunRecord[]
    expect(records.map((r) => r.verdict)).toEqual(['fail', 'pass'])
    expect(io.err()).toMatch(/^\[A1 \] .*on virtual:weak-signal/m)
    expect(io.err()).toMatch(/^\[B12\] {2}1\/15 PASS {2}console /m)
    expect(io.err()).toContain('Slot A1, virtual:weak-signal\n')
    expect(io.err()).toMatch(/\nA1 +virtual:weak-signal +\S+ +FAIL +1 +\S+\.json\nB12 +virtual:healthy +\S+ +PASS +0 +\S+\.json\n/)

    writeFileSync(file, JSON.stringify({ version: 1, locked: false, slots: [{ name: 'only', scenario: 'no-sim' }] }))
    const viaLayout = memoryIo(dir)
    expect(await main(['run', '--slots', file, '--time-scale', SCALE, '--out', 'one', '--unit', 'SN-L'], viaLayout)).toBe(EXIT.failed)
    const viaSim = memoryIo(dir)
    expect(await main(['run', '--sim', 'no-sim', '--time-scale', SCALE, '--out', 'one', '--unit', 'SN-L'], viaSim)).toBe(EXIT.failed)
    const normal = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ID').replace(/\d+\.\ds/g, 'T').replace(/_\d{8}T\d{6}Z_[0-9a-f]{8}/g, '_STAMP')
    expect(normal(viaLayout.out())).toBe(normal(viaSim.out()))
    expect(viaLayout.out()).not.toContain('[only]')
    expect(viaLayout.out()).toMatch(/^K230 Bring-up on virtual:no-sim/)
  })

  it('a bad --slots layout exits 2 naming the field, before any console opens', async () => {
    const dir = tempDir('bad')
    const cases: Array<[unknown, RegExp]> = [
      [{ version: 1, locked: false, slots: [{ name: 'A', scenario: 'healthy' }, { name: 'A', scenario: 'no-sim' }] }, /layout\.slots\[1\]\.name: "A" is already the name of slots\[0\]/],
      [{ version: 1, locked: false, slots: [{ name: 'A', port: 'COM3' }] }, /layout\.slots\[0\]\.port: a COM number changes on replug/],
      [{ version: 1, locked: false, slots: [{ name: 'A', scenario: 'healthy', baud: 1234 }] }, /layout\.slots\[0\]\.baud: expected one of/],
      [{ version: 1, locked: false, slots: [{ name: 'A' }] }, /layout\.slots\[0\]: give the slot a port or a scenario/],
      [{ version: 1, locked: false, slots: [{ name: 'A', scenario: 'no-such-scenario' }] }, /unknown scenario 'no-such-scenario'/],
      [{ version: 2, slots: [] }, /layout\.version: expected 1, got 2; layout\.locked: expected a boolean, got undefined; layout\.slots: expected 1 to 8 slots, got 0/],
      ['not json', /--slots station\.json: not JSON/],
    ]
    for (const [layout, says] of cases) {
      writeFileSync(join(dir, 'station.json'), typeof layout === 'string' ? layout : JSON.stringify(layout))
      const io = memoryIo(dir)
      expect(await main(['run', '--slots', 'station.json', '--out', 'out'], io), JSON.stringify(layout)).toBe(EXIT.usage)
      expect(io.err()).toMatch(says)
      expect(io.err()).toContain('usage: k230-bringup run')
    }
    const missing = memoryIo(dir)
    expect(await main(['run', '--slots', 'absent.json'], missing)).toBe(EXIT.usage)
    expect(missing.err()).toMatch(/--slots absent\.json: ENOENT/)
    expect(readdirSync(dir)).toEqual(['station.json'])
  })

  it('refuses slot arguments that cannot be meant: wrong --unit count, a port twice, --slots with --sim, more than 8 slots, --time-scale with ports only', async () => {
    const dir = tempDir('usage')
    writeFileSync(join(dir, 'station.json'), JSON.stringify({ version: 1, locked: false, slots: [{ name: 'A', scenario: 'healthy' }] }))
    const cases: Array<[string[], RegExp]> = [
      [['--sim', 'healthy', '--sim', 'no-sim', '--unit', 'U1'], /--unit: give one per slot \(2 slots, 1 --unit\)/],
      [['--sim', 'healthy', '--unit', 'U1', '--unit', 'U2'], /--unit: give one per slot \(1 slots, 2 --unit\)/],
      [['--sim', 'healthy', '--sim', 'no-sim', '--unit', 'U1', '--unit', 'U1'], /--unit: 'U1' is given for two slots/],
      [['--port', '/dev/ttyX', '--port', '/dev/ttyX'], /--port: '\/dev\/ttyX' is given for two slots/],
      [['--slots', 'station.json', '--sim', 'healthy'], /--slots FILE names every slot's console: leave out --port and --sim/],
      [simArgs(Array.from({ length: 9 }, () => 'healthy')), /at most 8 slots/],
      [['--port', '/dev/ttyX', '--port', '/dev/ttyY', '--time-scale', '0.1'], /--time-scale applies to --sim only/],
      [['--sim', 'healthy', '--sim', 'nope'], /unknown scenario 'nope'/],
      [['--sim', 'healthy', '--out', 'a', '--out', 'b'], /--out given twice/],
      [['--sim', 'healthy', '--json=yes'], /--json takes no value/],
      [['--sim', 'healthy', '--slots'], /--slots needs a value/],
      [['--sim', 'healthy', '--bogus'], /unknown option --bogus/],
      [['--sim', 'healthy', 'extra'], /unexpected argument 'extra'/],
      [['--sim', 'healthy', '-x'], /unknown option -x/],
      [[], /give exactly one of --port PATH or --sim SCENARIO/],
    ]
    for (const [args, says] of cases) {
      const io = memoryIo(dir)
      expect(await main(['run', ...args, ...(args.includes('--out') ? [] : ['--out', 'out'])], io), args.join(' ')).toBe(EXIT.usage)
      expect(io.err(), args.join(' ')).toMatch(says)
    }
    expect(readdirSync(dir)).toEqual(['station.json'])
  })
})
