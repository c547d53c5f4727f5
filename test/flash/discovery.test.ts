import { afterAll, describe, expect, it } from 'vitest'
import { listBurningDevices, watchBurningDevices, type BurningDevice } from '@engine/flash/discovery'
import { flash } from '@engine/flash/flasher'
import { createUsbBus, portPath } from '@engine/flash/usb-real'
import { VirtualBurnBus } from '@board/burn/bus'
import { VirtualK230 } from '@board/burn/device'
import { virtualLoaders } from '@board/burn/loaders'
import { firmwareImage, put, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())

function waitForList(updates: BurningDevice[][], test: (d: BurningDevice[]) => boolean, timeoutMs = 5000): Promise<BurningDevice[]> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const check = () => {
      const hit = updates.find(test)
      if (hit) return resolve(hit)
      if (Date.now() - started > timeoutMs) return reject(new Error(`no matching device list in ${timeoutMs} ms: ${JSON.stringify(updates.at(-1))}`))
      setImmediate(check)
    }
    check()
  })
}

describe('discovery of boards in burning mode', () => {
  it('lists several boards by port path, sees hot-plug, and tells the stage', async () => {
    const bus = new VirtualBurnBus()
    bus.add(new VirtualK230({ address: '3-1.4', timeScale: 0.002 }))
    const updates: BurningDevice[][] = []
    const stop = watchBurningDevices(bus, (d) => updates.push(d))
    await waitForList(updates, (d) => d.length === 1)
    const second = bus.add(new VirtualK230({ address: '3-1.2', chip: 'K230D', timeScale: 0.002 }))
    const both = await waitForList(updates, (d) => d.length === 2)
    expect(both.map((d) => [d.address, d.stage, d.chip])).toEqual([
      ['3-1.2', 'brom', 'K230/K230D'],
      ['3-1.4', 'brom', 'K230/K230D'],
    ])
    second.unplug()
    await waitForList(updates, (d) => d.length === 1 && d[0].address === '3-1.4' && updates.indexOf(d) > updates.indexOf(both))
    stop()
  })

  it('flashes three boards at once, each verified at its own address', async () => {
    const bus = new VirtualBurnBus()
    for (const address of ['1-1', '1-2', '2-1']) bus.add(new VirtualK230({ address, timeScale: 0.002 }))
    const image = put(tmp.dir, 'fw.kdimg', firmwareImage('emmc'))
    const results = await Promise.all(['1-1', '1-2', '2-1'].map((address) => flash({ bus, address, imagePath: image, medium: 'emmc', loaders: virtualLoaders(), pollMs: 20 })))
    expect(results.map((r) => [r.device.address, r.outcome])).toEqual([
      ['1-1', 'verified'],
      ['1-2', 'verified'],
      ['2-1', 'verified'],
    ])
    expect((await listBurningDevices(bus)).map((d) => d.stage)).toEqual(['loader', 'loader', 'loader'])
  })

  it('refuses a second flash of a board already being flashed', async () => {
    const bus = new VirtualBurnBus()
    bus.add(new VirtualK230({ address: '1-1', timeScale: 0.002 }))
    const handle = await bus.open('1-1')
    await expect(bus.open('1-1')).rejects.toMatchObject({ code: 'device-busy' })
    await handle.close()
  })

  it('builds port paths from the usb package fields', () => {
    expect(portPath({ bus: '1', ports: [5, 1] })).toBe('1-5.1')
    expect(portPath({ bus: '3-2', ports: [2] })).toBe('3-2')
  })

  it('the real USB bus either lists or says clearly why USB cannot be read', async () => {
    const bus = await createUsbBus()
    try {
      const devices = await listBurningDevices(bus)
      expect(Array.isArray(devices)).toBe(true)
    } catch (error) {
      expect(error).toMatchObject({ code: 'usb-unavailable', message: expect.stringMatching(/USB devices cannot be read on this computer \(.+\)\. .*udev rule/) })
    }
  })
})

describe('engine facade used by the services', () => {
  it('flashDevice resolves verified with progress phases, and rejects with the result on failure', async () => {
    const { flashDevice, virtualBurnBus: createVirtualBurnBus, inspectImage } = await import('@engine/flash/index')
    const image = put(tmp.dir, 'facade.kdimg', firmwareImage('emmc'))
    expect((await inspectImage(image)).parts.map((p) => p.name)).toEqual(['uboot_spl', 'uboot', 'rtt', 'small'])
    const phases = new Set<string>()
    const ok = await flashDevice({ device: '1-1', image, medium: 'emmc', bus: createVirtualBurnBus({ timeScale: 0.002 }), onProgress: (p) => phases.add(p.phase), extra: { pollMs: 20 } })
    expect(ok.outcome).toBe('verified')
    expect([...phases]).toEqual(['image', 'loader', 'handoff', 'probe', 'write', 'erase', 'verify', 'done'])
    const failed = flashDevice({ device: '1-1', image, medium: 'emmc', bus: createVirtualBurnBus({ scenario: 'verify-mismatch', timeScale: 0.002 }), extra: { pollMs: 20 } })
    await expect(failed).rejects.toMatchObject({ code: 'verify-mismatch', result: { outcome: 'verify-failed' } })
  })
})
