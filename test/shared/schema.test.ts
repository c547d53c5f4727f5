import { describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import Ajv from 'ajv'
import { INVOKE_CHANNELS, INVOKE_SCHEMAS, type InvokeChannel } from '@shared/ipc'
import { arr, literal, num, obj, optional, parse, PayloadError, str, union, variant } from '@shared/schema'
import { keyedText } from '@shared/i18n/render'
import { translator } from '@shared/i18n/translate'
import { fcSeed } from '../setup/fast-check'

const JSON_CHANNELS = INVOKE_CHANNELS.filter((c) => !JSON.stringify(INVOKE_SCHEMAS[c].type).includes('"undefined"'))

describe('IPC payload schemas are TypeBox JSON Schemas', () => {
  it('every channel schema is a JSON Schema ajv compiles, and ajv agrees with the checker on any JSON value', () => {
    const ajv = new Ajv({ strict: false, allErrors: false })
    const compiled = new Map(JSON_CHANNELS.map((c) => [c, ajv.compile(JSON.parse(JSON.stringify(INVOKE_SCHEMAS[c].type)))] as const))
    expect(JSON_CHANNELS.length).toBeGreaterThan(30)
    fc.assert(
      fc.property(fc.constantFrom(...JSON_CHANNELS), fc.jsonValue(), (channel: InvokeChannel, payload) => {
        const message = INVOKE_SCHEMAS[channel].check(payload, channel)
        if (INVOKE_SCHEMAS[channel].refined && message !== null) return
        expect(message === null, `${channel}: ${message}`).toBe(compiled.get(channel)!(payload))
      }),
      { seed: fcSeed() },
    )
  })

  it('the station layout channel refuses what the layout file refuses, with the same field and reason, said through the catalogue', () => {
    const layout = INVOKE_SCHEMAS['station:setLayout']
    const refusal = (value: unknown, lang: 'en' | 'zh-CN' = 'en'): string => {
      try {
        parse(layout, value, 'station:setLayout')
      } catch (error) {
        expect(error).toBeInstanceOf(PayloadError)
        return keyedText(translator(lang), (error as PayloadError).keyed)
      }
      return 'accepted'
    }
    expect(layout.check({ version: 1, locked: false, slots: [{ name: 'A', scenario: 'healthy' }] }, 'station:setLayout')).toBeNull()
    expect(layout.check({ version: 1, locked: false, slots: [{ name: 'A', port: 'COM3' }] }, 'station:setLayout')).toBe('station:setLayout.slots[0].port: comOnly')
    expect(refusal({ version: 1, locked: false, slots: [{ name: 'A', port: 'COM3' }] })).toMatch(/^The station layout is not valid: station:setLayout\.slots\[0\]\.port: a COM number changes on replug/)
    expect(refusal({ version: 1, locked: false, slots: [{ name: 'A' }, { name: 'A' }] })).toBe('The station layout is not valid: station:setLayout.slots[1].name: "A" is already the name of slots[0]')
    expect(refusal({ version: 1, locked: false, slots: [{ name: 'A', baud: 115201 }, { name: 'A' }] })).toMatch(/^The station layout is not valid: station:setLayout\.slots\[0\]\.baud: expected one of 9600.* \(and 1 more\)$/)
    expect(refusal({ version: 1, locked: false, slots: [{ name: 'A' }, { name: 'A' }] }, 'zh-CN')).toBe('工位布局无效：station:setLayout.slots[1].name：“A”已是 slots[0] 的名称')
    expect(layout.check({ version: 1, locked: false, slots: [] }, 'station:setLayout')).toBe('station:setLayout.slots: slotCount (max=8, count=0)')
  })

  it('accepts what fits and names the field and the reason otherwise, as the contract tests read them', () => {
    const target = variant('kind', {
      port: obj({ kind: literal('port'), path: str({ min: 1, max: 8 }), baud: num({ integer: true, min: 300, max: 4_000_000 }) }),
      sim: obj({ kind: literal('sim'), scenario: str({ pattern: /^[a-z-]+$/ }), steps: optional(arr(str({ max: 4 }), { max: 2 })) }),
    })
    expect(target.check({ kind: 'sim', scenario: 'no-sim' }, 'p')).toBeNull()
    expect(target.check({ kind: 'sim', scenario: 'no-sim', steps: undefined }, 'p')).toBeNull()
    expect(target.check('sim', 'p')).toBe('p: expected an object, got string')
    expect(target.check({ kind: 'tcp' }, 'p')).toBe('p.kind: expected one of "port", "sim"')
    expect(target.check({ kind: 'port', path: '/dev/x', baud: 1.5 }, 'p')).toBe('p.baud: expected an integer')
    expect(target.check({ kind: 'port', path: '/dev/x', baud: 100 }, 'p')).toBe('p.baud: below 300')
    expect(target.check({ kind: 'port', path: '', baud: 9600 }, 'p')).toBe('p.path: shorter than 1 characters')
    expect(target.check({ kind: 'port', path: '/dev/ttyUSB0', baud: 9600 }, 'p')).toBe('p.path: longer than 8 characters')
    expect(target.check({ kind: 'port', path: '/dev/x', baud: Number.NaN }, 'p')).toBe('p.baud: expected a finite number, got number')
    expect(target.check({ kind: 'sim', scenario: 'A' }, 'p')).toBe('p.scenario: does not match ^[a-z-]+$')
    expect(target.check({ kind: 'sim', scenario: 'a', steps: ['a', 'b', 'c'] }, 'p')).toBe('p.steps: more than 2 items')
    expect(target.check({ kind: 'sim', scenario: 'a', steps: ['abcde'] }, 'p')).toBe('p.steps[0]: longer than 4 characters')
    expect(target.check({ kind: 'sim', scenario: 'a', extra: 1 }, 'p')).toBe('p.extra: unexpected field')
    const rerun = union(literal('failed'), arr(str({ max: 64 }), { max: 32 }))
    expect(rerun.check('failed', 'r')).toBeNull()
    expect(rerun.check('all', 'r')).toBe('r: expected an array, got string')
  })

  it('checks without generating code, so a renderer under a strict Content-Security-Policy can use it', async () => {
    const RealFunction = globalThis.Function
    const refuse = new Proxy(RealFunction, {
      construct: () => {
        throw new EvalError('code generation from strings is refused (CSP)')
      },
      apply: () => {
        throw new EvalError('code generation from strings is refused (CSP)')
      },
    })
    const realEval = globalThis.eval
    vi.resetModules()
    globalThis.Function = refuse
    globalThis.eval = () => {
      throw new EvalError('eval is refused (CSP)')
    }
    try {
      const fresh = await import('@shared/ipc')
      expect(fresh.INVOKE_SCHEMAS['console:open'].check({ kind: 'sim', scenario: 'healthy' }, 'c')).toBeNull()
      expect(fresh.INVOKE_SCHEMAS['console:open'].check({ kind: 'sim', scenario: 7 }, 'c')).toBe('c.scenario: expected a string, got number')
      expect(fresh.INVOKE_SCHEMAS['ports:list'].check({ now: true }, 'ports:list')).toBe('ports:list: expected no payload')
      expect(fresh.INVOKE_SCHEMAS['run:abort'].check({ now: true }, 'run:abort')).toBe('run:abort.now: unexpected field')
      expect(() => new (globalThis.Function as FunctionConstructor)('return 1')).toThrow(EvalError)
    } finally {
      globalThis.Function = RealFunction
      globalThis.eval = realEval
    }
  })
})
