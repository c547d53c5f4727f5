import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { BusyBoxSession } from '@engine/session/shell-session'
import { SessionError } from '@engine/session/types'
import { ConsoleTextCleaner } from '@engine/transcript/console-text'
import { createFakeShell, type Noise, type Scripted } from './helpers/fake-shell'
import { fcSeed } from '../setup/fast-check'

const outputChars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789 .,:;=/-_#$%&*()"\'\n\t'.split(''))
const outputText = fc.string({ unit: outputChars, maxLength: 300 })
const kernelLine = fc
  .tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 999999 }), fc.string({ unit: fc.constantFrom(...'abcdefghij 0123:-'.split('')), maxLength: 60 }))
  .map(([s, us, msg]) => `[${String(s).padStart(5)}.${String(us).padStart(6, '0')}] usb 1-1:${msg}`.trimEnd())
const escape = fc.constantFrom('\x1b[6n', '\x1b[1;31m', '\x1b[0m', '\x1b[K', '\x1b]0;title\x07', '\x1b(B')
const noiseArb: fc.Arbitrary<Noise> = fc.record({
  kernel: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), line: kernelLine }), { maxLength: 3 }),
  escapes: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), text: escape }), { maxLength: 3 }),
  splits: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
})

describe('session stream parser under random output, split points and noise', () => {
  it('returns exactly the output and exit status of every command, and lifts every kernel line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ output: outputText, status: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 5 }),
        fc.array(noiseArb, { minLength: 1, maxLength: 20 }),
        async (script: Scripted[], noises: Noise[]) => {
          let n = 0
          const link = createFakeShell(script, () => noises[n++ % noises.length])
          const session = new BusyBoxSession(link, { quietMs: 5, probeTimeoutMs: 500 })
          const kernel: string[] = []
          session.on('kernel', (line) => kernel.push(line))
          await session.attach({ timeout: 10_000 })
          for (let i = 0; i < script.length; i++) {
            const r = await session.run(`emit ${i}`, { timeout: 5000 })
            expect(r.status).toBe(script[i].status)
            expect(r.output).toBe(script[i].output)
          }
          expect(kernel).toEqual(link.kernelSent.map((l) => l.trimEnd()))
          session.dispose()
        },
      ),
      { seed: fcSeed(), numRuns: 60 },
    )
  })

  it('never reports a wrong exit status when random bytes arrive before the reply', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 255 }), async (garbage, status) => {
        let replies = 0
        const link = createFakeShell([{ output: 'x\n', status }], () => (replies++ > 6 ? { before: garbage } : {}))
        const session = new BusyBoxSession(link, { quietMs: 5, probeTimeoutMs: 300 })
        try {
          await session.attach({ timeout: 5000 })
          const r = await session.run('emit 0', { timeout: 2000 })
          expect(r.status).toBe(status)
        } catch (error) {
          expect(error).toBeInstanceOf(SessionError)
        } finally {
          session.dispose()
        }
      }),
      { seed: fcSeed(), numRuns: 60 },
    )
  })
})

describe('console text cleaner', () => {
  it('gives the same text and kernel lines however the stream is split', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(outputText, kernelLine.map((l) => `${l}\r\n`), escape), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 10 }), (parts, cutsRaw) => {
        const whole = parts.join('')
        const once = new ConsoleTextCleaner()
        const a = once.push(whole)
        const af = once.flush()
        const split = new ConsoleTextCleaner()
        const cuts = [...new Set(cutsRaw.map((c) => c % (whole.length + 1)))].sort((x, y) => x - y)
        let text = ''
        const kernel: string[] = []
        let from = 0
        for (const cut of [...cuts, whole.length]) {
          const r = split.push(whole.slice(from, cut))
          text += r.text
          kernel.push(...r.kernel)
          from = cut
        }
        const f = split.flush()
        expect(text + f.text).toBe(a.text + af.text)
        expect([...kernel, ...f.kernel]).toEqual([...a.kernel, ...af.kernel])
      }),
      { seed: fcSeed(), numRuns: 300 },
    )
  })

  it('never throws or loops on arbitrary input, and never lets an escape or CR through', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('latin1')), { maxLength: 8 }), (chunks) => {
        const cleaner = new ConsoleTextCleaner()
        let text = ''
        for (const c of chunks) text += cleaner.push(c).text
        text += cleaner.flush().text
        expect(text).not.toMatch(/[\x1b\r]/)
      }),
      { seed: fcSeed(), numRuns: 300 },
    )
  })

  it('lifts a kernel line spliced mid-line and keeps the line it interrupted whole', () => {
    const c = new ConsoleTextCleaner()
    const r = c.push('Bus 001 Dev[    3.176872] usb 1-1: New USB device found\r\nice 002: ID 2c7c:6005\r\n')
    expect(r.text).toBe('Bus 001 Device 002: ID 2c7c:6005\n')
    expect(r.kernel).toEqual(['[    3.176872] usb 1-1: New USB device found'])
  })
})
