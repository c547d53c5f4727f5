import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ConsoleState } from '@shared/ipc'
import { ConsoleService } from '../../src-services/console'
import { EventHub, type SlotEventPayloads } from '../../src-services/events'

const services: ConsoleService[] = []
afterEach(async () => {
  for (const s of services.splice(0)) await s.close()
})

function service(): { svc: ConsoleService; states: ConsoleState[] } {
  const events = new EventHub<SlotEventPayloads>()
  const states: ConsoleState[] = []
  events.on('console:state', (s) => states.push(s))
  const svc = new ConsoleService(events, mkdtempSync(join(tmpdir(), 'k230-console-race-')), { timeScale: 0.01 }, () => false, () => false, async () => null)
  services.push(svc)
  return { svc, states }
}

describe('Disconnect pressed while a Connect is still on its way', () => {
  it('the disconnect wins: the console ends closed and the last state the screen hears says so', async () => {
    const { svc, states } = service()
    await svc.open({ kind: 'sim', scenario: 'healthy' })
    const reconnecting = svc.open({ kind: 'sim', scenario: 'no-sim' })
    const closed = await svc.close()
    await reconnecting.catch(() => undefined)
    expect(svc.peek()).toBeNull()
    expect(svc.current()).toMatchObject({ open: false })
    expect(closed).toMatchObject({ open: false })
    expect(states.at(-1)).toMatchObject({ open: false })
    expect(svc.wasClosedByOperator()).toBe(true)
  })

  it('a connect after the disconnect opens again', async () => {
    const { svc } = service()
    const first = svc.open({ kind: 'sim', scenario: 'healthy' })
    await svc.close()
    await first.catch(() => undefined)
    expect(await svc.open({ kind: 'sim', scenario: 'no-sim' })).toMatchObject({ open: true, target: 'virtual:no-sim' })
    expect(svc.wasClosedByOperator()).toBe(false)
  })
})
