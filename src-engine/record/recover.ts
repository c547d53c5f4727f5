/** Turns a journal into a record: the live path for a finished run, the recovery path for a crashed one. */
import type { StationKey } from '../report/signature'
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { overallVerdict, type RunRecord, type StepRecord } from '@shared/record'
import type { JournalEvent } from './journal'
import { recordFileName } from './names'
import { writeRecordFile } from './atomic'

/** Parses journal text; a torn last line (the crash) is dropped, any other bad line is an error naming it. */
export function parseJournal(text: string, source = 'journal'): JournalEvent[] {
  const lines = text.split('\n')
  const events: JournalEvent[] = []
  lines.forEach((line, index) => {
    if (line.trim() === '') return
    try {
      events.push(JSON.parse(line) as JournalEvent)
    } catch {
      const isLast = lines.slice(index + 1).every((l) => l.trim() === '')
      if (!isLast) throw new Error(`${source}: line ${index + 1} is not valid JSON`)
    }
  })
  if (events[0]?.k !== 'start') throw new Error(`${source}: does not begin with a start event`)
  return events
}

/** Replays journal events into a record. Without an `end` event the run is `interrupted` and the step in flight is `error`. */
export function replayJournal(events: JournalEvent[], now = new Date()): RunRecord {
  const start = events[0]
  if (start?.k !== 'start') throw new Error('journal does not begin with a start event')
  const record: RunRecord = structuredClone(start.record)
  const byId = new Map<string, StepRecord>(record.steps.map((s) => [s.id, s]))
  const inFlight = new Map<string, { attempt: number; startedAt: string }>()
  let ended: RunRecord['status'] | undefined
  let endedAt: string | undefined
  let lastTime = record.startedAt
  for (const event of events.slice(1)) {
    switch (event.k) {
      case 'unit':
        record.unit = { ...record.unit, ...event.unit }
        break
      case 'step-start':
        inFlight.set(event.id, { attempt: event.attempt, startedAt: event.startedAt })
        lastTime = event.startedAt
        break
      case 'step-end': {
        inFlight.delete(event.id)
        const step = byId.get(event.id)
        if (!step) break
        step.attempts = step.attempts.filter((a) => a.attempt !== event.attempt.attempt).concat(event.attempt)
        step.verdict = event.attempt.verdict
        lastTime = event.attempt.endedAt
        break
      }
      case 'transcript':
        record.transcript.push(...event.entries)
        break
      case 'end':
        ended = event.status
        endedAt = event.endedAt
        break
    }
  }
  if (ended === undefined) {
    const stoppedAt = now.toISOString()
    for (const [id, flight] of inFlight) {
      const step = byId.get(id)
      if (!step) continue
      step.attempts.push({
        attempt: flight.attempt,
        verdict: 'error',
        reason: 'the run stopped while this step was in progress (crash, kill or power loss of the station)',
        startedAt: flight.startedAt,
        endedAt: lastTime > flight.startedAt ? lastTime : flight.startedAt,
        durationMs: Math.max(0, Date.parse(lastTime) - Date.parse(flight.startedAt)),
        measurements: [],
        evidence: { excerpt: '' },
        error: { code: 'interrupted', message: 'run interrupted during this step' },
      })
      step.verdict = 'error'
    }
    record.status = 'interrupted'
    record.verdict = 'interrupted'
    record.endedAt = record.endedAt ?? stoppedAt
  } else {
    record.status = ended
    record.endedAt = endedAt ?? record.endedAt ?? lastTime
    record.verdict = overallVerdict(
      record.steps.map((s) => s.verdict),
      { aborted: ended === 'aborted', linkLost: ended === 'link-lost' },
    )
  }
  return record
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** What recovery did with one journal. */
export interface RecoveredJournal {
  journal: string
  recordPath?: string
  record?: RunRecord
  error?: string
}

/** Converts every orphaned journal in `dir` (its writer on this host is gone) into an interrupted record, signed by `signer` when given; removes the journal. */
export function recoverJournals(dir: string, signer?: StationKey): RecoveredJournal[] {
  if (!existsSync(dir)) return []
  const results: RecoveredJournal[] = []
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.journal.jsonl'))) {
    const path = join(dir, name)
    try {
      const events = parseJournal(readFileSync(path, 'utf8'), path)
      const start = events[0] as Extract<JournalEvent, { k: 'start' }>
      if (start.host === hostname() && start.pid !== process.pid && alive(start.pid)) continue
      if (start.host === hostname() && start.pid === process.pid) continue
      const record = replayJournal(events)
      const recordPath = join(dir, recordFileName(record))
      const sealed = writeRecordFile(recordPath, record, signer)
      unlinkSync(path)
      results.push({ journal: path, recordPath, record: sealed })
    } catch (error) {
      results.push({ journal: path, error: error instanceof Error ? error.message : String(error) })
    }
  }
  return results
}
