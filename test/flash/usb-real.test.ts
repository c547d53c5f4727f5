import { afterAll, describe, expect, it } from 'vitest'
import { listBurningDevices, watchBurningDevices, type BurningDevice } from '@engine/flash/discovery'
import { flash } from '@engine/flash/flasher'
import { usbBusFrom } from '@engine/flash/usb-real'
import { createVirtualBurnBus } from '@board/burn/bus'
import { VirtualK230 } from '@board/burn/device'
import { virtualLoaders } from '@board/burn/loaders'
import { realWebUsbOver } from './usb-native-standin'
import { firmwareImage, put, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())
const image = put(tmp.dir, 'fw.kdimg', firmwareImage('emmc'))
const realBus = (scenario = 'healthy') => usbBusFrom(realWebUsbOver(createVirtualBurnBus({ scenario, timeScale: 0.002 })))

describe('the real USB transport through the installed usb@3.1.0 wrapper (native layer stood in)', () => {
  it('starts the loader from the BootROM (SET_DATA_ADDRESS and PROG_START carry a zero-length buffer), then flashes and verifies', async () => {
    const virtual = createVirtualBurnBus({ timeScale: 0.002 })
    const phases: string[] = []
    const result = await flash({ bus: usbBusFrom(realWebUsbOver(virtual)), imagePath: image, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20, onProgress: (p) => phases.push(p.phase) })
    expect(result.error).toBeUndefined()
    expect(result).toMatchObject({ outcome: 'verified', device: { address: '1-1', transport: 'usb' } })
    expect(phases).toContain('loader')
    expect(virtual.device('1-1')!.stage).toBe('loader')
  })

  it('maps a vanished device to device-lost and a write error to write-error', async () => {
    const lost = await flash({ bus: realBus('vanish-mid-write'), imagePath: image, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20 })
    expect(lost.error?.code).toBe('device-lost')
    const bad = await flash({ bus: realBus('write-error'), imagePath: image, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20, chunkTimeoutMs: 2000 })
    expect(bad.error?.code).toBe('write-error')
  })

  it('classifies what nusb raises: Cancelled (its timeout) as timeout, Stall as a stalled request, Disconnected as device-lost', async () => {
    const virtual = createVirtualBurnBus({ timeScale: 0.002 })
    const bus = usbBusFrom(realWebUsbOver(virtual))
    const handle = await bus.open('1-1')
    await expect(handle.bulkIn(0x81, 64, 30)).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/did not answer bulk read within 30 ms/) })
    await expect(handle.controlIn({ request: 7, value: 0, index: 0 }, 4, 100)).rejects.toMatchObject({ code: 'protocol', message: expect.stringMatching(/stalled control request 7 \(controlTransferIn error: endpoint stalled\)/) })
    const pending = handle.bulkIn(0x81, 64, 5000)
    virtual.device('1-1')!.unplug()
    await expect(pending).rejects.toMatchObject({ code: 'device-lost' })
    await handle.close()
  })

  it('lists by port path and reports hot-plug from connect/disconnect events', async () => {
    const virtual = createVirtualBurnBus({ timeScale: 0.002, boards: 0 })
    const bus = usbBusFrom(realWebUsbOver(virtual))
    const seen: BurningDevice[][] = []
    const stop = watchBurningDevices(bus, (d) => seen.push(d))
    const started = Date.now()
    const waitFor = async (ok: () => boolean) => {
      while (!ok() && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 5))
    }
    await new Promise((r) => setTimeout(r, 0))
    const board = virtual.add(new VirtualK230({ address: '2-1.3', timeScale: 0.002 }))
    await waitFor(() => seen.some((d) => d.length === 1))
    expect(seen.find((d) => d.length === 1)?.[0]).toMatchObject({ address: '2-1.3', stage: 'brom' })
    board.unplug()
    expect(await listBurningDevices(bus)).toEqual([])
    stop()
  })
})
