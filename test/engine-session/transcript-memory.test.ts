import { describe, expect, it } from 'vitest'
import { Transcript } from '@engine/transcript/transcript'

describe('transcript memory', () => {
  it('keeps the newest console text within its character budget however long the board talks', () => {
    const transcript = new Transcript({ maxChars: 64 * 1024 })
    const line = 'x'.repeat(70) + ' boot noise\r\n'
    for (let i = 0; i < 20_000; i++) {
      transcript.record('rx', Buffer.from(`${i} ${line}`))
      if (i % 50 === 0) transcript.record('tx', Buffer.from('echo\r'))
    }
    transcript.record('rx', Buffer.from('THE LAST LINE\r\n'))
    transcript.flush()
    const kept = transcript.entries()
    const chars = kept.reduce((n, e) => n + e.text.length, 0)
    expect(chars).toBeLessThanOrEqual(64 * 1024 + 8 * 1024)
    expect(transcript.droppedEntries).toBeGreaterThan(0)
    expect(kept.map((e) => e.text).join('')).toContain('THE LAST LINE')
  })
})
