import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { PortInfo } from '@engine/link/index'
import { main } from '../../src-cli/main'
import { portAtUsbLocation, sysfsTtysAt } from '../../src-cli/commands/usb-location'
import { memoryIo } from './support/io'

/**
 * A sysfs tree as Linux lays it out (Documentation/ABI/stable/sysfs-class-tty; drivers/usb/serial/usb-serial.c
 * names the port device `ttyUSB%d` under the USB interface, drivers/usb/class/cdc-acm.c registers tty/ttyACMn straight
 * under it): /sys/class/tty/<tty> is a symlink to the tty's node below .../usb<bus>/<location>/<location>:<config>.<interface>/.
 */
function fakeSysfs(): string {
  const root = mkdtempSync(join(tmpdir(), 'k230-sysfs-'))
  const hub = join(root, 'devices', 'pci0000:00', '0000:00:14.0', 'usb1', '1-1')
  const ttys: Array<[string, string]> = [
    ['ttyUSB0', join(hub, '1-1.3', '1-1.3:1.0', 'ttyUSB0', 'tty', 'ttyUSB0')],
    ['ttyACM0', join(hub, '1-1.4', '1-1.4:1.0', 'tty', 'ttyACM0')],
    ['ttyUSB1', join(hub, '1-1.2', '1-1.2:1.0', 'ttyUSB1', 'tty', 'ttyUSB1')],
    ['ttyUSB2', join(hub, '1-1.2', '1-1.2:1.1', 'ttyUSB2', 'tty', 'ttyUSB2')],
    ['ttyS0', join(root, 'devices', 'platform', 'serial8250', 'tty', 'ttyS0')],
  ]
  mkdirSync(join(root, 'class', 'tty'), { recursive: true })
  for (const [name, device] of ttys) {
    mkdirSync(device, { recursive: true })
    writeFileSync(join(device, 'dev'), '188:0\n')
    symlinkSync(device, join(root, 'class', 'tty', name))
  }
  return root
}

const none = async (): Promise<PortInfo[]> => []

describe('a slot bound to a USB location finds its console', () => {
  it('on Linux through sysfs: the tty under that hub port, not one under a port whose name starts the same', async () => {
    const sys = fakeSysfs()
    expect(sysfsTtysAt('1-1.3', sys)).toEqual(['/dev/ttyUSB0'])
    expect(sysfsTtysAt('1-1.4', sys)).toEqual(['/dev/ttyACM0'])
    expect(sysfsTtysAt('1-1', sys)).toEqual([])
    expect(sysfsTtysAt('1-1.9', sys)).toEqual([])
    expect(sysfsTtysAt('1-1.3', join(sys, 'absent'))).toEqual([])
    expect(await portAtUsbLocation('1-1.3', { list: none, sysRoot: sys })).toEqual({ path: '/dev/ttyUSB0' })
    expect(await portAtUsbLocation('1-1.2', { list: none, sysRoot: sys })).toEqual({ candidates: ['/dev/ttyUSB1', '/dev/ttyUSB2'] })
    expect(await portAtUsbLocation('1-1.7', { list: none, sysRoot: sys })).toEqual({ candidates: [] })
  })

  it('where the OS listing reports a location (Windows, macOS), that comes first', async () => {
    const listed: PortInfo[] = [
      { path: 'COM7', location: 'Port_#0003.Hub_#0001', friendlyName: 'CH340', kind: 'bridge' },
      { path: 'COM9', location: 'Port_#0004.Hub_#0001', friendlyName: 'CH340', kind: 'bridge' },
    ]
    expect(await portAtUsbLocation('Port_#0004.Hub_#0001', { list: async () => listed, sysRoot: fakeSysfs() })).toEqual({ path: 'COM9' })
  })

  it('run --slots with a location where no port is: that slot exits 3 naming the location, the other slot still runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-slots-loc-'))
    writeFileSync(join(dir, 'station.json'), JSON.stringify({ version: 1, locked: false, slots: [{ name: 'A1', port: '9-9.9.9' }, { name: 'A2', scenario: 'healthy' }] }))
    const io = memoryIo(dir)
    expect(await main(['run', '--slots', 'station.json', '--time-scale', '0.05', '--out', 'out', '--json'], io)).toBe(3)
    expect(io.err()).toContain('k230-bringup run: slot A1: no serial port at USB location 9-9.9.9')
    const records = JSON.parse(io.out()) as Array<{ verdict: string } | null>
    expect(records[0]).toBeNull()
    expect(records[1]).toMatchObject({ verdict: 'pass' })
  })
})
