import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MASK, maskRecord, maskSecrets, maskUrl, maskUrlSecrets, withoutSecrets } from '@engine/secrets/mask'
import { DEFAULT_PROFILE, maskedProfile } from '@engine/profile/index'
import { SECRET_MASK } from '@engine/report/index'
import { MASK as TRANSCRIPT_MASK } from '@engine/transcript/index'
import { maskSecret } from '@engine/db/index'

const root = join(__dirname, '../..')
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|vue)$/.test(name) ? [path] : []
  })
}

describe('one secret masker', () => {
  it('every output reads the same mask: record profile, reports, transcript, database messages', () => {
    const profile = { ...DEFAULT_PROFILE, password: 'Hunter2-Secret' }
    expect(maskedProfile(profile).password).toBe(MASK)
    expect(maskedProfile({ ...profile, password: '' }).password).toBe('')
    expect(SECRET_MASK).toBe(MASK)
    expect(TRANSCRIPT_MASK).toBe(MASK)
    expect(maskUrl('postgres://k230:pw@10.0.0.5/line')).toBe(`postgres://k230:${MASK}@10.0.0.5/line`)
    expect(maskSecret('auth failed for pw', 'postgres://k230:pw@h/db')).toBe(`auth failed for ${MASK}`)
    expect(maskUrlSecrets('x', 'not a url')).toBe('x')
    expect(withoutSecrets({ apn: 'cmnet', password: 'x', user: 'test' })).toEqual({ apn: 'cmnet', user: 'test' })
  })

  it('masks where the app put a short secret, never every occurrence of it', () => {
    const text = 'OK\r\nuser "test" password "OK"\r\nQL_PASSWORD=\'OK\'\r\nOK\r\n'
    expect(maskSecrets(text, ['OK'])).toBe(`OK\r\nuser "test" password ${MASK}\r\nQL_PASSWORD=${MASK}\r\nOK\r\n`)
  })

  it('masks a distinctive secret in its JSON-escaped and base64 forms inside a record', () => {
    const secret = 'it"s-Secret9'
    const record = { profile: { name: 'p', hash: 'h', values: { password: secret } }, note: `${JSON.stringify(secret)} ${Buffer.from(`x${secret}`).toString('base64')}` }
    const masked = JSON.stringify(maskRecord(record as never))
    expect(masked).not.toContain('Secret9')
    expect(masked).not.toContain(Buffer.from(secret).toString('base64').slice(4, 12))
  })

  it('no other module builds its own mask', () => {
    const offenders = ['src-engine', 'src-services', 'src-cli', 'src-main', 'src-webhost']
      .flatMap((d) => sources(join(root, d)))
      .filter((f) => !f.endsWith(join('secrets', 'mask.ts')))
      .filter((f) => /'\*{3,}'|"\*{3,}"|`\*{3,}|\$1\*{3,}/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f))
    expect(offenders).toEqual([])
  })
})
