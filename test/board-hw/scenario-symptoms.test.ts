import { afterEach, describe, expect, it } from 'vitest'
import { listScenarios, loadScenario } from '@board/scenarios/index'
import { bootConsole, type Console } from './drive'

/**
 * What a technician sees in each scenario. Every row: the scenario, the command lines typed at the
 * board's shell (from the scenario file's `symptom`), what the console then shows, and what it means.
 * The rows come from the scenario data files so the documentation and the simulation cannot drift.
 */
const REQUIRED = [
  'healthy',
  'no-sim',
  'weak-signal',
  'no-signal',
  'not-registered',
  'no-option-vidpid',
  'no-rndis-driver',
  'no-pppd',
  'module-stuck-after-reset',
  'dhcp-timeout',
  'lossy-network',
  'dns-failure',
  'reboot-mid-run',
  'unplug-mid-transfer',
  'noisy-line',
  'readonly-rootfs',
]

let open: Console | null = null
afterEach(async () => {
  await open?.close()
  open = null
})

describe('scenario symptoms, as a technician sees them at the console', () => {
  it('has exactly the required scenarios, each with a symptom', () => {
    expect(listScenarios().map((s) => s.name)).toEqual(REQUIRED)
    for (const name of REQUIRED)
      expect(loadScenario(name).symptom.commands.length, name).toBeGreaterThan(0)
  })

  const rows = REQUIRED.map((name) => {
    const s = loadScenario(name)
    const shows =
      s.symptom.event === 'unplug'
        ? 'the console link disappears'
        : `${s.symptom.absent ? 'never shows' : 'shows'} /${s.symptom.pattern}/`
    return { name, typed: s.symptom.commands.join(' ⏎ '), shows, meaning: s.symptom.meaning }
  })

  for (const { name, typed, shows, meaning } of rows)
    it(`${name}: typing \`${typed}\` ${shows} — ${meaning}`, async () => {
      const scenario = loadScenario(name)
      const c = await bootConsole(name, {
        timeScale: 0.01,
        seed: 3,
        garbledConsole: scenario.faults.noisyLine !== undefined,
      })
      open = c
      const from = c.all.length
      const { commands, pattern, absent, event } = scenario.symptom
      if (event === 'unplug') {
        let unplugged = false
        const gone = new Promise<void>((resolve) => c.board.onUnplug(() => resolve()))
        void gone.then(() => (unplugged = true))
        for (const line of commands) {
          if (unplugged) break
          const at = c.all.length
          c.write(line + '\r')
          await Promise.race([gone, c.waitFor(/~ \]# /, at, 10_000)])
        }
        await gone
        expect(unplugged).toBe(true)
        return
      }
      if (absent) {
        for (const line of commands) {
          c.write(line + '\r')
          await c.waitFor(/canaan|~ \]/, c.all.length, 5_000).catch(() => undefined)
        }
        expect(c.all.slice(from)).not.toMatch(new RegExp(pattern))
        return
      }
      for (const [i, line] of commands.entries()) {
        if (i < commands.length - 1) await c.type(line, { timeoutMs: 30_000 })
        else c.write(line + '\r')
      }
      const shown = await c.waitFor(new RegExp(pattern), from, 30_000)
      expect(shown).toMatch(new RegExp(pattern))
    })
})
