import { execFileSync, spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { patternBytes } from './kdimg-builder'
import { hasTool, tempDir } from './helpers'

const SIZE = 256 * 1024 * 1024
const LIMIT = 128 * 1024 * 1024
const tmp = tempDir()
afterAll(() => tmp.remove())

/** 256 MiB of compressible data: a 4 KiB random block repeated, never held whole in memory. */
function bigImage(): Readable {
  const block = patternBytes(4096, 77)
  const chunk = Buffer.alloc(1 << 20)
  for (let i = 0; i < chunk.length; i += block.length) chunk.set(block, i)
  let sent = 0
  return new Readable({
    read() {
      if (sent >= SIZE) return void this.push(null)
      sent += chunk.length
      this.push(chunk)
    },
  })
}

function probe(imagePath: string): Promise<Record<string, number | string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'stream-probe.ts'), imagePath], { cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`probe exited ${code}: ${err}`))))
  })
}

describe('a large compressed image streams with bounded memory', () => {
  beforeAll(async () => {
    await pipeline(bigImage(), createGzip({ level: 1 }), createWriteStream(join(tmp.dir, 'big.img.gz')))
  }, 120_000)

  it('flashes 256 MiB from a .gz: peak RSS growth stays far below the image size', async () => {
    const r = await probe(join(tmp.dir, 'big.img.gz'))
    expect(r).toMatchObject({ outcome: 'verified', imageBytes: SIZE, bytesWritten: SIZE, verify: 'pass' })
    expect(r.rssGrowth as number).toBeLessThan(LIMIT)
    expect(r.heapGrowth as number).toBeLessThan(LIMIT / 2)
  }, 180_000)

  it.skipIf(!hasTool('zip') || !hasTool('gzip'))('flashes 256 MiB from a .zip: peak RSS growth stays far below the image size', async () => {
    execFileSync('sh', ['-c', `gzip -dc big.img.gz > big.img && zip -q -1 big.zip big.img && rm big.img`], { cwd: tmp.dir })
    const r = await probe(join(tmp.dir, 'big.zip'))
    expect(r).toMatchObject({ outcome: 'verified', imageBytes: SIZE, bytesWritten: SIZE, verify: 'pass' })
    expect(r.rssGrowth as number).toBeLessThan(LIMIT)
    expect(r.heapGrowth as number).toBeLessThan(LIMIT / 2)
  }, 180_000)
})
