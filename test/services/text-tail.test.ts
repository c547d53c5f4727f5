import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TextTail } from '@shared/text-tail'
import { fcSeed } from '../setup/fast-check'

describe('TextTail: the console scrollback the app keeps for a screen that re-attaches', () => {
  it('always holds exactly the last maxChars characters appended, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.array(fc.string({ maxLength: 120 }), { maxLength: 600 }), (max, chunks) => {
        const tail = new TextTail(max)
        let all = ''
        for (const chunk of chunks) {
          tail.append(chunk)
          all += chunk
        }
        expect(tail.text()).toBe(all.slice(Math.max(0, all.length - max)))
      }),
      { seed: fcSeed() },
    )
  })

  it('stays within its bound through a long stream of one-character appends and keeps the newest text', () => {
    const tail = new TextTail(1000)
    for (let i = 0; i < 200_000; i++) tail.append(String.fromCharCode(97 + (i % 26)))
    const newest = Array.from({ length: 1000 }, (_, k) => String.fromCharCode(97 + ((199_000 + k) % 26))).join('')
    expect(tail.text()).toBe(newest)
    tail.append('END')
    expect(tail.text().endsWith('END')).toBe(true)
    expect(tail.text()).toHaveLength(1000)
  })
})
