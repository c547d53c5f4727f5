import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { firmwareImage, flashVirtual, put, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())
const boardReady = existsSync(join(__dirname, '..', '..', 'src-board', 'board.ts'))

describe('flash, reboot, then the bring-up on the console in one run', () => {
  it.skipIf(!boardReady)('runs the checklist after a verified flash with the flash as its first step and in record.flash', async () => {
    const { handOverToBringup } = await import('@engine/flash/handover')
    const image = put(tmp.dir, 'fw.kdimg', firmwareImage('emmc'))
    const { result } = await flashVirtual(image, 'emmc', 'healthy', { reboot: true })
    expect(result.rebooted).toBe(true)
    const events: string[] = []
    const { record } = await handOverToBringup({
      flash: result,
      sim: { scenario: 'healthy', timeScale: 0.01 },
      appVersion: 'test',
      onEvent: (e) => e.type === 'step-end' && events.push(`${e.id}:${e.attempt.verdict}`),
    })
    expect(events[0]).toBe('flash:pass')
    expect(record.steps[0]).toMatchObject({ id: 'flash', verdict: 'pass' })
    expect(record.steps[0].attempts[0].measurements.find((m) => m.name === 'bytes written')?.value).toBe(result.bytesWritten)
    expect(record.flash).toMatchObject({ outcome: 'verified', image: { name: 'fw.kdimg' } })
    expect(record.steps.length).toBeGreaterThan(3)
    expect(record.steps.find((s) => s.id === 'console')?.verdict).toBe('pass')
    expect(record.verdict).toBe('pass')
    const rx = record.transcript.filter((e) => e.dir === 'rx').map((e) => e.text).join('')
    expect(rx).toMatch(/\+CPIN: READY/)
    expect(rx).toMatch(/\[root@canaan [^\]]*\]# /)
  }, 120_000)
})
