import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { spawnSync } from 'node:child_process'
import {
  AtError,
  AtResponseParser,
  MAX_AT_LINE,
  MAX_IDLE_URCS,
  responseFromMicrocom,
  shellQuote,
  validateAtCommand,
  type AtResponse,
} from '@engine/at'
import { haveTools } from './support/tools'
import { fcSeed } from '../setup/fast-check'

const SAMPLES: [string, string][] = [
  ['AT+CSQ', 'AT+CSQ\r\r\n+CSQ: 31,99\r\n\r\nOK\r\n'],
  ['ATI', 'ATI\r\r\nQuectel\r\nEC200A\r\nRevision: EC200ACNDAR01A08M16\r\n\r\nOK\r\n'],
  ['AT+COPS?', 'AT+COPS?\r\r\n+COPS: 0,0,"CHINA MOBILE",7\r\n\r\nOK\r\n'],
  ['AT+CPIN?', 'AT+CPIN?\r\r\n+CME ERROR: 10\r\n'],
  ['AT+QCFG="usbnet"', 'AT+QCFG="usbnet"\r\r\n+QCFG: "usbnet",1\r\n\r\nOK\r\n'],
  [
    'at+cpin?;+csq;+cops?',
    'at+cpin?;+csq;+cops? +CSQ: 31,99\r\n\r\n+CME ERROR: 10\r\n\r\n+COPS: 0\r\n',
  ],
  ['ATD*99#', 'ATD*99#\r\r\nCONNECT 150000000\r\n'],
  ['AT+QLONG', `AT+QLONG\r\r\n+QLONG: ${'x'.repeat(10_000)}\r\n${'y'.repeat(4096)}\r\nOK\r\n`],
]
/** Samples whose lines stay under MAX_AT_LINE: escape codes before a longer line move where it is cut. */
const SHORT_SAMPLES = SAMPLES.filter(([, stream]) => stream.length < 4096)
const URCS = [
  'RDY',
  '+CFUN: 1',
  '+CPIN: READY',
  '+QUSIM: 1',
  '+QIND: SMS DONE',
  '+QNETDEVSTATUS: 1',
  '+CREG: 1',
]
const KERNEL = [
  '[   12.345678] usb 1-1: reset high-speed USB device number 2 using dwc2',
  '[ 3.1] option1 ttyUSB2: GSM modem (1-port) converter now disconnected from ttyUSB2',
]
const ANSI = ['\x1b[0m', '\x1b[6n', '\x1b[1;31m', '\x1b[K']

const view = (r: AtResponse | undefined) =>
  r && { final: r.final, lines: r.lines, echoed: r.echoed }

function feedAll(
  command: string,
  chunks: (string | Uint8Array)[],
): { responses: AtResponse[]; urcs: string[] } {
  const parser = new AtResponseParser()
  const urcs: string[] = []
  parser.onUrc((u) => urcs.push(u.raw))
  parser.expect(command)
  const responses = chunks.flatMap((c) => parser.feed(c))
  const last = parser.end()
  if (last) responses.push(last)
  return { responses, urcs }
}

function splitAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)
  const parts: string[] = []
  let from = 0
  for (const p of points) {
    parts.push(text.slice(from, p))
    from = p
  }
  parts.push(text.slice(from))
  return parts
}

