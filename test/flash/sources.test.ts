import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { planImage } from '@engine/flash/image/plan'
import { openImageSource } from '@engine/flash/image/source'
import { readKdimgBySheet } from './independent-kdimg-reader'
import { firmwareImage, hasTool, put, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())
const image = firmwareImage('emmc')
const sheet = readKdimgBySheet(image)
const expected = sheet.map((p) => ({ name: p.name, sha256: p.sha256, offset: p.partOffset }))

async function partsOf(path: string) {
  const plan = await planImage(await openImageSource(path))
  return { plan, parts: plan.parts.map((p) => ({ name: p.name, sha256: p.sha256, offset: p.offset })) }
}

function archiveDir(): string {
  const dir = join(tmp.dir, `src-${Math.random().toString(36).slice(2)}`)
  execFileSync('mkdir', ['-p', join(dir, 'out')])
  writeFileSync(join(dir, 'README.txt'), 'not an image\n')
  writeFileSync(join(dir, 'out', 'sysimage-sdcard.kdimg'), image)
  return dir
}

describe('compressed images stream without unpacking to disk', () => {
  it('reads a .gz image', async () => {
    const { plan, parts } = await partsOf(put(tmp.dir, 'fw.kdimg.gz', gzipSync(image)))
    expect(parts).toEqual(expected)
    expect(plan.source).toMatchObject({ compression: 'gz', innerName: 'fw.kdimg' })
  })

  it.skipIf(!hasTool('zip'))('reads the .kdimg inside a .zip made by Info-ZIP (skips the other files)', async () => {
    const dir = archiveDir()
    execFileSync('zip', ['-qr', join(tmp.dir, 'fw.zip'), 'README.txt', 'out'], { cwd: dir })
    const { plan, parts } = await partsOf(join(tmp.dir, 'fw.zip'))
    expect(parts).toEqual(expected)
    expect(plan.source.displayName).toBe('fw.zip!out/sysimage-sdcard.kdimg')
  })

  it.skipIf(!hasTool('zip'))('reads a zip written to a pipe (sizes in data descriptors)', async () => {
    const dir = archiveDir()
    const zipped = execFileSync('sh', ['-c', 'cat out/sysimage-sdcard.kdimg | zip -q - -'], { cwd: dir, maxBuffer: 64 << 20 })
    const path = put(tmp.dir, 'piped.zip', zipped)
    const { parts } = await partsOf(path)
    expect(parts).toEqual(expected)
  })

  it.skipIf(!hasTool('tar'))('reads the .kdimg inside a .tgz made by tar', async () => {
    const dir = archiveDir()
    execFileSync('tar', ['czf', join(tmp.dir, 'fw.tgz'), 'README.txt', 'out'], { cwd: dir })
    const { plan, parts } = await partsOf(join(tmp.dir, 'fw.tgz'))
    expect(parts).toEqual(expected)
    expect(plan.source.displayName).toBe('fw.tgz!out/sysimage-sdcard.kdimg')
  })

  it('refuses a truncated .gz', async () => {
    const gz = gzipSync(image)
    const path = put(tmp.dir, 'cut.kdimg.gz', gz.subarray(0, gz.length - 100))
    await expect(partsOf(path)).rejects.toMatchObject({ code: 'image-invalid', message: expect.stringMatching(/cut\.kdimg\.gz is truncated or damaged \(gzip: unexpected end of file\)/) })
  })

  it('refuses a file named .gz that is not gzip', async () => {
    await expect(partsOf(put(tmp.dir, 'fake.img.gz', 'hello'))).rejects.toThrow(/fake\.img\.gz is truncated or damaged \(gzip: incorrect header check\)/)
  })

  it.skipIf(!hasTool('zip'))('refuses a damaged zip entry (CRC) and a zip with no image', async () => {
    const dir = archiveDir()
    execFileSync('zip', ['-q0r', join(tmp.dir, 'stored.zip'), 'out'], { cwd: dir })
    const bytes = readFileSync(join(tmp.dir, 'stored.zip'))
    bytes[bytes.length / 2] ^= 0x40
    await expect(partsOf(put(tmp.dir, 'bad.zip', bytes))).rejects.toThrow(/bad\.zip(: entry out\/sysimage-sdcard\.kdimg is damaged: CRC-32 mismatch| is damaged: part)/)
    execFileSync('zip', ['-q', join(tmp.dir, 'noimg.zip'), 'README.txt'], { cwd: dir })
    const only = join(tmp.dir, 'noimg.zip')
    const source = await openImageSource(only)
    expect(source.displayName).toBe('noimg.zip!README.txt')
    await expect(planImage(source)).resolves.toMatchObject({ format: 'img' })
  })

  it.skipIf(!hasTool('tar'))('refuses a truncated .tgz and a tar without image', async () => {
    const dir = archiveDir()
    execFileSync('tar', ['cf', join(tmp.dir, 'fw.tar'), 'out'], { cwd: dir })
    const tar = readFileSync(join(tmp.dir, 'fw.tar'))
    const cut = put(tmp.dir, 'cut.tgz', gzipSync(tar.subarray(0, 512 + 70_000)))
    await expect(partsOf(cut)).rejects.toThrow(/cut\.tgz is truncated/)
    writeFileSync(join(dir, 'notes.md'), 'x')
    execFileSync('tar', ['czf', join(tmp.dir, 'none.tgz'), 'README.txt', 'notes.md'], { cwd: dir })
    await expect(openImageSource(join(tmp.dir, 'none.tgz'))).rejects.toThrow(/none\.tgz holds no \.kdimg or \.img file \(it holds: README\.txt, notes\.md\)/)
  })
})
