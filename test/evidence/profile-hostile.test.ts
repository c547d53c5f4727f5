import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { VirtualBoardHandle } from '@board/board'
import { loadProfileFile, ProfileError, resolveProfile } from '@engine/profile/index'
import { recordProblems, runUnit, stepSummary } from './harness'

const PWNED = ['/tmp/pwned', '/tmp/pwned2', '/tmp/pwned3', '/tmp/pwned4', '/etc/pwned']

/** Values a profile may carry for user/password that hold shell and chat metacharacters. */
const ACCEPTED = [
  '$(touch /tmp/pwned)',
  '`touch /tmp/pwned2`',
  "'; touch /tmp/pwned3; echo '",
  '"; touch /tmp/pwned4; echo "',
  'a;b|c&d>e<f',
  'ABORT "NO CARRIER" \\" \\\\',
  '%s%n%x ${PATH} $HOME !! *',
  ' leading and trailing ',
  "it's",
]

/** Values that must be refused, with the words of the refusal. */
const REFUSED: [string, Record<string, unknown>, RegExp][] = [
  ['an APN with $()', { apn: '$(touch /tmp/pwned)' }, /field 'apn'/],
  ['an APN with a quote', { apn: "cmnet'" }, /field 'apn'/],
  ['an APN with a newline', { apn: 'cmnet\nATD*99#' }, /field 'apn'/],
  ['an APN of 4 KB', { apn: 'a'.repeat(4096) }, /field 'apn'/],
  ['a password with a newline', { password: 'pw\nATH' }, /field 'password'/],
  ['a user with a CR', { user: 'u\rATZ' }, /field 'user'/],
  ['a non-ASCII password', { password: 'пароль' }, /field 'password'/],
  ['a user of 4 KB', { user: 'u'.repeat(4096) }, /field 'user'/],
  ['a password with NUL', { password: 'a\u0000b' }, /field 'password'/],
  ['a device outside /dev', { device: '/etc/passwd' }, /field 'device'/],
  ['a device with a space and a command', { device: '/dev/ttyUSB2 ; reboot' }, /field 'device'/],
]

async function boardValue(board: VirtualBoardHandle, variable: string): Promise<string> {
  let out = ''
  const status = await board.services.exec(
    `eval "$(grep '^${variable}=' /etc/ppp/quectel-pppd.sh)"; printf '%s' "$${variable}" | base64`,
    { stdout: (t) => (out += t), stderr: () => undefined },
  )
  expect(status).toBe(0)
  return Buffer.from(out.replace(/\s+/g, ''), 'base64').toString('utf8')
}

describe('hostile profile values', () => {
  it.each(REFUSED)('refuses %s with a message naming the field', (_what, input, message) => {
    expect(() => resolveProfile(input, 'station.json')).toThrow(ProfileError)
    expect(() => resolveProfile(input, 'station.json')).toThrow(message)
  })

  it.each(ACCEPTED)(
    'pushes %j so the board reads back exactly that user and password, and runs nothing',
    async (value) => {
      const password = `pw${value}`
      const profile = resolveProfile({ user: value, password, modes: ['ppp'] })
      const outDir = mkdtempSync(join(tmpdir(), 'k230-hostile-profile-'))
      const run = await runUnit({
        scenario: 'healthy',
        outDir,
        serial: 'SN-HOSTILE',
        profile,
        timeScale: 0.01,
      })
      const summary = stepSummary(run.record)
      expect(run.record.steps.find((s) => s.id === 'ppp-config')?.verdict, summary).toBe('pass')
      expect(await boardValue(run.board, 'QL_USER')).toBe(value)
      expect(await boardValue(run.board, 'QL_PASSWORD')).toBe(password)
      expect(run.board.fs.readText('/etc/ppp/peers/quectel-pppd')).toContain(
        `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
      )
      expect(run.record.steps.find((s) => s.id === 'ppp.dial')?.attempts.length, summary).toBe(1)
      for (const path of PWNED)
        expect(run.board.fs.exists(path), `${path} was created on the board`).toBe(false)
      expect(await recordProblems(run.recordPath, run.record)).toEqual([])
      expect(JSON.stringify(run.record), 'the password reached the record').not.toContain(password)
    },
  )
})

describe('malformed profile files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k230-bad-profiles-'))
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  }
  it.each([
    ['truncated JSON', 'a.json', '{"apn": "cmnet"', /a\.json/],
    ['a JSON array', 'b.json', '[1,2,3]', /b\.json/],
    ['an unknown field', 'c.json', '{"apn": "cmnet", "evil": "$(reboot)"}', /evil/],
    ['a wrong type', 'd.json', '{"baud": "fast"}', /field 'baud'/],
    ['binary garbage', 'e.json', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x9c, 0x80]), /e\.json/],
    ['an empty file', 'f.json', '', /f\.json/],
    [
      'a YAML bomb',
      'g.yaml',
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
      /g\.yaml/,
    ],
    ['a 4 MB file', 'h.json', `{"name": "${'n'.repeat(4 * 2 ** 20)}"}`, /h\.json/],
  ])('refuses %s with a message naming the file or field', (_what, name, content, message) => {
    const path = file(name, content)
    expect(() => loadProfileFile(path)).toThrow(ProfileError)
    expect(() => loadProfileFile(path)).toThrow(message)
  })

  it('refuses a missing file by its path', () => {
    expect(() => loadProfileFile(join(dir, 'missing.json'))).toThrow(/missing\.json/)
  })
})
