import { describe, expect, it } from 'vitest'
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AccessService } from '../../src-services/access'
import { EventHub } from '../../src-services/events'
import { SettingsService, defaultSettings } from '../../src-services/settings'
import { hashPassword, verifyPassword } from '../../src-services/password'

function access(clock: { t: number }, busy = () => false) {
  const dir = mkdtempSync(join(tmpdir(), 'k230-access-'))
  const events = new EventHub()
  const settings = new SettingsService(join(dir, 'settings.json'), defaultSettings(join(dir, 'results')), events)
  return { a: new AccessService(settings, join(dir, 'audit.jsonl'), events, busy, () => clock.t), dir, settings }
}

describe('engineer password', () => {
  it('is a salted scrypt hash: two hashes of one password differ, both verify, a malformed one never does', async () => {
    const [h1, h2] = [await hashPassword('s3cret-pw'), await hashPassword('s3cret-pw')]
    expect(h1).not.toBe(h2)
    expect(await verifyPassword('s3cret-pw', h1)).toBe(true)
    expect(await verifyPassword('s3cret-pw', h2)).toBe(true)
    expect(await verifyPassword('s3cret-PW', h1)).toBe(false)
    for (const bad of ['', 'scrypt$1$1$1$$', h1.replace(/\$[^$]+$/, '$AAAA'), `scrypt$${2 ** 30}$8$1$c2FsdHNhbHQ=$${'A'.repeat(44)}`]) expect(await verifyPassword('s3cret-pw', bad)).toBe(false)
  })

  it('pauses unlocking after five wrong passwords in a row, then accepts the right one', async () => {
    const clock = { t: 1_000_000 }
    const { a } = access(clock)
    await a.setPassword('right-password')
    a.useRole('technician')
    for (let i = 0; i < 5; i++) await expect(a.unlock('wrong')).rejects.toMatchObject({ code: 'wrong-password' })
    await expect(a.unlock('right-password')).rejects.toMatchObject({ code: 'too-many-attempts' })
    clock.t += 29_000
    await expect(a.unlock('right-password')).rejects.toMatchObject({ code: 'too-many-attempts' })
    clock.t += 1_001
    expect(await a.unlock('right-password')).toMatchObject({ role: 'engineer' })
  })

  it('refuses a role change while a run is in progress, and survives a torn audit line', async () => {
    let running = false
    const { a, dir } = access({ t: 0 }, () => running)
    running = true
    expect(() => a.useRole('support')).toThrow(/run is in progress/)
    running = false
    a.useRole('support')
    appendFileSync(join(dir, 'audit.jsonl'), '{"at":"2026-01-0')
    expect(a.audit().map((e) => e.action)).toEqual(['role.support'])
    expect(readFileSync(join(dir, 'audit.jsonl'), 'utf8')).toContain('role.support')
  })
})
