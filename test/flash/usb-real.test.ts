import { afterAll, describe, expect, it } from 'vitest'
import { listBurningDevices, watchBurningDevices, type BurningDevice } from '@engine/flash/discovery'
import { flash } from '@engine/flash/flasher'
import { usbBusFrom } from '@engine/flash/usb-real'
import { createVirtualBurnBus } from '@engine/flash/virtual/bus'
import { VirtualK230 } from '@engine/flash/virtual/device'
import { virtualLoaders } from '@engine/flash/virtual/loaders'
import { FakeWebUsb } from './fake-webusb'
import { firmwareImage, put, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())
const image = put(tmp.dir, 'fw.kdimg', firmwareImage('emmc'))

describe('the real USB transport over a WebUSB-style object', () => {
  it('flashes and verifies through the usb-package code path (endpoint scan, transfers, re-open after the handoff)', async () => {
    const virtual = createVirtualBurnBus({ timeScale: 0.002 })
    const bus = usbBusFrom(new FakeWebUsb(virtual))
    const result = await flash({ bus, imagePath: image, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20 })
    expect(result.error).toBeUndefined()
    expect(result).toMatchObject({ outcome: 'verified', device: { address: '1-1', transport: 'usb' } })
  })

  it('maps a vanished device to device-lost and a write error to write-error', async () => {
    const lost = await flash({ bus: usbBusFrom(new FakeWebUsb(createVirtualBurnBus({ scenario: 'vanish-mid-write', timeScale: 0.002 }))), imagePath: image, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20 })
    expect(lost.error?.code).toBe('device-lost')
    const bad = await flash({ bus: usbBusFrom(new FakeWebUsb(createVirtualBurnBus({ scenario: 'write-error', timeScale: 0.002 }))), imagePath: image, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20, chunkTimeoutMs: 2000 })
    expect(bad.error?.code).toBe('write-error')
  })

  it('lists by port path and reports hot-plug from connect/disconnect events', async () => {
    const virtual = createVirtualBurnBus({ timeScale: 0.002, boards: 0 })
    const bus = usbBusFrom(new FakeWebUsb(virtual))
    const seen: BurningDevice[][] = []
    const stop = watchBurningDevices(bus, (d) => seen.push(d))
    const board = virtual.add(new VirtualK230({ address: '2-1.3', timeScale: 0.002 }))
    const started = Date.now()
    while (!seen.some((d) => d.length === 1) && Date.now() - started < 5000) await new Promise((r) => setImmediate(r))
    expect(seen.find((d) => d.length === 1)?.[0]).toMatchObject({ address: '2-1.3', stage: 'brom' })
    board.unplug()
    expect(await listBurningDevices(bus)).toEqual([])
    stop()
  })
})
