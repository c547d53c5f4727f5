import { afterAll, describe, expect, it } from 'vitest'
import { flash } from '@engine/flash/flasher'
import { decodeMediumInfo, decodePacket, encodeMediumInfo, encodePacket } from '@engine/flash/protocol'
import type { UsbBus, UsbHandle } from '@engine/flash/transport'
import { createVirtualBurnBus, VirtualBurnBus } from '@board/burn/bus'
import { VirtualK230 } from '@board/burn/device'
import { virtualLoaders } from '@board/burn/loaders'
import { firmwareImage, put, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())

/** A bus whose bulk writes report completion late, so the device's status packet arrives first (as it may on real USB). */
function lateWrites(inner: UsbBus): UsbBus {
  return {
    kind: inner.kind,
    list: (v, p) => inner.list(v, p),
    watch: (l) => inner.watch(l),
    async open(address) {
      const h = await inner.open(address)
      const late: UsbHandle = {
        info: h.info,
        endpoints: () => h.endpoints(),
        controlIn: (s, n, t) => h.controlIn(s, n, t),
        controlOut: (s, d, t) => h.controlOut(s, d, t),
        bulkIn: (e, n, t) => h.bulkIn(e, n, t),
        close: () => h.close(),
        async bulkOut(e, d, t) {
          await h.bulkOut(e, d, t)
          await new Promise((resolve) => setImmediate(resolve))
          await new Promise((resolve) => setImmediate(resolve))
        },
      }
      return late
    },
  }
}

describe('kburn protocol', () => {
  it('encodes and decodes 60-byte packets and the medium info word', () => {
    const packet = encodePacket(0x8021, Buffer.from('WRITE DONE'), 1)
    expect(packet.length).toBe(60)
    expect(decodePacket(packet)).toMatchObject({ cmd: 0x8021, result: 1, data: Uint8Array.from(Buffer.from('WRITE DONE')) })
    expect(decodePacket(packet.subarray(0, 5))).toBeNull()
    const info = { capacity: 8 * 1024 ** 3, blockSize: 512, eraseSize: 524288, timeoutMs: 1000, writeProtected: false, type: 1, valid: true }
    expect(decodeMediumInfo(encodeMediumInfo(info))).toEqual(info)
  })

  it('a write still ends verified when the device says WRITE DONE before the last transfer reports back', async () => {
    const image = put(tmp.dir, 'fw.kdimg', firmwareImage('emmc'))
    const bus = lateWrites(createVirtualBurnBus({ timeScale: 0.002 }))
    const result = await flash({ bus, imagePath: image, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20 })
    expect(result.error).toBeUndefined()
    expect(result.outcome).toBe('verified')
  })

  it('a write error still ends as a write error when transfers report back late', async () => {
    const image = put(tmp.dir, 'fw2.kdimg', firmwareImage('emmc'))
    const bus = lateWrites(createVirtualBurnBus({ scenario: 'write-error', timeScale: 0.002 }))
    const result = await flash({ bus, imagePath: image, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20, chunkTimeoutMs: 2000 })
    expect(result.error).toMatchObject({ code: 'write-error', message: expect.stringContaining('WRITE ERROR') })
  })
})

describe('loader variants', () => {
  async function flashWith(options: ConstructorParameters<typeof VirtualK230>[0], name: string) {
    const bus = new VirtualBurnBus()
    bus.add(new VirtualK230(options))
    const image = put(tmp.dir, name, firmwareImage('emmc'))
    return flash({ bus, imagePath: image, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20 })
  }

  it('writes with a loader built from the public source (version 0, 16-byte write requests only)', async () => {
    const result = await flashWith({ address: '1-1', timeScale: 0.002, loaderVersion: 0, writeConfigSizes: [16] }, 'v0.kdimg')
    expect(result.outcome).toBe('verified')
  })

  it('falls back to the short write request when a versioned loader refuses the long one', async () => {
    const result = await flashWith({ address: '1-1', timeScale: 0.002, loaderVersion: 1, writeConfigSizes: [16] }, 'v1.kdimg')
    expect(result.outcome).toBe('verified')
  })

  it('refuses a part marked for NAND writes with OOB data before writing it', async () => {
    const { buildKdimg, patternBytes } = await import('./kdimg-builder')
    const path = put(tmp.dir, 'oob.kdimg', buildKdimg([{ name: 'rootfs', offset: 0, data: patternBytes(5000, 1), flag: (1024n << 48n) | (2048n << 16n) | 64n }], { pad: 0xff }))
    const bus = createVirtualBurnBus({ timeScale: 0.002 })
    const result = await flash({ bus, imagePath: path, medium: 'spi-nand', loaders: virtualLoaders(), pollMs: 20 })
    expect(result).toMatchObject({ outcome: 'refused', bytesWritten: 0, error: { code: 'image-invalid', message: expect.stringMatching(/Part rootfs is marked for SPI-NAND writes with OOB data/) } })
  })
})
