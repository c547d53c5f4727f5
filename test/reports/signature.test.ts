import { describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { canonicalJson, exportPublicKey, renderJson, sealedRecord, signRecord, verifySignedRecord, writeReports } from '@engine/report/index'
import { createServices } from '../../src-services/index'
import { main } from '../../src-cli/main'
import { failingRecord, passingRecord } from './fixtures/records'
import { captureIo } from './helpers/io'
import { testStation } from './helpers/keys'

async function cli(argv: string[], env: NodeJS.ProcessEnv, cwd = tmpdir()): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(cwd, env)
  const code = await main(argv, io)
  return { code, out: io.out(), err: io.err() }
}

describe('station keys and record signatures', () => {
  it('a key pair is made on first use, the private key readable by its owner only, and reused afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-keys-'))
    const env = { ...process.env, K230_KEY_DIR: dir, K230_STATION: 'bench-7' }
    const first = await cli(['keys', 'list'], env)
    expect(first.code, first.err).toBe(0)
    expect(first.out).toMatch(/^own {6}([0-9a-f]{16}) {2}bench-7$/m)
    if (process.platform !== 'win32') expect(statSync(join(dir, 'station.key')).mode & 0o077).toBe(0)
    const again = await cli(['keys', 'list'], { ...env, K230_STATION: 'renamed' })
    expect(again.out).toBe(first.out)
  })

  it("another PC refuses a record until the station's exported key is imported, then names the station; an edit stays ALTERED", async () => {
    const line = testStation('line-2')
    const office = testStation('quality-office')
    const dir = mkdtempSync(join(tmpdir(), 'k230-sig-'))
    const written = await writeReports(failingRecord(), dir, ['json', 'html'], { signer: line.key })
    const json = written.files.json as string
    const html = written.files.html as string
    expect(readFileSync(html, 'utf8')).toMatch(/Signed by station: <span id="signed-by">line-2<\/span>/)

    let result = await cli(['verify', json, html], office.env)
    expect(result.code, result.out).toBe(6)
    expect(result.out).toMatch(/UNTRUSTED \(json\) claims station 'line-2' key [0-9a-f]{16}[\s\S]*not trusted here/)
    expect(result.out).toMatch(/UNTRUSTED \(html\)/)

    const exported = join(dir, 'line-2.pub.json')
    expect((await cli(['keys', 'export', '--out', exported], line.env)).code).toBe(0)
    const imported = await cli(['keys', 'import', exported], office.env)
    expect(imported.code, imported.err).toBe(0)
    expect(imported.out).toMatch(new RegExp(`trusted station 'line-2' key ${line.key.keyId}`))
    expect((await cli(['keys', 'list'], office.env)).out).toMatch(new RegExp(`^trusted  ${line.key.keyId}  line-2$`, 'm'))

    result = await cli(['verify', json, html], office.env)
    expect(result.code, result.out).toBe(0)
    expect(result.out).toMatch(new RegExp(`intact \\(json\\) signed by 'line-2' key ${line.key.keyId}`))

    const record = JSON.parse(readFileSync(json, 'utf8'))
    record.steps[0].title = 'edited'
    const edited = join(dir, 'edited.json')
    writeFileSync(edited, renderJson(record))
    result = await cli(['verify', edited], office.env)
    expect(result.code, result.out).toBe(1)
    expect(result.out).toMatch(/ALTERED/)

    expect((await cli(['keys', 'remove', line.key.keyId], office.env)).code).toBe(0)
    expect((await cli(['verify', json], office.env)).code).toBe(6)
  })

  it('import refuses a damaged or foreign key file with a message and exit 2', async () => {
    const station = testStation('a')
    const other = testStation('b')
    const dir = mkdtempSync(join(tmpdir(), 'k230-sig-'))
    const good = JSON.parse(exportPublicKey(other.key))
    const cases: Array<[string, RegExp]> = [
      ['{"kind":"x"}', /not an exported k230-bringup station key/],
      [JSON.stringify({ ...good, keyId: '0000000000000000' }), /does not match the key/],
      [exportPublicKey(station.key), /this station's own key/],
      ['not json', /not JSON/],
    ]
    for (const [text, pattern] of cases) {
      writeFileSync(join(dir, 'k.json'), text)
      const result = await cli(['keys', 'import', join(dir, 'k.json')], station.env)
      expect(result.code, text).toBe(2)
      expect(result.err).toMatch(pattern)
    }
  })

  it('verifySignedRecord: one code per way a record fails, the station named when it passes', () => {
    const station = testStation('db-feed')
    const signed = signRecord(sealedRecord(passingRecord()), station.key)
    const text = renderJson(signed)
    expect(verifySignedRecord(text, station.trusted)).toMatchObject({ ok: true, station: 'db-feed', keyId: station.key.keyId })
    expect(verifySignedRecord(text, [])).toMatchObject({ ok: false, reason: 'unknown-key', station: 'db-feed' })
    expect(verifySignedRecord('{', station.trusted)).toMatchObject({ ok: false, reason: 'not-json' })
    expect(verifySignedRecord('[]', station.trusted)).toMatchObject({ ok: false, reason: 'not-a-record' })
    expect(verifySignedRecord(renderJson(sealedRecord(passingRecord())), station.trusted)).toMatchObject({ ok: false, reason: 'unsigned' })
    const edited = { ...signed, verdict: 'fail' as const }
    expect(verifySignedRecord(JSON.stringify(edited), station.trusted)).toMatchObject({ ok: false, reason: 'digest-mismatch' })
    expect(verifySignedRecord(JSON.stringify(sealedRecord({ ...edited, signature: signed.signature })), station.trusted)).toMatchObject({ ok: false, reason: 'bad-signature' })
    const renamed = { ...signed, signature: { ...signed.signature!, station: 'another' } }
    expect(verifySignedRecord(JSON.stringify(renamed), station.trusted)).toMatchObject({ ok: false, reason: 'bad-signature' })
    const invalid = signRecord(sealedRecord({ ...passingRecord(), verdict: 'bogus' as never }), station.key)
    const check = verifySignedRecord(JSON.stringify(invalid), station.trusted)
    expect(check).toMatchObject({ ok: false, reason: 'schema' })
    expect(check.ok ? '' : check.detail).toMatch(/verdict/)
  })

  it('verify validates the record against its JSON Schema, even when its signature matches', async () => {
    const station = testStation('schema')
    const dir = mkdtempSync(join(tmpdir(), 'k230-sig-'))
    const record = passingRecord()
    ;(record.steps[1].attempts[0] as unknown as Record<string, unknown>).durationMs = 'slow'
    writeFileSync(join(dir, 'r.json'), renderJson(signRecord(sealedRecord(record), station.key)))
    const result = await cli(['verify', join(dir, 'r.json')], station.env)
    expect(result.code, result.out).toBe(1)
    expect(result.out).toMatch(/ALTERED[\s\S]*not a valid run record: \/steps\/1\/attempts\/0\/durationMs must be number/)
  })

  it('the services expose the station key for the UI: list, export, import with coded errors; import and remove only for an engineer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-svc-keys-'))
    const services = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), appVersion: 'test', host: 'browser' })
    try {
      const keys = await services.handlers['keys:list'](undefined as never)
      expect(keys.own.keyId).toMatch(/^[0-9a-f]{16}$/)
      expect(keys.folder).toBe(join(dir, 'keys'))
      const other = testStation('line-9')
      await expect(services.handlers['keys:import']({ text: exportPublicKey(other.key) })).rejects.toMatchObject({ code: 'locked' })
      await services.handlers['access:setPassword']({ password: 'keys-engineer-pw' })
      expect(await services.handlers['keys:import']({ text: exportPublicKey(other.key) })).toEqual({ station: 'line-9', keyId: other.key.keyId })
      expect((await services.handlers['keys:list'](undefined as never)).trusted).toEqual([{ station: 'line-9', keyId: other.key.keyId }])
      await expect(services.handlers['keys:import']({ text: '{"kind":"nope"}' })).rejects.toMatchObject({ code: 'key-bad-export' })
      await services.handlers['access:role']({ role: 'technician' })
      await expect(services.handlers['keys:remove']({ keyId: other.key.keyId })).rejects.toMatchObject({ code: 'locked' })
      expect((await services.handlers['access:audit'](undefined as never)).map((e) => e.action)).toContain('key.import')
      const exported = await services.handlers['keys:export'](undefined as never)
      expect(JSON.parse(exported)).toMatchObject({ keyId: keys.own.keyId })
      const result = await cli(['verify', join(dir, 'x.json')], { ...process.env, K230_KEY_DIR: join(dir, 'keys') })
      expect(result.code).toBe(2)
    } finally {
      await services.dispose()
    }
  })
})

describe('a member named __proto__ is content like any other', () => {
  it('added to a signed record (top level or inside unit), it breaks the digest: the record does not verify', () => {
    const { key, trusted } = testStation('ST-PROTO')
    const text = renderJson(signRecord(sealedRecord(passingRecord()), key))
    expect(verifySignedRecord(text, trusted).ok).toBe(true)
    for (const altered of [text.replace(/^\{/, '{"__proto__": {"verdict": "fail"},'), text.replace('"unit": {', '"unit": {"__proto__": {"note": "swapped board"},')]) {
      expect(altered).not.toBe(text)
      const check = verifySignedRecord(altered, trusted)
      expect(check.ok ? 'verified' : check.reason).toBe('digest-mismatch')
    }
  })

  it('canonical JSON keeps it as a member, in key order', () => {
    expect(canonicalJson(JSON.parse('{"b": 1, "__proto__": {"x": [1, {"__proto__": 2}]}}'))).toBe('{\n  "__proto__": {\n    "x": [\n      1,\n      {\n        "__proto__": 2\n      }\n    ]\n  },\n  "b": 1\n}\n')
  })
})
