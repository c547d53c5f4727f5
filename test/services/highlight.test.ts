import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { highlightKernel, newHighlightState } from '../../src-renderer/console/highlight'
import { isTerminalReply } from '../../src-renderer/console/terminal-reply'
import { fcSeed } from '../setup/fast-check'

const strip = (s: string) => s.replace(/\x1b\[(36|0)m/g, '')
const feed = (chunks: string[]) => {
  const state = newHighlightState()
  return chunks.map((c) => highlightKernel(c, state)).join('') + state.pending
}

describe('kernel line highlighting in the console', () => {
  it('colours kernel lines and leaves the prompt and command output alone', () => {
    const out = feed(['[root@canaan ~ ]# dmesg | tail -1\r\n[    3.164090] usb 1-1: New USB device found\r\nplain\r\n'])
    expect(out).toBe('[root@canaan ~ ]# dmesg | tail -1\r\n\x1b[36m[    3.164090] usb 1-1: New USB device found\r\x1b[0m\nplain\r\n')
  })

  it('recognises a timestamp split across chunks', () => {
    expect(feed(['ok\r\n[  ', ' 12.3', '45678] usb 1-1: USB disconnect\n'])).toBe('ok\r\n\x1b[36m[   12.345678] usb 1-1: USB disconnect\x1b[0m\n')
  })

  it('never changes the text itself, however it is split', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('[', ']', ' ', '1', '.', '\n', '\r', 'a', '[    3.164090] usb\n', '# '), { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), (parts, cuts) => {
        const text = parts.join('')
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)
        const chunks: string[] = []
        let last = 0
        for (const p of points) {
          chunks.push(text.slice(last, p))
          last = p
        }
        chunks.push(text.slice(last))
        expect(strip(feed(chunks))).toBe(text)
        expect(feed(chunks)).toBe(feed([text]))
      }),
      { seed: fcSeed() },
    )
  })

  it('tells terminal auto-replies from typed keys', () => {
    expect(isTerminalReply('\x1b[24;80R')).toBe(true)
    expect(isTerminalReply('\x1b[?1;2c')).toBe(true)
    expect(isTerminalReply('ls\r')).toBe(false)
    expect(isTerminalReply('\x1b[A')).toBe(false)
  })
})
