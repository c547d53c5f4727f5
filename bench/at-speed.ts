/** AT console speed: time per command through the services (UI) and the CLI, divided by the bytes' line time plus the module's own answer time; the per-command microcom of before is measured beside it. */
import '../src-services/virtual-boards'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, loadavg } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { connect } from '@engine/console'
import { createBoardAtChannel } from '@engine/at/index'
import { createServices } from '../src-services/index'
import { atCommand } from '../src-cli/commands/at'

const BAUD = 115200
/** The virtual EC200A answers 5 board ms after a command line ends (src-board/hardware/modem/ec200a.ts runLine: `await this.wait(5)`); time scale 1. */
const MODULE_ANSWER_MS = 5
const COMMANDS = ['AT+CSQ', 'AT+CPIN?', 'AT+COPS?', 'AT+CEREG?', 'AT+CGSN', 'ATI']
const ROUNDS = 4

/** Real ms the line needs for the command and the answer after it at BAUD (10 bits a byte; the echo runs beside the command), plus the module's own time. */
function floorMs(command: string, lines: string[], final: string): number {
  const sent = command.length + 1
  const answer = (lines.length ? 4 + lines.join('\r\n').length : 0) + 4 + final.length
  return ((sent + answer) * 10 * 1000) / BAUD + MODULE_ANSWER_MS
}

function report(path: string, perCommand: { ms: number; floor: number }[], first?: number): void {
  const ms = perCommand.reduce((s, x) => s + x.ms, 0) / perCommand.length
  const floor = perCommand.reduce((s, x) => s + x.floor, 0) / perCommand.length
  const worst = Math.max(...perCommand.map((x) => x.ms))
  console.log(
    `${path}: ${perCommand.length} commands, ${ms.toFixed(1)} ms per command (worst ${worst.toFixed(0)} ms${first !== undefined ? `, first incl. starting microcom ${first.toFixed(0)} ms` : ''}); line + module floor ${floor.toFixed(1)} ms; ratio ${(ms / floor).toFixed(2)} of the floor (goal <= 150 ms per command: ${ms <= 150 ? 'met' : 'not met'})`,
  )
}

async function servicesPath(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-at-speed-'))
  const s = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), appVersion: 'bench', host: 'browser', simTimeScale: 1, simLineRate: true })
  try {
    await s.handlers['console:open']({ kind: 'sim', scenario: 'healthy' })
    const started = performance.now()
    await s.handlers['at:send']({ command: 'AT' })
    const first = performance.now() - started
    const timed: { ms: number; floor: number }[] = []
    for (let round = 0; round < ROUNDS; round++) {
      for (const command of COMMANDS) {
        const t = performance.now()
        const x = await s.handlers['at:send']({ command })
        if (!x.ok) throw new Error(`${command}: ${x.final} ${x.meaning ?? ''}`)
        timed.push({ ms: performance.now() - t, floor: floorMs(command, x.lines, x.final) })
      }
    }
    await s.handlers['at:leave'](undefined)
    const again = performance.now()
    await s.handlers['at:send']({ command: 'AT' })
    const restart = performance.now() - again
    await s.handlers['at:leave'](undefined)
    report('UI path (services at:send, microcom held)', timed, first)
    console.log(`UI path: coming back to the AT console after leaving it (attach, start microcom, first answer): ${restart.toFixed(0)} ms once`)
  } finally {
    await s.dispose()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function cliPath(): Promise<void> {
  const commands = Array.from({ length: ROUNDS }, () => COMMANDS).flat()
  const stamps: { at: number; text: string }[] = []
  const stdout = new Writable({
    write(chunk: Buffer, _enc, done) {
      stamps.push({ at: performance.now(), text: chunk.toString() })
      done()
    },
  })
  const stderr = new Writable({ write: (_c, _e, done) => done() })
  const code = await atCommand.run(['--sim', 'healthy', 'AT', ...commands], { stdout, stderr, env: process.env, cwd: process.cwd() })
  if (code !== 0) throw new Error(`k230-bringup at exited ${code}`)
  const timed: { ms: number; floor: number }[] = []
  for (let i = 1; i < stamps.length; i++) {
    const lines = stamps[i].text.trim().split('\n').slice(1)
    const final = lines.pop() ?? ''
    timed.push({ ms: stamps[i].at - stamps[i - 1].at, floor: floorMs(commands[i - 1], lines, final) })
  }
  report('CLI path (k230-bringup at, microcom held)', timed)
}

async function perCommandMicrocom(): Promise<void> {
  const c = await connect({ sim: { scenario: 'healthy', seed: 1, timeScale: 1, lineRate: true } })
  try {
    await c.session.attach({ timeout: 120_000 })
    const at = createBoardAtChannel(c.session, { idleMs: 1000 })
    await at.send('AT')
    const timed: { ms: number; floor: number }[] = []
    for (const command of COMMANDS) {
      const t = performance.now()
      const r = await at.send(command)
      timed.push({ ms: performance.now() - t, floor: floorMs(command, r.lines, 'OK') })
    }
    report('before: one `microcom -t 1000` per command (as the UI did)', timed)
  } finally {
    await c.close()
  }
}

async function main(): Promise<void> {
  console.log(`AT console speed, virtual board in real time at ${BAUD} baud with line-rate pacing; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
  await servicesPath()
  await cliPath()
  await perCommandMicrocom()
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
