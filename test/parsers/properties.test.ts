import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { fcSeed } from '../setup/fast-check'
import {
  parseDmesg,
  parseIfconfig,
  parseKernelConfig,
  parseLsusb,
  parsePing,
  parsePppdLog,
  parseUdhcpc,
  parseUsbDevices,
  parseUsbDrivers,
  type Parsed,
} from '@engine/parsers'
import { fixture } from './fixtures'

type Parser = (text: unknown) => Parsed<unknown>

const SAMPLES: [string, Parser, string][] = [
  ['dmesg', parseDmesg, 'dmesg-1.1.txt'],
  ['lsusb', parseLsusb, 'lsusb-1.2.txt'],
  ['usb/devices', parseUsbDevices, 'usb-devices-1.3.txt'],
  ['usb drivers', parseUsbDrivers, 'usb-drivers-3.1.txt'],
  ['udhcpc', parseUdhcpc, 'udhcpc-3.3.3.txt'],
  ['ifconfig', parseIfconfig, 'ifconfig-busybox.txt'],
  ['ping', parsePing, 'ping-3.3.4.txt'],
  ['pppd', parsePppdLog, 'pppd-connected.txt'],
  ['kernel config', parseKernelConfig, 'kernel-options-2.1.1.txt'],
]

const normalise = (parsed: Parsed<unknown>) =>
  JSON.stringify(parsed.value, (_k, v: unknown) => (v instanceof Map ? [...v] : v))
const KERNEL_LINES = [
  '[   12.345678] usb 1-1: reset high-speed USB device number 2 using dwc2',
  '[ 4021.000001] random: crng init done',
  '<4>[    7.1] WARNING: CPU: 0 PID: 1 at x',
]
const ANSI = ['\x1b[0m', '\x1b[1;32m', '\x1b[6n', '\x1b[K', '\x1b[2J\x1b[H']

const lineEndings = fc.constantFrom('\n', '\r\n', '\r\r\n')

describe.each(SAMPLES)('%s parser, property-based', (_name, parse, sample) => {
  const text = fixture(sample)
  const lines = text.replace(/\n$/, '').split('\n')

  it('never throws and always returns value/unparsed/warnings on random text and bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.string({ unit: 'binary', maxLength: 400 }),
          fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
        ),
        (input) => {
          const parsed = parse(input)
          expect(Array.isArray(parsed.unparsed)).toBe(true)
          expect(Array.isArray(parsed.warnings)).toBe(true)
          expect(parsed.value).toBeDefined()
        },
      ),
      { seed: fcSeed(), numRuns: 300 },
    )
  })

  it('never throws on values that are not text', () => {
    for (const input of [undefined, null, 42, {}, [], Buffer.from('x')])
      expect(() => parse(input)).not.toThrow()
  })

  it('reads the sample the same whatever the line endings and escape codes', () => {
    const expected = normalise(parse(text))
    fc.assert(
      fc.property(
        fc.array(fc.tuple(lineEndings, fc.option(fc.constantFrom(...ANSI), { nil: '' })), {
          minLength: lines.length,
          maxLength: lines.length,
        }),
        (decor) => {
          const noisy = lines.map((line, i) => decor[i][1] + line + decor[i][0]).join('')
          expect(normalise(parse(noisy))).toBe(expected)
        },
      ),
      { seed: fcSeed(), numRuns: 100 },
    )
  })

  it('keeps its reading when kernel lines are spliced between lines, and sets them aside (dmesg: adds them)', () => {
    const expected = parse(text)
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(lines.length), fc.constantFrom(...KERNEL_LINES)), {
          maxLength: 4,
        }),
        (splices) => {
          const noisy = [...lines]
          for (const [at, kernel] of [...splices].sort((a, b) => b[0] - a[0]))
            noisy.splice(at, 0, kernel)
          const parsed = parse(noisy.join('\n'))
          if (parse === parseDmesg) {
            const log = parsed.value as ReturnType<typeof parseDmesg>['value']
            expect(log.lines.length).toBe(
              (expected.value as typeof log).lines.length + splices.length,
            )
            expect(log.facts.filter((f) => f.kind !== 'fault')).toEqual(
              (expected.value as typeof log).facts,
            )
          } else {
            expect(normalise(parsed)).toBe(normalise(expected))
            expect(parsed.unparsed.filter((l) => /\[\s*\d+\.\d+\]/.test(l))).toHaveLength(
              splices.length,
            )
          }
        },
      ),
      { seed: fcSeed(), numRuns: 100 },
    )
  })

  it('gets through long hostile lines within the test timeout (no catastrophic backtracking)', () => {
    const hostile = [
      'A '.repeat(20_000) + 'MTU:x',
      '('.repeat(20_000),
      'Cls=' + '('.repeat(20_000),
      '1.1.1.1.'.repeat(5_000),
      '"'.repeat(20_000),
      'CONFIG_' + 'A'.repeat(20_000) + '=',
      '[ ' + '1'.repeat(20_000),
      'Bus 001 Device 001: ID ' + 'f'.repeat(20_000),
      'usb 1-1' + ':1'.repeat(10_000),
    ]
    for (const input of hostile) expect(parse(input + '\n' + input).value).toBeDefined()
  }, 20_000)
})
