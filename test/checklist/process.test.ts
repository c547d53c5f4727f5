import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunRecord } from '@shared/record'
import { parseJournal, replayJournal } from '@engine/record/index'

const BIN = resolve(__dirname, '../../bin/k230-bringup')

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

function runBin(args: string[], cwd: string, onStart?: (child: ReturnType<typeof spawn>) => void): Promise<Exit> {
  return new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => resolveExit({ code, signal, stdout, stderr }))
    onStart?.(child)
  })
}

/** Resolves when `predicate` holds on the directory's journal text; polls on the event loop, bounded by a deadline. */
async function untilJournal(dir: string, predicate: (text: string) => boolean, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const name = existsSync(dir) ? readdirSync(dir).find((n) => n.endsWith('.journal.jsonl')) : undefined
    if (name) {
      const text = readFileSync(join(dir, name), 'utf8')
      if (predicate(text)) return join(dir, name)
    }
    if (Date.now() > deadline) throw new Error('the journal never reached the expected state')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('./bin/k230-bringup as a real process', () => {
  it('run --json prints the record, writes record, HTML and JUnit, and exits 1 on a failed check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-bin-'))
    const result = await runBin(['run', '--sim', 'no-sim', '--time-scale', '0.01', '--out', 'records', '--json', '--unit', 'K230-0042'], dir)
    expect(result.code, result.stderr).toBe(1)
    const record = JSON.parse(result.stdout) as RunRecord
    expect(record.unit.serial).toBe('K230-0042')
    expect(record.steps.find((s) => s.id === 'modem')?.attempts[0].remediation?.code).toBe('sim-missing')
    const files = readdirSync(join(dir, 'records'))
    const base = files.find((f) => f.endsWith('.json') && f.startsWith('K230-0042_'))?.replace(/\.json$/, '')
    expect(base).toBeDefined()
    expect(files).toEqual(expect.arrayContaining([`${base}.json`, `${base}.html`, `${base}.junit.xml`]))
    expect(files.filter((f) => f.endsWith('.journal.jsonl'))).toEqual([])
    const saved = JSON.parse(readFileSync(join(dir, 'records', `${base}.json`), 'utf8')) as RunRecord
    expect(saved.id).toBe(record.id)
    expect(saved.digest).toBe(record.digest)
    expect(result.stderr).toMatch(/ 5\/15 FAIL {2}modem .*no SIM card/)
    expect(result.stderr).toMatch(/Overall: FAIL \(completed\)/)
  })

  it('killed mid-run, the journal on disk is valid and says where it stopped; the next start turns it into an interrupted record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-kill-'))
    let journalPath = ''
    const killed = await runBin(['run', '--sim', 'healthy', '--time-scale', '0.01', '--out', dir, '--unit', 'K230-KILL'], dir, (child) => {
      untilJournal(dir, (text) => text.includes('"k":"step-start","id":"ppp-config"'), 60_000)
        .then((path) => {
          journalPath = path
          child.kill('SIGKILL')
        })
        .catch(() => child.kill('SIGKILL'))
    })
    expect(killed.signal).toBe('SIGKILL')
    expect(journalPath).not.toBe('')
    const events = parseJournal(readFileSync(journalPath, 'utf8'), journalPath)
    const replayed = replayJournal(events)
    expect(replayed.status).toBe('interrupted')
    expect(replayed.steps.slice(0, 5).map((s) => s.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass'])
    const inFlight = replayed.steps.find((s) => s.id === 'ppp-config')
    expect(inFlight?.verdict).toBe('error')
    expect(inFlight?.attempts[0].error?.code).toBe('interrupted')
    expect(replayed.steps.find((s) => s.id === 'ecm.mode')?.verdict).toBe('pending')
    expect(replayed.unit.imei).toBe('868371051234567')

    const next = await runBin(['run', '--sim', 'no-sim', '--time-scale', '0.01', '--out', dir, '--unit', 'K230-NEXT'], dir)
    expect(next.code).toBe(1)
    expect(next.stderr).toMatch(/Recovered an interrupted run \(stopped in step ppp-config\): .*K230-KILL_.*\.json/)
    expect(existsSync(journalPath)).toBe(false)
    const recovered = readdirSync(dir).find((f) => f.startsWith('K230-KILL_') && f.endsWith('.json'))
    const record = JSON.parse(readFileSync(join(dir, recovered as string), 'utf8')) as RunRecord
    expect(record).toMatchObject({ status: 'interrupted', verdict: 'interrupted', unit: { serial: 'K230-KILL' } })
    expect(record.steps.find((s) => s.id === 'ppp-config')?.verdict).toBe('error')
    expect(record.digest).toMatch(/^[0-9a-f]{64}$/)
  })

  it('Ctrl-C aborts: the step in flight ends aborted, the rest are not run, the record is written with status aborted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-int-'))
    const result = await runBin(['run', '--sim', 'healthy', '--time-scale', '0.05', '--out', dir, '--unit', 'K230-INT', '--json'], dir, (child) => {
      untilJournal(dir, (text) => text.includes('"k":"step-start","id":"rndis.mode"'), 60_000)
        .then(() => child.kill('SIGINT'))
        .catch(() => child.kill('SIGKILL'))
    })
    expect(result.code, result.stderr).toBe(4)
    expect(result.stderr).toContain('Aborting after the current command')
    const record = JSON.parse(result.stdout) as RunRecord
    expect(record).toMatchObject({ status: 'aborted', verdict: 'aborted' })
    expect(record.steps.find((s) => s.id === 'ecm.net')?.verdict).toBe('pass')
    expect(record.steps.find((s) => s.id === 'rndis.mode')?.verdict).toBe('aborted')
    expect(record.steps.find((s) => s.id === 'restore')?.attempts[0].reason).toBe('not run: the run was aborted')
    expect(readdirSync(dir).filter((f) => f.endsWith('.journal.jsonl'))).toEqual([])
  })

  it('Ctrl-C that lands as a step ends is ABORTED with exit 4, never a pass, and says what ran', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-int-'))
    const result = await runBin(['run', '--sim', 'healthy', '--time-scale', '0.05', '--out', dir, '--unit', 'K230-INT2'], dir, (child) => {
      untilJournal(dir, (text) => text.includes('"k":"step-end","id":"usb"'), 60_000)
        .then(() => child.kill('SIGINT'))
        .catch(() => child.kill('SIGKILL'))
    })
    expect(result.code, result.stderr).toBe(4)
    expect(result.stdout).toMatch(/Overall: ABORTED/)
    expect(result.stdout).not.toMatch(/Overall: PASS/)
    const name = readdirSync(dir).find((f) => f.endsWith('.json') && f !== 'index.json') as string
    const record = JSON.parse(readFileSync(join(dir, name), 'utf8')) as RunRecord
    expect(record).toMatchObject({ status: 'aborted', verdict: 'aborted' })
    expect(record.steps.find((s) => s.id === 'restore')?.attempts[0].reason).toBe('not run: the run was aborted')
  })
})
