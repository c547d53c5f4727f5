import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunRecord } from '@shared/record'

const BIN = resolve(__dirname, '../../bin/k230-bringup')

function runBin(args: string[], cwd: string, onStart: (child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => done({ code, stdout, stderr }))
    onStart(child)
  })
}

/** Resolves once `count` journals in `dir` each hold `text`; polls on the event loop, bounded by a deadline. */
async function untilJournals(dir: string, count: number, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.journal.jsonl')) : []
    if (names.length >= count && names.filter((n) => readFileSync(join(dir, n), 'utf8').includes(text)).length >= count) return
    if (Date.now() > deadline) throw new Error(`${count} journals never reached ${text}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('./bin/k230-bringup run with several slots as a real process', () => {
  it('Ctrl-C aborts every slot after its current command: each record is written aborted, one journal per slot while running, none after, exit 4', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-int-slots-'))
    const result = await runBin(['run', '--sim', 'healthy', '--sim', 'healthy', '--sim', 'no-sim', '--time-scale', '0.05', '--out', dir, '--json'], dir, (child) => {
      untilJournals(dir, 3, '"k":"step-end","id":"usb"', 60_000)
        .then(() => child.kill('SIGINT'))
        .catch(() => child.kill('SIGKILL'))
    })
    expect(result.code, result.stderr).toBe(4)
    expect(result.stderr).toContain('Aborting every slot after its current command')
    const records = JSON.parse(result.stdout) as RunRecord[]
    expect(records).toHaveLength(3)
    expect(records.map((r) => r.station.port)).toEqual(['virtual:healthy', 'virtual:healthy', 'virtual:no-sim'])
    for (const record of records) {
      expect(record.status).toBe('aborted')
      expect(record.steps.find((s) => s.id === 'restore')?.attempts[0].reason).toBe('not run: the run was aborted')
    }
    expect(records.map((r) => r.verdict)).toEqual(['aborted', 'aborted', 'aborted'])
    expect(readdirSync(dir).filter((f) => f.endsWith('.journal.jsonl'))).toEqual([])
    expect(readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json')).toHaveLength(3)
  })
})
