import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { fcSeed } from '../setup/fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { ImageError } from '@engine/flash/image/image-error'
import { planImage } from '@engine/flash/image/plan'
import { openImageSource } from '@engine/flash/image/source'
import { buildKdimg, patternBytes } from './kdimg-builder'
import { hasTool, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())
const kdimg = buildKdimg([
  { name: 'uboot', offset: 0x100000, data: patternBytes(5000, 1) },
  { name: 'rtt', offset: 0x200000, data: patternBytes(3000, 2) },
])

/** Plans the file; returns 'ok' or the ImageError message, and lets any other error fail the property. */
async function outcome(path: string): Promise<string> {
  try {
    await planImage(await openImageSource(path))
    return 'ok'
  } catch (error) {
    if (error instanceof ImageError) return error.message
    throw error
  }
}

const mutation = (length: number) =>
  fc.record({
    flips: fc.array(fc.record({ at: fc.nat(length - 1), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 4 }),
    cut: fc.option(fc.nat(length - 1), { nil: undefined }),
  })

function mutate(bytes: Buffer, m: { flips: { at: number; xor: number }[]; cut?: number }): Buffer {
  const copy = Buffer.from(bytes)
  for (const f of m.flips) copy[f.at] ^= f.xor
  return m.cut === undefined ? copy : copy.subarray(0, Math.max(1, m.cut))
}

describe('damaged images never crash the reader: they plan or are refused with an ImageError', () => {
  it('kdimg with flipped bytes in the header and table, or cut anywhere', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(mutation(512 + 2 * 256), fc.boolean(), async (m, cutAnywhere) => {
        const spoiled = mutate(kdimg, { ...m, cut: m.cut === undefined ? undefined : cutAnywhere ? Math.floor((m.cut / 1024) * kdimg.length) : m.cut })
        const path = join(tmp.dir, `k${n++}.kdimg`)
        writeFileSync(path, spoiled)
        const result = await outcome(path)
        if (m.cut !== undefined || m.flips.some((f) => f.at < 512 + 512)) expect(result).not.toBe('ok')
      }),
      { seed: fcSeed(), numRuns: 150 },
    )
  })

  it('.gz with flipped or cut bytes', async () => {
    const gz = gzipSync(kdimg)
    let n = 0
    await fc.assert(
      fc.asyncProperty(mutation(gz.length), async (m) => {
        const path = join(tmp.dir, `g${n++}.kdimg.gz`)
        writeFileSync(path, mutate(gz, m))
        await outcome(path)
      }),
      { seed: fcSeed(), numRuns: 80 },
    )
  })

  it.skipIf(!hasTool('zip') || !hasTool('tar'))('.zip (plain and with zip64 data descriptors) and .tgz with flipped or cut bytes', async () => {
    writeFileSync(join(tmp.dir, 'fw.kdimg'), kdimg)
    writeFileSync(join(tmp.dir, 'notes.txt'), 'notes\n')
    execFileSync('zip', ['-q', 'fw.zip', 'notes.txt', 'fw.kdimg'], { cwd: tmp.dir })
    execFileSync('tar', ['czf', 'fw.tgz', 'notes.txt', 'fw.kdimg'], { cwd: tmp.dir })
    execFileSync('sh', ['-c', 'cat fw.kdimg | zip -q - - > piped.zip'], { cwd: tmp.dir })
    for (const name of ['fw.zip', 'piped.zip', 'fw.tgz']) {
      const bytes = readFileSync(join(tmp.dir, name))
      let n = 0
      await fc.assert(
        fc.asyncProperty(mutation(bytes.length), async (m) => {
          const path = join(tmp.dir, `${n++}-${name}`)
          writeFileSync(path, mutate(bytes, m))
          try {
            await outcome(path)
          } catch (error) {
            throw new Error(`${name}: ${(error as Error).stack}`, { cause: error })
          }
        }),
        { seed: fcSeed(), numRuns: 120 },
      )
    }
  })
})
