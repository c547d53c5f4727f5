/** Flash throughput per medium on the virtual K230 in real time, as a ratio of the USB 2.0 high-speed bulk rate, with the device model's ceiling beside it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { flash } from '@engine/flash/flasher'
import { VirtualBurnBus } from '@board/burn/bus'
import { USB2_HS_BULK_BYTES_PER_SEC, VirtualK230 } from '@board/burn/device'
import { virtualLoaders } from '@board/burn/loaders'
import { DEFAULT_GEOMETRY } from '@board/burn/scenarios'
import { flashWritten, type FlashMedium } from '@shared/flash'

const MiB = 1024 * 1024
const size = Number(process.env.FLASH_BENCH_MIB ?? 48) * MiB

async function measure(imagePath: string, medium: FlashMedium, bulk: number): Promise<void> {
  const bus = new VirtualBurnBus()
  bus.add(new VirtualK230({ address: '1-1', bulkBytesPerSec: bulk, timeScale: 1, reenumerateMs: 300 }))
  const r = await flash({ bus, imagePath, medium, loaders: virtualLoaders(), pollMs: 50 })
  if (!flashWritten(r.outcome)) throw new Error(`${medium}: ${r.outcome} ${r.error?.message}`)
  const mediumRate = DEFAULT_GEOMETRY[medium].writeBytesPerSec
  const model = 1 / (1 / bulk + 1 / mediumRate)
  const write = r.throughputBytesPerSec
  const read = (r.bytesWritten / r.verifyMs) * 1000
  const line = (what: string, rate: number, ceiling: number) =>
    `${medium.padEnd(8)} ${what.padEnd(6)} ${(rate / 1e6).toFixed(1).padStart(6)} MB/s  ratio ${(rate / bulk).toFixed(3)} of bulk ${(bulk / 1e6).toFixed(1)} MB/s  ceiling ${(ceiling / bulk).toFixed(3)} of bulk  (${(rate / ceiling).toFixed(3)} of the ceiling)`
  console.log(line('write', write, model))
  if (r.verify === 'pass') console.log(line('verify', read, bulk))
  else console.log(`${medium.padEnd(8)} verify -      the public loader cannot read ${medium} back (written-unverified)`)
  console.log(`${medium.padEnd(8)} total  ${(r.durationMs / 1000).toFixed(2)} s for ${(r.bytesWritten / MiB).toFixed(0)} MiB incl. loader, handoff, write and read-back`)
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-flash-bench-'))
  try {
    const image = new Uint8Array(size)
    for (let i = 0; i < size; i += 4) image[i] = (i * 2654435761) >>> 24
    const path = join(dir, 'bench.img')
    writeFileSync(path, image)
    const small = join(dir, 'bench-nor.img')
    writeFileSync(small, image.subarray(0, 16 * MiB))
    const warm = join(dir, 'warm.img')
    writeFileSync(warm, image.subarray(0, 4 * MiB))
    const bus = new VirtualBurnBus()
    bus.add(new VirtualK230({ address: '1-1', timeScale: 0.01 }))
    await flash({ bus, imagePath: warm, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20 })
    console.log(`image ${size / MiB} MiB plain (16 MiB on SPI-NOR); device time per chunk = USB transfer + medium program`)
    console.log('limit: the public loader programs each 128 KiB chunk inside the OUT completion and queues the next OUT only after it (f_kburn.c:678-715),')
    console.log('       so a write cannot beat 1 / (1/bulk + 1/medium): eMMC at 120 MB/s caps at 0.69 of bulk; 0.85 would need a medium of >= 300 MB/s or a loader that overlaps the two')
    for (const bulk of [USB2_HS_BULK_BYTES_PER_SEC, 40e6]) await measure(path, 'emmc', bulk)
    await measure(path, 'sd', USB2_HS_BULK_BYTES_PER_SEC)
    await measure(path, 'spi-nand', USB2_HS_BULK_BYTES_PER_SEC)
    await measure(small, 'spi-nor', USB2_HS_BULK_BYTES_PER_SEC)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