describe('AT response parser, property-based', () => {
  it('never throws or hangs on random bytes in random chunks, and every completed response has a final result', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }),
        (command, chunks) => {
          const { responses } = feedAll(command, chunks)
          expect(responses.length).toBeLessThanOrEqual(1)
          for (const r of responses) expect(r.final).toBeDefined()
        },
      ),
      { seed: fcSeed(), numRuns: 500 },
    )
  })

  it('parses a sample split anywhere (bytes or text) exactly as in one piece', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SAMPLES),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        ([command, stream], cuts, asBytes) => {
          const whole = feedAll(command, [stream])
          const bytes = new TextEncoder().encode(stream)
          const chunks = asBytes
            ? splitAt(Buffer.from(bytes).toString('latin1'), cuts).map((s) =>
                Uint8Array.from(Buffer.from(s, 'latin1')),
              )
            : splitAt(stream, cuts)
          const split = feedAll(command, chunks)
          expect(split.responses.map(view)).toEqual(whole.responses.map(view))
          expect(split.urcs).toEqual(whole.urcs)
        },
      ),
      { seed: fcSeed(), numRuns: 300 },
    )
  })

  it('keeps the final result and information lines when line endings change, escapes and kernel lines land between lines', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SHORT_SAMPLES),
        fc.array(
          fc.tuple(
            fc.constantFrom('\r\n', '\n', '\r', '\r\r\n', '\n\r'),
            fc.constantFrom('', ...ANSI),
            fc.option(fc.constantFrom(...KERNEL), { nil: undefined }),
          ),
          { minLength: 12, maxLength: 12 },
        ),
        ([command, stream], decor) => {
          const expected = view(feedAll(command, [stream]).responses[0])
          const lines = stream.split(/\r\n|\r|\n/).filter((l) => l !== '')
          const noisy = lines
            .map(
              (line, i) =>
                `${decor[i % 12][1]}${line}${decor[i % 12][0]}${decor[i % 12][2] ? decor[i % 12][2] + '\r\n' : ''}`,
            )
            .join('')
          const { responses } = feedAll(command, [noisy])
          expect(view(responses[0])).toEqual(expected)
          const finalIndex = lines.findIndex(
            (l, i) => i > 0 && /^(OK|ERROR|\+CME ERROR|CONNECT)/.test(l),
          )
          const kernelCount = lines.slice(0, finalIndex).filter((_l, i) => decor[i % 12][2]).length
          expect(responses[0].noise.length).toBe(kernelCount)
        },
      ),
      { seed: fcSeed(), numRuns: 300 },
    )
  })

  it('sets URCs spliced between lines apart without changing the answer', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SAMPLES.filter(([c]) => !/CPIN|CREG/i.test(c))),
        fc.array(fc.tuple(fc.nat(8), fc.constantFrom(...URCS)), { maxLength: 5 }),
        ([command, stream], splices) => {
          const expected = view(feedAll(command, [stream]).responses[0])
          const lines = stream.split(/\r\n|\r|\n/).filter((l) => l !== '')
          const finalIndex = lines.findIndex(
            (l, i) => i > 0 && /^(OK|ERROR|\+CME ERROR|CONNECT)/.test(l),
          )
          const noisy = [...lines]
          const inserted: string[] = []
          for (const [at, urc] of [...splices].sort((a, b) => b[0] - a[0])) {
            const position = 1 + (at % finalIndex)
            noisy.splice(position, 0, urc)
            inserted.unshift(urc)
          }
          const { responses, urcs } = feedAll(command, [noisy.join('\r\n') + '\r\n'])
          expect(view(responses[0])).toEqual(expected)
          expect(responses[0].urcs.map((u) => u.raw).sort()).toEqual([...inserted].sort())
          expect(urcs.slice(0, inserted.length).sort()).toEqual([...inserted].sort())
        },
      ),
      { seed: fcSeed(), numRuns: 300 },
    )
  })

  it('stays bounded on a flood without line breaks and still completes the answer that follows', () => {
    const parser = new AtResponseParser()
    parser.expect('AT+CSQ')
    const flood = 'Z'.repeat(64 * 1024)
    let done: AtResponse[] = []
    for (let i = 0; i < 16; i++) done = done.concat(parser.feed(flood))
    done = done.concat(parser.feed('\r\n+CSQ: 20,99\r\nOK\r\n'))
    expect(done).toHaveLength(1)
    expect(done[0].lines.at(-1)).toBe('+CSQ: 20,99')
    expect(done[0].lines.slice(0, -1).every((l) => l.length <= MAX_AT_LINE)).toBe(true)
    for (let i = 0; i < 1000; i++) parser.feed('+QIND: SMS DONE\r\n')
    expect(parser.idleUrcs.length).toBe(MAX_IDLE_URCS)
  })

  it('turns any microcom output into a response or a named AtError, never a crash', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (output) => {
        const result = responseFromMicrocom('AT+CSQ', output, '/dev/ttyUSB2', 1000)
        if (result.error) expect(result.error).toBeInstanceOf(AtError)
        else expect(result.response?.final).toBeDefined()
      }),
      { seed: fcSeed(), numRuns: 500 },
    )
  })

  it('accepts only printable AT command lines and names the fault of the rest', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        try {
          const checked = validateAtCommand(text)
          expect(checked).toMatch(/^AT[\x20-\x7e]*$/i)
        } catch (error) {
          expect(error).toBeInstanceOf(AtError)
          expect((error as AtError).code).toBe('invalid-command')
        }
      }),
      { seed: fcSeed(), numRuns: 500 },
    )
  })

  it.skipIf(!haveTools('busybox'))(
    "quotes any printable command so BusyBox sh hands it to microcom's stdin verbatim (needs busybox)",
    () => {
      fc.assert(
        fc.property(
          fc.string({
            unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
            maxLength: 60,
          }),
          (rest) => {
            const command = `AT${rest}`
            const out = spawnSync('busybox', ['sh', '-c', `printf '%s\\r' ${shellQuote(command)}`])
            expect(out.stdout.toString('latin1')).toBe(`${command}\r`)
          },
        ),
        { seed: fcSeed(), numRuns: 60 },
      )
    },
  )
})
