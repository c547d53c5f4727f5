import type { BoardServices, BoardState, CommandContext, CommandImpl } from '@board/types'
import { MemoryFs } from '@board/fs/memfs'
import { createClock } from '@board/clock'
import { createRng } from '@board/rng'
import { BoardProcessTable } from '@board/kernel/processes'
import { applyScenarioState, loadScenario, type Scenario } from '@board/scenarios/index'
import { createEc200aHardware, type Ec200aHardwareModel } from '@board/hardware/index'
import type { HwContext } from '@board/hardware/context'

/** Splits a command line like sh would for the simple words pppd's connect strings use (quotes, backslashes). */
export function shellWords(line: string): string[] {
  const words: string[] = []
  let cur = ''
  let has = false
  let i = 0
  while (i < line.length) {
    const c = line[i]
    if (c === "'") {
      const end = line.indexOf("'", i + 1)
      cur += line.slice(i + 1, end)
      i = end + 1
      has = true
    } else if (c === '"') {
      i++
      while (line[i] !== '"') {
        if (line[i] === '\\' && '"\\$`'.includes(line[i + 1])) i++
        cur += line[i++]
      }
      i++
      has = true
    } else if (c === '\\') {
      cur += line[i + 1]
      i += 2
      has = true
    } else if (/\s/.test(c)) {
      if (has) words.push(cur)
      cur = ''
      has = false
      i++
    } else {
      cur += c
      has = true
      i++
    }
  }
  if (has) words.push(cur)
  return words
}

/** A hand-made board around the hardware model: real MemoryFs, clock, rng and process table; a tiny exec for pppd's scripts. */
export interface StubBoard {
  services: BoardServices
  hardware: Ec200aHardwareModel
  hw: HwContext
  klog: string[]
  /** Board time (ms) at which each klog line was logged, parallel to `klog`. */
  klogAt: number[]
  scenario: Scenario
  /** Runs one applet by argv; collects its output. */
  run(
    argv: string[],
    options?: {
      stdin?: string | AsyncIterable<Uint8Array>
      stdinIsTty?: boolean
      signal?: AbortSignal
    },
  ): Promise<{ status: number; stdout: string; stderr: string; out: string }>
}

async function* once(text: string): AsyncIterable<Uint8Array> {
  if (text) yield new TextEncoder().encode(text)
}

/** Builds a stub board for `scenario` at `timeScale` (board ms per real ms). */
export function createStubBoard(
  scenarioName: string | Scenario = 'healthy',
  timeScale = 0.002,
  seed = 1,
): StubBoard {
  const scenario = typeof scenarioName === 'string' ? loadScenario(scenarioName) : scenarioName
  const state: BoardState = {
    hostname: 'canaan',
    kernelVersion: '5.10.4',
    drivers: new Set(),
    optionHasEc200a: true,
    kernelPpp: true,
    procConfig: true,
    pppdInstalled: true,
    readonlyRootfs: false,
  }
  applyScenarioState(state, scenario)
  const fs = new MemoryFs({
    wallClock: () => 1_700_000_000,
    readonlyRoot: () => state.readonlyRootfs,
  })
  for (const dir of ['/etc/ppp/peers', '/tmp', '/sys/kernel/debug', '/dev', '/proc', '/var/run']) {
    const ro = state.readonlyRootfs
    state.readonlyRootfs = false
    fs.mkdir(dir, { recursive: true })
    state.readonlyRootfs = ro
  }
  const klog: string[] = []
  const klogAt: number[] = []
  const commands = new Map<string, CommandImpl>()
  const clock = createClock(timeScale)
  const processes = new BoardProcessTable()
  const services: BoardServices = {
    clock,
    rng: createRng(seed),
    fs,
    klog: (message) => {
      klog.push(message)
      klogAt.push(clock.now())
    },
    uptime: () => clock.now() / 1000,
    commands: {
      register: (name, impl) => void commands.set(name, impl),
      has: (name) => commands.has(name),
      get: (name) => commands.get(name),
      unregister: (name) => void commands.delete(name),
    },
    processes,
    state,
    exec: async (line, io) => {
      const words = shellWords(line)
      while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) words.shift()
      const impl = commands.get(words[0]?.split('/').pop() ?? '')
      if (!impl) {
        io.stderr(`sh: ${words[0]}: not found\n`)
        return 127
      }
      return impl(
        context(
          words,
          io.stdout,
          io.stderr,
          once(''),
          false,
          io.signal ?? new AbortController().signal,
        ),
      )
    },
  }
  const context = (
    argv: string[],
    stdout: (t: string) => void,
    stderr: (t: string) => void,
    stdin: AsyncIterable<Uint8Array>,
    tty: boolean,
    signal: AbortSignal,
  ): CommandContext => ({
    argv,
    env: new Map(),
    cwd: '/root',
    stdout: (t) => stdout(typeof t === 'string' ? t : Buffer.from(t).toString('latin1')),
    stderr: (t) => stderr(typeof t === 'string' ? t : Buffer.from(t).toString('latin1')),
    stdin,
    stdinIsTty: tty,
    signal,
    board: services,
  })
  const hardware = createEc200aHardware(scenario)
  hardware.install(services)
  return {
    services,
    hardware,
    get hw() {
      return hardware.context as HwContext
    },
    klog,
    klogAt,
    scenario,
    async run(argv, options = {}) {
      const impl = commands.get(argv[0])
      let stdout = ''
      let stderr = ''
      let out = ''
      if (!impl)
        return {
          status: 127,
          stdout,
          stderr: `sh: ${argv[0]}: not found\n`,
          out: `sh: ${argv[0]}: not found\n`,
        }
      const stdin =
        typeof options.stdin === 'string' || options.stdin === undefined
          ? once(options.stdin ?? '')
          : options.stdin
      const status = await impl(
        context(
          argv,
          (t) => {
            stdout += t
            out += t
          },
          (t) => {
            stderr += t
            out += t
          },
          stdin,
          options.stdinIsTty ?? false,
          options.signal ?? new AbortController().signal,
        ),
      )
      return { status, stdout, stderr, out }
    },
  }
}

/** Waits (real time) until `condition` holds, polling on the event loop; throws naming `what` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}
