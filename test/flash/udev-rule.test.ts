import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { K230_BURN_PID, K230_BURN_VID } from '@engine/flash/protocol'

const text = readFileSync(join(__dirname, '..', '..', 'resources', 'udev', '60-k230-bringup.rules'), 'utf8')
const rules = text
  .split('\n')
  .filter((l) => l.trim() && !l.trim().startsWith('#'))
  .map((line) =>
    line.split(/,\s*/).map((pair) => {
      const m = /^([A-Z]+(?:\{[^}]+\})?)(==|!=|\+=|=)"([^"]*)"$/.exec(pair.trim())
      if (!m) throw new Error(`unparsable udev pair "${pair}" in: ${line}`)
      return { key: m[1], op: m[2], value: m[3] }
    }),
  )
const MATCH_KEYS = /^(SUBSYSTEMS?|ATTRS?\{|ENV\{|KERNEL)/

describe('udev rule for burning mode and the bring-up ports', () => {
  it('compares in match keys and assigns only MODE/GROUP/TAG (the `ATTR{idVendor}="29f1"` mistake cannot slip in)', () => {
    for (const rule of rules) {
      for (const { key, op } of rule) {
        if (MATCH_KEYS.test(key)) expect(op, `${key} must compare`).toBe('==')
        else expect(['MODE=', 'GROUP=', 'TAG+=']).toContain(`${key}${op}`)
      }
      expect(rule.find((p) => p.key === 'MODE')?.value).toBe('0660')
      expect(rule.some((p) => p.key === 'TAG' && p.value === 'uaccess')).toBe(true)
    }
  })

  const covers = (vid: string, pid?: string) =>
    rules.some((r) => r.some((p) => p.key.endsWith('{idVendor}') && p.value === vid) && (!pid || r.some((p) => p.key.endsWith('{idProduct}') && p.value === pid)))

  it('covers the K230 burning mode, the EC200A and the common USB-serial bridges', () => {
    expect(covers(K230_BURN_VID.toString(16).padStart(4, '0'), K230_BURN_PID.toString(16).padStart(4, '0'))).toBe(true)
    expect(covers('2c7c', '6005')).toBe(true)
    for (const vid of ['1a86', '10c4', '0403', '067b']) expect(covers(vid), vid).toBe(true)
    const groups = new Set(rules.map((r) => r.find((p) => p.key === 'GROUP')?.value))
    expect(groups).toEqual(new Set(['plugdev', 'dialout']))
  })
})
