import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RunSnapshot } from '@shared/ipc'
import { readLedger } from '@engine/report/index'
import { createServices } from '../../src-services/index'

const root = mkdtempSync(join(tmpdir(), 'k230-services-fault-'))
const resultsDir = join(root, 'results')
const services = createServices({
  dataDir: join(root, 'data'),
  resultsDir,
  simTimeScale: 0.01,
  simLineRate: false,
  appVersion: '0.0.0-evidence',
  host: 'browser',
})

function runEnd(): Promise<RunSnapshot> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the run did not end within 120 s')), 120_000)
    const off = services.events.on('run:update', (s) => {
      if (s.running || !s.record || s.record.verdict === 'running') return
      clearTimeout(timer)
      off()
      resolve(s)
    })
  })
}

async function unit(scenario: string, serial: string): Promise<RunSnapshot> {
  await services.handlers['settings:set']({ scenario, operator: 'evidence-op' })
  await services.handlers['console:open']({ kind: 'sim', scenario })
  const end = runEnd()
  await services.handlers['run:start']({ serial })
  return end
}

describe('the app starts the next unit after a faulted one without a restart (one services instance)', () => {
  afterAll(() => services.dispose())

  it.each([
    ['unplug-mid-transfer', 'link-lost', 'error'],
    ['reboot-mid-run', 'completed', 'error'],
    ['noisy-line', 'completed', 'error'],
  ])(
    'after %s, a healthy unit passes and both records are in the ledger',
    async (scenario, status, verdict) => {
      const faulted = await unit(scenario, `SN-${scenario}`)
      expect(faulted.record?.status).toBe(status)
      expect(faulted.record?.verdict).toBe(verdict)
      expect(faulted.running).toBe(false)
      const healthy = await unit('healthy', `SN-after-${scenario}`)
      expect(
        healthy.record?.verdict,
        healthy.record?.steps.map((s) => `${s.id}=${s.verdict}`).join(' '),
      ).toBe('pass')
      const serials = (await readLedger(join(resultsDir, 'ledger.csv'))).rows.map((r) => r.serial)
      expect(serials).toEqual(expect.arrayContaining([`SN-${scenario}`, `SN-after-${scenario}`]))
      expect(
        (await services.handlers['reports:list']({ query: `SN-after-${scenario}`, includeSimulated: true })).map(
          (e) => e.verdict,
        ),
      ).toEqual(['pass'])
    },
    240_000,
  )
})
