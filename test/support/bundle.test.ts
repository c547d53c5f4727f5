import { describe, expect, it } from 'vitest'
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yazl from 'yazl'
import { readBundle, writeBundle } from '../../src-services/bundle'

const dir = mkdtempSync(join(tmpdir(), 'k230-bundle-'))
const record = { schemaVersion: 1, id: 'r1', unit: { serial: 'SN1' }, startedAt: '2026-01-01T00:00:00Z', verdict: 'pass', status: 'completed', steps: [], transcript: [] }
const meta = { appVersion: '1.2.3', createdAt: '2026-01-02T03:04:05.000Z', unit: 'SN1', notes: 'n' }

function zip(path: string, files: Record<string, string>): Promise<void> {
  const z = new yazl.ZipFile()
  for (const [name, text] of Object.entries(files)) z.addBuffer(Buffer.from(text), name)
  z.end()
  return new Promise((resolve) => z.outputStream.pipe(createWriteStream(path)).on('close', () => resolve()))
}

describe('support bundle files', () => {
  it('reads back what it wrote', async () => {
    const path = join(dir, 'ok.zip')
    const m = await writeBundle(path, meta, [{ name: 'records/a.json', data: Buffer.from(JSON.stringify(record)) }, { name: 'dmesg.txt', data: Buffer.from('usb 1-1: new high-speed USB device\n') }])
    const back = await readBundle(path)
    expect(back.manifest).toEqual(m)
    expect(back.records.map((r) => r.id)).toEqual(['r1'])
    expect(back.files.get('dmesg.txt')?.toString()).toContain('usb 1-1')
  })

  it('refuses a bundle whose file does not match its checksum, a missing file, no record, or no manifest, naming why', async () => {
    const path = join(dir, 'good.zip')
    await writeBundle(path, meta, [{ name: 'records/a.json', data: Buffer.from(JSON.stringify(record)) }])
    const manifest = JSON.parse((await readBundle(path)).files.get('manifest.json')!.toString()) as { files: unknown[] }
    const tampered = join(dir, 'tampered.zip')
    await zip(tampered, { 'manifest.json': JSON.stringify(manifest), 'records/a.json': JSON.stringify({ ...record, verdict: 'fail' }) })
    await expect(readBundle(tampered)).rejects.toThrow('records/a.json does not match its checksum')
    const missing = join(dir, 'missing.zip')
    await zip(missing, { 'manifest.json': JSON.stringify(manifest) })
    await expect(readBundle(missing)).rejects.toThrow('records/a.json is listed but missing')
    const empty = join(dir, 'empty.zip')
    await zip(empty, { 'manifest.json': JSON.stringify({ ...manifest, files: [] }) })
    await expect(readBundle(empty)).rejects.toThrow('it holds no run record')
    const foreign = join(dir, 'foreign.zip')
    await zip(foreign, { 'readme.txt': 'hello' })
    await expect(readBundle(foreign)).rejects.toMatchObject({ code: 'bad-bundle', message: expect.stringContaining('manifest.json is missing') })
    const flipped = join(dir, 'flipped.zip')
    const bytes = Buffer.from(readFileSync(path))
    bytes[Math.floor(bytes.length / 3)] ^= 0xff
    writeFileSync(flipped, bytes)
    await expect(readBundle(flipped)).rejects.toMatchObject({ code: 'bad-bundle' })
  })
})
