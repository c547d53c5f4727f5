import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { RunRecord, StepAttempt } from '@shared/record'
import { StationProgress } from '../../src-cli/commands/run-progress'
import { translator } from '../../src-shared/i18n/translate'

/** What a VT100-style terminal shows after the bytes written: \r, \n, ESC[nA (up), ESC[J (clear to the end of the screen), ESC[K (clear the line). */
function terminal(): Writable & { isTTY: true; columns: number; screen: () => string[] } {
  const rows: string[] = ['']
  let row = 0
  let col = 0
  const put = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const esc = /^\x1b\[(\d*)([AJK])/.exec(text.slice(i))
      if (esc) {
        const n = Number(esc[1] || 1)
        if (esc[2] === 'A') row = Math.max(0, row - n)
        if (esc[2] === 'J') {
          rows.splice(row + 1)
          rows[row] = rows[row].slice(0, col)
        }
        if (esc[2] === 'K') rows[row] = rows[row].slice(0, col)
        i += esc[0].length - 1
      } else if (text[i] === '\r') col = 0
      else if (text[i] === '\n') {
        row++
        col = 0
        if (rows.length <= row) rows.push('')
      } else {
        rows[row] = rows[row].slice(0, col).padEnd(col) + text[i] + rows[row].slice(col + 1)
        col++
      }
    }
  }
  const out = new Writable({
    write(chunk, _e, done) {
      put(String(chunk))
      done()
    },
  }) as Writable & { isTTY: true; columns: number; screen: () => string[] }
  out.isTTY = true
  out.columns = 120
  out.screen = () => rows.slice(0, rows[rows.length - 1] === '' ? -1 : undefined)
  return out
}

const attempt = (verdict: 'pass' | 'fail'): StepAttempt => ({
  attempt: 1,
  verdict,
  startedAt: '2026-12-03T10:00:00.000Z',
  endedAt: '2026-12-03T10:00:01.200Z',
  durationMs: 1200,
  measurements: [],
  evidence: { excerpt: '' },
})

const flush = () => new Promise((resolve) => setImmediate(resolve))

describe('station progress on a terminal', () => {
  it('keeps one status line per slot below the result lines, each result line once with its slot name, and clears the status lines at the end', async () => {
    const out = terminal()
    const view = new StationProgress(out, ['A1', 'B2'], translator('en'))
    const a = view.printer(0)
    const b = view.printer(1)
    view.line(0, 'K230 Bring-up on virtual:healthy')
    a({ type: 'step-start', id: 'console', title: 'Console', attempt: 1, index: 0, total: 15 })
    b({ type: 'step-start', id: 'console', title: 'Console', attempt: 1, index: 0, total: 15 })
    a({ type: 'step-end', id: 'console', title: 'Console', attempt: attempt('pass'), index: 0, total: 15 })
    a({ type: 'step-start', id: 'usb', title: 'USB', attempt: 1, index: 1, total: 15 })
    b({ type: 'step-end', id: 'console', title: 'Console', attempt: attempt('pass'), index: 0, total: 15 })
    await flush()
    expect(out.screen()).toEqual([
      '[A1] K230 Bring-up on virtual:healthy',
      '[A1]  1/15 PASS  console       1.2s',
      '[B2]  1/15 PASS  console       1.2s',
      '[A1] [#...................] 2/15 usb: USB enumeration of the EC200A...',
      '[B2] [....................] 1/15 console: Console and board identity...',
    ])
    b({ type: 'run-end', record: { verdict: 'fail', steps: [{ id: 'console', attempts: [attempt('pass')] }, { id: 'usb', attempts: [] }] } as unknown as RunRecord })
    await flush()
    expect(out.screen().at(-1)).toBe('[B2] FAIL  Ran 1 of 2 planned steps')
    view.end()
    await flush()
    expect(out.screen()).toEqual(['[A1] K230 Bring-up on virtual:healthy', '[A1]  1/15 PASS  console       1.2s', '[B2]  1/15 PASS  console       1.2s'])
  })

  it('off a terminal writes only the prefixed result lines, no status lines or escapes', async () => {
    const chunks: string[] = []
    const out = new Writable({
      write(chunk, _e, done) {
        chunks.push(String(chunk))
        done()
      },
    })
    const view = new StationProgress(out, ['1', '12'], translator('zh-CN'))
    view.printer(1)({ type: 'step-start', id: 'console', title: 'Console', attempt: 1, index: 0, total: 15 })
    view.printer(1)({ type: 'step-end', id: 'console', title: 'Console', attempt: attempt('fail'), index: 0, total: 15 })
    view.end()
    await flush()
    expect(chunks.join('')).toBe('[12]  1/15 失败  console       1.2s\n')
  })
})
