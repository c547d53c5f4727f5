import { describe, expect, it } from 'vitest'
import { describePort, type PortInfo } from '@engine/link/index'
import { EventHub } from '../../src-services/events'
import { PortsService } from '../../src-services/ports'
import type { PortView } from '@shared/ipc'

describe('ports on the Station screen', () => {
  it('announces a USB-serial bridge when it is plugged in and when it goes, with its friendly name', async () => {
    let present: PortInfo[] = [describePort({ path: '/dev/ttyS0' })]
    const events = new EventHub()
    const seen: PortView[][] = []
    events.on('ports:changed', (p) => seen.push(p))
    const ports = new PortsService(events, async () => present)
    await ports.watch(20)
    try {
      expect((await ports.list()).map((p) => p.path)).toEqual(['/dev/ttyS0'])
      present = [...present, describePort({ path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', manufacturer: 'QinHeng' })]
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(1)
      expect(seen[0].find((p) => p.path === '/dev/ttyUSB0')?.label).toMatch(/CH340/)
      expect((await ports.list()).map((p) => p.path)).toContain('/dev/ttyUSB0')
      present = present.filter((p) => p.path !== '/dev/ttyUSB0')
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(2)
      expect(seen[1].map((p) => p.path)).toEqual(['/dev/ttyS0'])
    } finally {
      ports.stop()
    }
  })
})
