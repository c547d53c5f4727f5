import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_PROFILE, loadProfileFile, parseProfileText, profileHash, ProfileError, resolveProfile } from '@engine/profile/index'
import { main } from '../../src-cli/main'
import { memoryIo } from './support/io'

const dir = mkdtempSync(join(tmpdir(), 'k230-profile-'))

function errorOf(fn: () => unknown): ProfileError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ProfileError) return error
    throw error
  }
  throw new Error('expected a ProfileError')
}

describe('profiles', () => {
  it('defaults come from the reference document', () => {
    const p = resolveProfile(undefined)
    expect(p).toMatchObject({ apn: '3gnet', user: 'test', password: 'test', device: '/dev/ttyUSB2', baud: 115200, modes: ['ecm', 'rndis', 'ppp'], ping: { hosts: ['www.163.com'] } })
  })

  it('the shipped example profile spells out exactly the defaults', () => {
    const example = loadProfileFile(join(__dirname, '../../resources/profiles/example.yaml'))
    expect({ ...example, name: 'default' }).toEqual(DEFAULT_PROFILE)
  })

  it('reads YAML and JSON files and fills what they leave out', () => {
    const yaml = join(dir, 'cmnet.yaml')
    writeFileSync(yaml, 'name: china-mobile\napn: CMNET\nmodes: [ppp, ecm]\nlimits:\n  rttMaxMs: 150\n')
    const fromYaml = loadProfileFile(yaml)
    expect(fromYaml).toMatchObject({ name: 'china-mobile', apn: 'CMNET', modes: ['ppp', 'ecm'], limits: { rttMaxMs: 150, lossMaxPercent: DEFAULT_PROFILE.limits.lossMaxPercent } })
    const json = join(dir, 'p.json')
    writeFileSync(json, JSON.stringify({ ping: { count: 3 } }))
    expect(loadProfileFile(json).ping).toEqual({ hosts: ['www.163.com'], count: 3 })
  })

  it.each([
    ['{"apn": "3g net"}', 'apn', /letters, digits, dots and dashes/],
    ['{"limits": {"lossMaxPercent": 150}}', 'limits.lossMaxPercent', /must be <= 100/],
    ['{"modes": ["ecm", "lte"]}', 'modes[1]', /must be one of "ecm", "rndis", "ppp"/],
    ['{"modes": ["ecm", "ecm"]}', 'modes', /duplicate/],
    ['{"pingHost": "x"}', 'pingHost', /unknown field/],
    ['{"timeouts": {"dhcpMs": "30s"}}', 'timeouts.dhcpMs', /must be integer/],
    ['{"finalMode": "ppp"}', 'finalMode', /"ecm", "rndis"/],
    ['{"password": "a\\u0007b"}', 'password', /printable ASCII/],
    ['{"baud": 115201}', 'baud', /must be one of/],
  ])('refuses %s naming the field', (text, field, reason) => {
    const error = errorOf(() => parseProfileText(text, 'bad.json'))
    expect(error.field).toBe(field)
    expect(error.reason).toMatch(reason)
    expect(error.message).toContain(`bad.json: field '${field}'`)
  })

  it('refuses broken syntax and a list with a clear message', () => {
    expect(errorOf(() => parseProfileText('apn: [3gnet', 'x.yaml')).message).toMatch(/x\.yaml: file: not valid YAML/)
    expect(errorOf(() => parseProfileText('[1,2]', 'x.json')).message).toMatch(/expected an object of settings, got a list/)
    expect(errorOf(() => loadProfileFile(join(dir, 'missing.yaml'))).message).toMatch(/no such file/)
  })

  it('hashes the resolved values: equal profiles share a hash, any change shows', () => {
    const a = parseProfileText('apn: CMNET\nuser: test', 'a.yaml')
    const b = parseProfileText('{"user":"test","apn":"CMNET"}', 'b.json')
    expect(profileHash(a)).toBe(profileHash(b))
    expect(profileHash({ ...a, apn: 'CMNET2' })).not.toBe(profileHash(a))
    expect(profileHash({ ...a, password: '' })).not.toBe(profileHash(a))
  })

  it('keeps the password out of the hash, so a report cannot be used to test password guesses', () => {
    const a = parseProfileText('apn: CMNET\npassword: s3cret', 'a.yaml')
    expect(profileHash({ ...a, password: 'test' })).toBe(profileHash(a))
  })

  it('run exits 2 and names the field of a bad profile', async () => {
    const file = join(dir, 'bad.yaml')
    writeFileSync(file, 'limits:\n  csqMinDbm: -20\n')
    const io = memoryIo(dir)
    const code = await main(['run', '--sim', 'healthy', '--profile', file, '--out', join(dir, 'out')], io)
    expect(code).toBe(2)
    expect(io.err()).toContain("field 'limits.csqMinDbm': must be <= -51")
  })

  it('run exits 2 on bad usage', async () => {
    for (const argv of [['run'], ['run', '--sim', 'healthy', '--slots', 'station.json'], ['run', '--sim', 'no-such-scenario'], ['run', '--port', '/dev/ttyUSB0', '--time-scale', '0.1'], ['run', '--sim', 'healthy', '--modes', 'ecm,lte'], ['run', '--sim', 'healthy', '--time-scale', '-1']]) {
      const io = memoryIo(dir)
      expect(await main(argv, io), argv.join(' ')).toBe(2)
      expect(io.err()).toMatch(/k230-bringup run: .+\nusage: k230-bringup run/)
    }
  })
})
