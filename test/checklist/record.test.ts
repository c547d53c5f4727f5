import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RECORD_SCHEMA_VERSION, type RunRecord } from '@shared/record'
import { maskSecrets, parseJournal, recoverJournals, replayJournal, writeFileAtomic, type JournalEvent } from '@engine/record/index'
import { validateRecord } from '@engine/report/index'

function header(id: string): RunRecord {
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    id,
    unit: { serial: 'SN-R' },
    station: { id: 's', appVersion: '0.1.0', port: 'virtual:healthy', baud: 115200 },
    profile: { name: 'default', hash: 'a'.repeat(64), values: {} },
    startedAt: '2026-11-25T10:00:00.000Z',
    status: 'running',
    verdict: 'running',
    steps: ['console', 'usb', 'drivers'].map((s) => ({ id: s, title: s, needs: [], attempts: [], verdict: 'pending' as const })),
    transcript: [],
  }
}

const attempt = (verdict: 'pass' | 'fail') => ({ attempt: 1, verdict, startedAt: '2026-11-25T10:00:01.000Z', endedAt: '2026-11-25T10:00:02.000Z', durationMs: 1000, measurements: [], evidence: { excerpt: 'x' } })

function journalText(events: JournalEvent[], torn = ''): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n' + torn
}

/** PID of a process that has exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', ''])
    child.on('exit', () => resolve(child.pid as number))
  })
}

describe('record journal and recovery', () => {
  it('replays a crashed journal: torn last line dropped, step in flight is error, unreached steps stay pending', () => {
    const events: JournalEvent[] = [
      { k: 'start', pid: 1, host: 'h', record: header('r1') },
      { k: 'step-start', id: 'console', attempt: 1, startedAt: '2026-11-25T10:00:01.000Z' },
      { k: 'step-end', id: 'console', attempt: attempt('pass') },
      { k: 'unit', unit: { serial: 'SN-R', imei: '868371051234567' } },
      { k: 'step-start', id: 'usb', attempt: 1, startedAt: '2026-11-25T10:00:02.000Z' },
      { k: 'transcript', entries: [{ t: 5, dir: 'tx', text: 'lsusb' }] },
    ]
    const parsed = parseJournal(journalText(events, '{"k":"step-end","id":"usb","att'))
    const record = replayJournal(parsed)
    expect(record.status).toBe('interrupted')
    expect(record.verdict).toBe('interrupted')
    expect(record.steps.map((s) => s.verdict)).toEqual(['pass', 'error', 'pending'])
    expect(record.steps[1].attempts[0]).toMatchObject({ verdict: 'error', error: { code: 'interrupted' } })
    expect(record.unit.imei).toBe('868371051234567')
    expect(record.transcript).toEqual([{ t: 5, dir: 'tx', text: 'lsusb' }])
    expect(validateRecord(record)).toMatchObject({ ok: true })
  })

  it('replays a finished journal (the record write failed) with the end time the run had', () => {
    const events: JournalEvent[] = [
      { k: 'start', pid: 1, host: 'h', record: header('r3') },
      { k: 'step-start', id: 'console', attempt: 1, startedAt: '2026-11-25T10:00:01.000Z' },
      { k: 'step-end', id: 'console', attempt: attempt('pass') },
      { k: 'step-end', id: 'usb', attempt: attempt('pass') },
      { k: 'step-end', id: 'drivers', attempt: attempt('pass') },
      { k: 'end', status: 'completed', endedAt: '2026-11-25T10:00:03.500Z' },
    ]
    const record = replayJournal(events, new Date('2026-11-26T00:00:00.000Z'))
    expect(record).toMatchObject({ status: 'completed', verdict: 'pass', endedAt: '2026-11-25T10:00:03.500Z' })
    const partial = replayJournal([...events.slice(0, 3), { k: 'end', status: 'completed' }])
    expect(partial.verdict, 'steps that never ran keep the run from passing').toBe('error')
    const older = replayJournal([...events.slice(0, 5), { k: 'end', status: 'completed' }])
    expect(older.endedAt).toBe('2026-11-25T10:00:02.000Z')
    expect(validateRecord(record)).toMatchObject({ ok: true })
  })

  it('refuses a journal damaged in the middle, naming the line', () => {
    const text = journalText([{ k: 'start', pid: 1, host: 'h', record: header('r2') }]) + 'garbage\n' + JSON.stringify({ k: 'end', status: 'completed' }) + '\n'
    expect(() => parseJournal(text, 'j.jsonl')).toThrow('j.jsonl: line 2 is not valid JSON')
    expect(() => parseJournal('', 'empty.jsonl')).toThrow('empty.jsonl: does not begin with a start event')
  })

  it('recovers orphaned journals into sealed interrupted records, leaves live runs and reports broken ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-recover-'))
    const dead = await deadPid()
    writeFileSync(join(dir, 'dead.journal.jsonl'), journalText([{ k: 'start', pid: dead, host: hostname(), record: header('deadbeef-0000') }, { k: 'step-start', id: 'console', attempt: 1, startedAt: '2026-11-25T10:00:01.000Z' }]))
    writeFileSync(join(dir, 'live.journal.jsonl'), journalText([{ k: 'start', pid: process.ppid, host: hostname(), record: header('11111111-live') }]))
    writeFileSync(join(dir, 'broken.journal.jsonl'), 'not json\n{}\n')
    const results = recoverJournals(dir)
    const ok = results.find((r) => r.journal.endsWith('dead.journal.jsonl'))
    expect(ok?.record?.status).toBe('interrupted')
    expect(ok?.record?.steps[0].verdict).toBe('error')
    expect(existsSync(join(dir, 'dead.journal.jsonl'))).toBe(false)
    expect(JSON.parse(readFileSync(ok?.recordPath as string, 'utf8')).digest).toMatch(/^[0-9a-f]{64}$/)
    expect(results.find((r) => r.journal.endsWith('broken.journal.jsonl'))?.error).toMatch(/line 1 is not valid JSON/)
    expect(results.some((r) => r.journal.endsWith('live.journal.jsonl'))).toBe(false)
    expect(readdirSync(dir)).toContain('live.journal.jsonl')
  })

  it('writes atomically: readers see the old file or the whole new one, no temporary left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-atomic-'))
    const path = join(dir, 'r.json')
    writeFileAtomic(path, 'old\n')
    writeFileAtomic(path, 'new\n')
    expect(readFileSync(path, 'utf8')).toBe('new\n')
    expect(readdirSync(dir)).toEqual(['r.json'])
  })

  it('masks the password wherever pppd, chat and the scripts print it', () => {
    const text = 'user "test" password "s3cr3t!"\nQL_PASSWORD=\'s3cr3t!\'\npassword  s3cr3t!   # (default)\nhide-password\nnoauth\n'
    const masked = maskSecrets(text, ['s3cr3t!'])
    expect(masked).not.toContain('s3cr3t!')
    expect(masked).toContain('hide-password\nnoauth')
  })
})
