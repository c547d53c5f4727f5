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

describe('session memory', () => {
  it('keeps console text nobody waits for bounded, however long the board talks between commands', async () => {
    const { ConsoleStream } = await import('@engine/session/console-stream')
    const stream = new ConsoleStream()
    const chunk = Buffer.from('64 bytes from 111.13.104.117: seq=1 ttl=55 time=45.7 ms\r\n'.repeat(1000))
    for (let i = 0; i < 200; i++) stream.push(chunk)
    stream.push(Buffer.from('THE LAST LINE\r\n'))
    expect(stream.buffer.length).toBeLessThanOrEqual(1024 * 1024 + chunk.length)
    expect(stream.buffer).toContain('THE LAST LINE')
  })
})
