import { afterEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { fcSeed } from '../setup/fast-check'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, type Console } from '@engine/console'
import { shellQuote, ShellQuoteError, startsBackgroundJob } from '@engine/session/index'
import { looksDamaged } from '@engine/session/shell-session'
import { Transcript, readJournal, MASK } from '@engine/transcript/index'
import { kernelLineFault, textLineFault } from '@engine/session/faults'
import { busyboxMissing, startBusyBox, type BusyBoxPty } from './helpers/busybox-pty'

const missing = busyboxMissing()
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe.skipIf(missing)('shellQuote against a real BusyBox shell', () => {
  let bb: BusyBoxPty
  let c: Console
  const open = async () => {
    bb = await startBusyBox()
    c = await connect({ port: bb.path })
    cleanups.push(async () => {
      await c.close()
      await bb.close()
    })
    await c.session.attach({ timeout: 20_000 })
  }
  const roundTrip = async (value: string) => {
    const r = await c.session.run(`printf '%s' ${shellQuote(value)} | base64`)
    return Buffer.from(r.output.replace(/\s/g, ''), 'base64').toString('utf8')
  }

  it('passes hostile values through as data and never runs them', async () => {
    await open()
    const pwned = join(bb.dir, 'pwned')
    const values = [
      `$(touch ${pwned})`,
      `\`touch ${pwned}\``,
      `'; touch ${pwned}; '`,
      `"; touch ${pwned}; "`,
      `a\ntouch ${pwned}`,
      `\x03touch ${pwned}\r\n`,
      'tab\tand\x1b[31mescape\x7f',
      '3gnet',
      'pass word "quoted" \\back\\slash',
      '*',
      '~',
      '-rf',
      '',
      '密码 é',
    ]
    for (const v of values) expect(await roundTrip(v)).toBe(v)
    expect(existsSync(pwned)).toBe(false)
    expect(() => shellQuote('a\0b')).toThrow(ShellQuoteError)
  })

  it('round-trips random strings', async () => {
    await open()
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0')), async (v) => {
        expect(await roundTrip(v)).toBe(v)
      }),
      { seed: fcSeed(), numRuns: 40 },
    )
  })
})

describe('background job detection', () => {
  it('finds a lone & outside quotes and ignores &&, redirections and quoted text', () => {
    expect(startsBackgroundJob('pppd call quectel-pppd &')).toBe(true)
    expect(startsBackgroundJob('sleep 1 & echo x')).toBe(true)
    expect(startsBackgroundJob('a && b')).toBe(false)
    expect(startsBackgroundJob('cmd 2>&1')).toBe(false)
    expect(startsBackgroundJob('cmd &>/dev/null')).toBe(false)
    expect(startsBackgroundJob("echo 'a & b' \"c & d\"")).toBe(false)
    expect(startsBackgroundJob('echo a \\& b')).toBe(false)
    expect(startsBackgroundJob('echo ok # not & this')).toBe(false)
  })
})

describe('fault table and damage detection', () => {
  it('classifies boot banners, panics and oopses', () => {
    expect(textLineFault('U-Boot SPL 2022.10 (Apr 27 2024)')?.kind).toBe('reboot')
    expect(kernelLineFault('[    0.000000] Linux version 5.10.4 (gcc)')?.kind).toBe('reboot')
    expect(kernelLineFault('[  100.1] Kernel panic - not syncing: Fatal exception')?.kind).toBe('panic')
    expect(kernelLineFault('[   12.000000] Unable to handle kernel NULL pointer dereference')?.kind).toBe('oops')
    expect(kernelLineFault('[    3.176872] usb 1-1: New USB device found')).toBeUndefined()
    expect(textLineFault('Bus 001 Device 002: ID 2c7c:6005')).toBeUndefined()
  })

  it('recognises a probe answered with a near miss or a shell complaint', () => {
    expect(looksDamaged('ENUNYVUPT\n# ', 'ENUNKYVUPP')).toBe(true)
    expect(looksDamaged('sh: Zcho: not found\n', 'LKCNXYQMYT')).toBe(true)
    expect(looksDamaged('\n[root@canaan ~ ]# ', 'LKCNXYQMYT')).toBe(false)
  })
})

describe('transcript', () => {
  it('journals every byte both ways as it happens, with kernel lines as their own channel, and masks secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-tr-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const path = join(dir, 'j.jsonl')
    const t = new Transcript({ journalPath: path, syncIntervalMs: 0 })
    const live: string[] = []
    t.onEntry((e) => live.push(`${e.dir}:${e.text}`))
    t.addSecret('hunter2')
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    t.record('tx', all)
    t.record('tx', new TextEncoder().encode("password 'hunter2'\n"))
    t.record('rx', new TextEncoder().encode('abc[   12.345678] usb 1-1: USB disconnect\r\ndef\r\n'))
    t.record('rx', new TextEncoder().encode('user pass hunt'))
    t.record('rx', new TextEncoder().encode('er2 done\n'))
    const journal = readJournal(path)
    const tx = Buffer.concat(journal.filter((l) => l.d === 'tx').map((l) => Buffer.from(l.x, 'latin1')))
    expect(tx.subarray(0, 256).equals(Buffer.from(all))).toBe(true)
    expect(tx.toString('latin1')).not.toContain('hunter2')
    expect(journal.filter((l) => l.d === 'kmsg').map((l) => l.x)).toEqual(['[   12.345678] usb 1-1: USB disconnect'])
    const entries = t.entries()
    expect(entries.filter((e) => e.dir === 'kmsg').map((e) => e.text)).toEqual(['[   12.345678] usb 1-1: USB disconnect'])
    expect(entries.filter((e) => e.dir === 'rx').map((e) => e.text).join('')).toBe(`abcdef\nuser pass ${MASK} done\n`)
    expect(JSON.stringify(entries)).not.toContain('hunter2')
    expect(t.tail()).not.toContain('hunter2')
    expect(live.join('')).not.toContain('hunter2')
    t.close()
    expect(readFileSync(path, 'utf8').trim().split('\n').length).toBeGreaterThan(4)
  })

  it('reads back a journal whose last line was torn by a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-tr-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const path = join(dir, 'j.jsonl')
    const t = new Transcript({ journalPath: path })
    t.record('rx', new TextEncoder().encode('ok\n'))
    t.close()
    appendFileSync(path, '{"t":5,"d":"rx","x":"tor')
    expect(readJournal(path).filter((l) => l.d === 'rx').map((l) => l.x)).toEqual(['ok\n'])
  })
})
