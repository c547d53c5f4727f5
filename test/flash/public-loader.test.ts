import { describe, expect, it } from 'vitest'
import { KburnClient } from '@engine/flash/kburn'
import { KBURN_CMD, decodePacket, encodePacket, packetText, u64s } from '@engine/flash/protocol'
import type { UsbHandle } from '@engine/flash/transport'
import { VirtualBurnBus } from '@board/burn/bus'
import { VirtualK230, type VirtualK230Options } from '@board/burn/device'
import { virtualLoaderImage } from '@board/burn/loaders'
import { uploadAndStartLoader } from '@engine/flash/brom'
import { waitForStage } from '@engine/flash/discovery'
import { LOADER_LOAD_ADDRESS } from '@engine/flash/protocol'

/** A board on its own bus with the loader of `family` started; the handle is the loader stage. */
async function loaderStage(family: 'mmc' | 'spi_nor' | 'spi_nand', options: Partial<VirtualK230Options> = {}): Promise<{ handle: UsbHandle; board: VirtualK230 }> {
  const bus = new VirtualBurnBus()
  const board = bus.add(new VirtualK230({ address: '1-1', timeScale: 0.002, ...options }))
  const brom = await bus.open('1-1')
  await uploadAndStartLoader(brom, virtualLoaderImage(family), LOADER_LOAD_ADDRESS)
  await brom.close()
  await waitForStage(bus, '1-1', 'loader', { timeoutMs: 5000, pollMs: 10 })
  return { handle: await bus.open('1-1'), board }
}

async function command(handle: UsbHandle, cmd: number, data?: Uint8Array) {
  await handle.bulkOut(0x02, encodePacket(cmd, data), 1000)
  const packet = decodePacket(await handle.bulkIn(0x81, 68, 1000))!
  return { cmd: packet.cmd, result: packet.result, text: packetText(packet) }
}

describe('the virtual loader, as the public U-Boot kburn gadget answers', () => {
  it('answers the version request with nothing (version 0) and takes only the 16-byte WRITE config', async () => {
    const { handle } = await loaderStage('mmc')
    const client = new KburnClient(handle)
    expect(await client.version()).toBe(0)
    await command(handle, KBURN_CMD.probe, Uint8Array.of(1, 0xff))
    await command(handle, KBURN_CMD.getInfo)
    expect(await command(handle, KBURN_CMD.write, u64s(0, 512, 512))).toMatchObject({ text: 'ERROR CMD SIZE' })
    expect(await command(handle, KBURN_CMD.write, u64s(0, 512, 512, 0))).toMatchObject({ text: 'ERROR CMD SIZE' })
    expect(await command(handle, KBURN_CMD.write, u64s(0, 512))).toMatchObject({ cmd: 0x8021, result: 1, text: 'START DL' })
    await handle.close()
  })

  it('takes the 24- and 32-byte forms of the newer loaders when configured so', async () => {
    const { handle } = await loaderStage('mmc', { loaderVersion: 1, writeConfigSizes: [16, 24, 32] })
    expect(await new KburnClient(handle).version()).toBe(1)
    await command(handle, KBURN_CMD.probe, Uint8Array.of(1, 0xff))
    await command(handle, KBURN_CMD.getInfo)
    expect(await command(handle, KBURN_CMD.write, u64s(0, 512, 512))).toMatchObject({ text: 'START DL' })
    await handle.close()
  })

  it('answers a zero-length packet after the last chunk from the stale buffer, and the client resynchronises past it', async () => {
    const { handle } = await loaderStage('mmc')
    await command(handle, KBURN_CMD.probe, Uint8Array.of(1, 0xff))
    await command(handle, KBURN_CMD.getInfo)
    expect(await command(handle, KBURN_CMD.write, u64s(0x1000, 1024))).toMatchObject({ text: 'START DL' })
    const chunk = new Uint8Array(1024).fill(0xa5)
    chunk[1] = 0
    await handle.bulkOut(0x02, chunk, 1000)
    expect(packetText(decodePacket(await handle.bulkIn(0x81, 68, 1000))!)).toBe('WRITE DONE')
    await handle.bulkOut(0x02, new Uint8Array(0), 1000)
    const stale = decodePacket(await handle.bulkIn(0x81, 68, 1000))!
    expect({ cmd: stale.cmd, result: stale.result, text: packetText(stale) }).toEqual({ cmd: 0x8000, result: 0xff, text: 'FAILunknown command' })
    await handle.bulkOut(0x02, new Uint8Array(0), 1000)
    expect(packetText(decodePacket(await handle.bulkIn(0x81, 68, 1000))!)).toBe('NOT SUPPORT FUNC')
    const client = new KburnClient(handle)
    await client.resync()
    expect(await client.mediumInfo()).toMatchObject({ blockSize: 512 })
    await handle.close()
  })

  it('reads SPI-NOR and SPI-NAND back with the stub: READ START, then READ ERROR, 0xFFFFFFFF', async () => {
    for (const [family, code] of [['spi_nor', 4], ['spi_nand', 3]] as const) {
      const { handle } = await loaderStage(family)
      await command(handle, KBURN_CMD.probe, Uint8Array.of(code, 0xff))
      await command(handle, KBURN_CMD.getInfo)
      expect(await command(handle, KBURN_CMD.read, u64s(0, 4096))).toMatchObject({ cmd: 0x8023, result: 1, text: 'READ START' })
      const reply = decodePacket(await handle.bulkIn(0x81, 32 * 1024 + 6, 1000))!
      expect({ cmd: reply.cmd, result: reply.result, text: packetText(reply) }).toEqual({ cmd: 0x8024, result: 0xff, text: 'READ ERROR, 0xFFFFFFFF' })
      const client = new KburnClient(handle)
      await client.resync()
      expect(await client.read(0, 4096, () => undefined, 1000, 32 * 1024)).toBe('no-read')
      await handle.close()
    }
  })

  it('keeps reading an erase reply that comes after the read timeout, bounded by the erase size', async () => {
    const { handle } = await loaderStage('spi_nor', { timeScale: 0.1, media: { 'spi-nor': { eraseBytesPerSec: 40_000 } } })
    const client = new KburnClient(handle)
    await client.probe('spi-nor')
    await client.mediumInfo()
    const started = performance.now()
    await client.erase(0, 64 * 1024, 40)
    expect(performance.now() - started).toBeGreaterThan(40)
    await handle.close()
    const slow = await loaderStage('spi_nor', { timeScale: 0.1, media: { 'spi-nor': { eraseBytesPerSec: 400 } } })
    const stuck = new KburnClient(slow.handle)
    await stuck.probe('spi-nor')
    await stuck.mediumInfo()
    await expect(stuck.erase(0, 4096, 1)).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/did not finish erasing 4096 bytes at 0x0 within 2 reads of 1 ms/) })
    await slow.handle.close()
  })
})
