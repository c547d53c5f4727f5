import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BoardServices, BoardState, CharDevice, CharDeviceHandle, HardwareModel, VirtualBoard, VirtualBoardOptions } from './types'
import { createClock } from './clock'
import { createRng } from './rng'
import { MemoryFs, type FsSnapshot, type MountEntry } from './fs/memfs'
import { seedRootfs } from './fs/rootfs'
import { KernelLog, formatKernelTime } from './kernel/klog'
import { BoardProcessTable } from './kernel/processes'
import { firmwareBanner, initMessages, kernelBootLog } from './kernel/boot'
import { BoardConsole } from './console/console'
import { LinePacer } from './console/pacer'
import { CommandTable } from './shell/registry'
import { ExitShell, Shell, type ShellHost } from './shell/executor'
import { ShellState } from './shell/state'
import { streamOf } from './shell/streams'
import { ConsoleSession } from './shell/session'
import { installCoreCommands } from './commands/core/index'
import { applyScenarioState, loadScenario, type Scenario } from './scenarios/index'
import { createEc200aHardware } from './hardware/index'

const ELF_STUB = '\x7fELF\x02\x01\x01\0'
const U_BOOT_MS = 900
const INIT_DONE_S = 3.62

/** Board facts before a scenario applies (the K230 SDK kernel with every driver the reference needs). */
export function defaultBoardState(): BoardState {
  return {
    hostname: 'canaan',
    kernelVersion: '5.10.4',
    drivers: new Set(['usb', 'hub', 'usbfs', 'option', 'cdc_ether', 'rndis_host', 'cdc_ncm']),
    optionHasEc200a: true,
    kernelPpp: true,
    procConfig: true,
    pppdInstalled: true,
    readonlyRootfs: false,
  }
}

/** A virtual board plus what tests and the CLI may inspect. */
export interface VirtualBoardHandle extends VirtualBoard {
  readonly fs: MemoryFs
  readonly kernel: KernelLog
  readonly console: BoardConsole
  readonly scenarioData: Scenario | null
  /** True between powerOn and powerOff. */
  readonly powered: boolean
  /** False after unplug(). */
  readonly plugged: boolean
}

/** Creates the virtual K230 board: console, shell, files, kernel log, the scenario's hardware and faults; throws ScenarioError for an unknown scenario. */
export function createVirtualBoard(options: VirtualBoardOptions = {}): VirtualBoardHandle {
  return new Board(options)
}

class Board implements VirtualBoardHandle {
  readonly options: VirtualBoard['options']
  readonly fs: MemoryFs
  readonly console: BoardConsole
  readonly scenarioData: Scenario | null
  kernel = new KernelLog()
  powered = false
  plugged = true
  private readonly clock
  private readonly rng
  private readonly state: BoardState
  private readonly hardware: HardwareModel | null
  private processes = new BoardProcessTable()
  private commands: CommandTable
  private power = new AbortController()
  private kernelZero = 0
  private bootStarted = 0
  private ready: { promise: Promise<void>; resolve: () => void; settled: boolean } = deferred()
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>()
  private readonly unplugListeners = new Set<() => void>()
  private readonly outPacer: LinePacer
  private readonly inPacer: LinePacer
  private bytesTyped = 0
  private commandLines = 0
  private faultRebootDone = false
  private cancelRebootAt: (() => void) | null = null
  private persistTimer: ReturnType<typeof setTimeout> | null = null
  private persistDir: string | undefined
  private closed = false
  readonly services: BoardServices

  constructor(opts: VirtualBoardOptions) {
    this.options = {
      scenario: opts.scenario ?? 'healthy',
      seed: opts.seed ?? 1,
      timeScale: opts.timeScale ?? 1,
      baud: opts.baud ?? 115200,
      lineRate: opts.lineRate ?? true,
      login: opts.login ?? false,
    }
    this.clock = createClock(this.options.timeScale)
    this.rng = createRng(this.options.seed)
    this.state = defaultBoardState()
    this.scenarioData = opts.hardware === undefined || opts.scenario !== undefined ? loadScenario(this.options.scenario) : null
    if (this.scenarioData) applyScenarioState(this.state, this.scenarioData)
    this.hardware = opts.hardware !== undefined ? opts.hardware : createEc200aHardware(this.scenarioData as Scenario)
    this.fs = new MemoryFs({
      wallClock: () => this.uptime(),
      readonlyRoot: () => this.state.readonlyRootfs,
      onEtcChange: () => this.schedulePersist(opts.persistDir),
    })
    seedRootfs(this.fs, this.state.hostname)
    this.fs.seed('/dev/shm')
    if (opts.persistDir) this.loadPersisted(opts.persistDir)
    const rate = this.options.lineRate ? this.options.baud / 10 : null
    this.outPacer = new LinePacer(rate, (chunk) => {
      for (const l of this.dataListeners) l(chunk)
    })
    this.inPacer = new LinePacer(rate, (chunk) => {
      if (this.powered) this.console.receive(chunk)
    })
    this.console = new BoardConsole((bytes, urgent) => this.emitOut(bytes, urgent), this.options.baud)
    this.commands = this.newCommandTable()
    this.services = this.makeServices()
    this.installStaticNodes()
    if (opts.autoPowerOn ?? true) this.powerOn()
  }

  private newCommandTable(): CommandTable {
    return new CommandTable((path) => this.fs.provide(path, () => (this.commands.nameAt(path) ? ELF_STUB : null), { mode: 0o755 }))
  }

  private makeServices(): BoardServices {
    const commands = (): CommandTable => this.commands
    const processes = (): BoardProcessTable => this.processes
    return {
      clock: this.clock,
      rng: this.rng,
      fs: this.fs,
      klog: (message, level) => this.klog(message, level ?? 6),
      uptime: () => this.uptime(),
      get commands() {
        return commands()
      },
      get processes() {
        return processes()
      },
      state: this.state,
      exec: (commandLine, io) => this.exec(commandLine, io),
    }
  }

  private shellHost(): ShellHost {
    return { services: this.services, fs: this.fs, commands: this.commands, processes: this.processes }
  }

  uptime(): number {
    if (!this.powered) return 0
    return Math.max(0, (this.clock.now() - this.kernelZero) / 1000)
  }

  private klog(message: string, level: number, seconds = this.uptime()): void {
    if (!this.powered) return
    const printed = this.kernel.add({ seconds, level, message })
    if (!printed) return
    const generation = this.power.signal
    setImmediate(() => {
      if (!generation.aborted) this.console.printKernel(`${formatKernelTime(seconds)} ${message}`)
    })
  }

  private async exec(commandLine: string, io: { stdout: (t: string) => void; stderr: (t: string) => void; signal?: AbortSignal }): Promise<number> {
    const state = new ShellState()
    state.vars.set('PATH', '/bin:/sbin:/usr/bin:/usr/sbin')
    state.exported.add('PATH')
    state.cwd = '/'
    const decoder = new TextDecoder()
    const sink = (f: (t: string) => void) => (d: string | Uint8Array) => f(typeof d === 'string' ? d : decoder.decode(d))
    const shell = new Shell(state, this.shellHost(), false)
    try {
      return await shell.runSource(commandLine, { stdout: sink(io.stdout), stderr: sink(io.stderr), stdin: streamOf(''), stdinIsTty: false }, io.signal ?? this.power.signal)
    } catch (error) {
      if (error instanceof ExitShell) return error.status
      io.stderr(`sh: internal error: ${error instanceof Error ? error.message : String(error)}\n`)
      return 2
    }
  }

  private installStaticNodes(): void {
    const fs = this.fs
    const kernel = (): KernelLog => this.kernel
    fs.provide('/proc/version', () => `Linux version ${this.state.kernelVersion} (root@canaan) (riscv64-unknown-linux-gnu-gcc 10.2.0, GNU ld (GNU Binutils) 2.35) #1 SMP Sat Apr 27 10:04:39 CST 2024\n`)
    fs.provide('/proc/uptime', () => `${this.uptime().toFixed(2)} ${(this.uptime() * 0.93).toFixed(2)}\n`)
    fs.provide('/proc/cmdline', () => `console=ttyS0,115200 root=/dev/mmcblk1p3 ${this.state.readonlyRootfs ? 'ro' : 'rw'} rootwait rootfstype=ext4\n`)
    fs.provide('/proc/mounts', () => fs.mountTable().map((m) => `${m.source} ${m.target} ${m.type} ${m.options} 0 0\n`).join(''))
    fs.provide('/proc/cpuinfo', () => 'processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdcvsu\nmmu\t\t: sv39\n\n')
    fs.provide('/proc/meminfo', () => 'MemTotal:         104940 kB\nMemFree:           71236 kB\nMemAvailable:      83320 kB\n')
    fs.provide('/proc/sys/kernel/printk', () => kernel().printkText(), { write: (t) => kernel().writePrintk(t) })
    fs.provide('/proc/sys/kernel/hostname', () => `${this.state.hostname}\n`, { write: (t) => (this.state.hostname = t.trim() || this.state.hostname) })
    const sinkDevice = (onWrite: (data: Uint8Array | string) => void): CharDevice => ({
      open: (): CharDeviceHandle => ({ write: onWrite, onData: () => () => undefined, close: () => undefined }),
    })
    fs.device('/dev/null', sinkDevice(() => undefined), () => true)
    fs.device('/dev/zero', sinkDevice(() => undefined), () => true)
    fs.device('/dev/console', sinkDevice((d) => this.console.print(d)), () => true)
    fs.device('/dev/ttyS0', sinkDevice((d) => this.console.print(d)), () => true)
    fs.device(
      '/dev/kmsg',
      sinkDevice((d) => {
        const text = typeof d === 'string' ? d : new TextDecoder().decode(d)
        for (const line of text.split('\n').filter(Boolean)) {
          const m = /^<(\d)>(.*)$/s.exec(line)
          this.klog(m ? m[2] : line, m ? Number(m[1]) : 4)
        }
      }),
      () => true,
    )
  }

  private baseMounts(): MountEntry[] {
    return [
      { source: '/dev/root', target: '/', type: 'ext4', options: this.state.readonlyRootfs ? 'ro,relatime' : 'rw,relatime' },
      { source: 'devtmpfs', target: '/dev', type: 'devtmpfs', options: 'rw,relatime,size=52468k,nr_inodes=13117,mode=755' },
      { source: 'proc', target: '/proc', type: 'proc', options: 'rw,relatime' },
      { source: 'devpts', target: '/dev/pts', type: 'devpts', options: 'rw,relatime,gid=5,mode=620,ptmxmode=666' },
      { source: 'tmpfs', target: '/dev/shm', type: 'tmpfs', options: 'rw,relatime,mode=777' },
      { source: 'tmpfs', target: '/tmp', type: 'tmpfs', options: 'rw,relatime' },
      { source: 'tmpfs', target: '/run', type: 'tmpfs', options: 'rw,nosuid,nodev,relatime,mode=755' },
      { source: 'sysfs', target: '/sys', type: 'sysfs', options: 'rw,relatime' },
    ]
  }

  private emitOut(bytes: Uint8Array, urgent = false): void {
    if (!this.powered || !this.plugged || this.closed) return
    const noisy = this.noise(bytes, 'from-board')
    if (urgent) this.outPacer.pushFront(noisy)
    else this.outPacer.push(noisy)
  }

  private noise(bytes: Uint8Array, direction: 'to-board' | 'from-board'): Uint8Array {
    const noisy = this.scenarioData?.faults.noisyLine
    if (!noisy || (noisy.direction !== 'both' && noisy.direction !== direction)) return bytes
    const out: number[] = []
    for (const b of bytes) {
      if (this.rng.chance(noisy.dropRate)) continue
      out.push(this.rng.chance(noisy.garbleRate) ? this.rng.int(0x20, 0x7e) : b)
    }
    return Uint8Array.from(out)
  }

  write(data: Uint8Array | string): void {
    if (!this.plugged || this.closed) return
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
    this.bytesTyped += bytes.length
    const limit = this.scenarioData?.faults.unplugAfterBytes
    if (limit !== undefined && this.bytesTyped > limit) {
      this.unplug()
      return
    }
    this.inPacer.push(this.noise(bytes, 'to-board'))
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener)
    return () => this.dataListeners.delete(listener)
  }

  onUnplug(listener: () => void): () => void {
    this.unplugListeners.add(listener)
    return () => this.unplugListeners.delete(listener)
  }

  powerOn(): void {
    if (this.powered || this.closed) return
    this.powered = true
    this.power = new AbortController()
    this.kernel = new KernelLog()
    this.processes = new BoardProcessTable(200 + this.rng.int(0, 40))
    this.commands = this.newCommandTable()
    this.fs.clearBelow('/tmp')
    this.fs.clearBelow('/run')
    this.fs.clearBelow('/var/run')
    this.fs.resetMounts(this.baseMounts())
    this.console.reset()
    this.bootStarted = this.clock.now()
    this.kernelZero = this.bootStarted + U_BOOT_MS
    if (this.ready.settled) this.ready = deferred()
    const kernel = (): KernelLog => this.kernel
    installCoreCommands(this.commands, {
      fs: this.fs,
      get kernel() {
        return kernel()
      },
      tty: this.console.tty,
      processes: this.processes,
      state: this.state,
      wallClock: () => this.uptime(),
      reboot: () => void this.outPacer.whenIdle().then(() => this.reboot()),
      powerOff: () => void this.outPacer.whenIdle().then(() => this.powerOff()),
      outputDrained: () => this.outPacer.whenIdle(),
    })
    this.hardware?.install(this.services)
    const rebootAt = this.scenarioData?.faults.rebootAtMs
    if (rebootAt !== undefined && !this.faultRebootDone) {
      this.cancelRebootAt = this.clock.setTimer(rebootAt, () => {
        this.faultRebootDone = true
        this.reboot()
      })
    }
    void this.boot(this.power.signal)
  }

  private async boot(power: AbortSignal): Promise<void> {
    const clock = this.clock
    const untilBoardMs = async (at: number): Promise<void> => {
      const wait = at - clock.now()
      if (wait > 0) await clock.sleep(wait, power)
    }
    try {
      this.console.print(firmwareBanner().join('\n') + '\n')
      const lines = kernelBootLog(this.state, this.rng, this.hardware?.bootLog?.() ?? [])
      for (const line of lines) {
        await untilBoardMs(this.kernelZero + line.seconds * 1000)
        if (this.kernel.add(line)) this.console.printRaw(`${formatKernelTime(line.seconds)} ${line.message}\r\n`)
      }
      await untilBoardMs(this.kernelZero + INIT_DONE_S * 1000)
      this.console.print(initMessages(this.state).join('\n') + '\n')
      if (this.options.login) this.console.print('\nWelcome to Buildroot\n')
      else this.console.print('\n')
    } catch {
      return
    }
    const session = new ConsoleSession(
      this.shellHost(),
      this.console,
      { login: this.options.login, hostname: () => this.state.hostname },
      {
        onPrompt: () => {
          if (!power.aborted) this.ready.resolve()
        },
        onCommandLine: () => this.countCommand(),
      },
    )
    await session.run(power)
  }

  private countCommand(): void {
    this.commandLines++
    const after = this.scenarioData?.faults.rebootAfterCommands
    if (after !== undefined && !this.faultRebootDone && this.commandLines >= after) {
      this.faultRebootDone = true
      this.clock.setTimer(100, () => this.reboot())
    }
  }

  powerOff(): void {
    if (!this.powered) return
    this.powered = false
    this.power.abort(new Error('power off'))
    this.cancelRebootAt?.()
    this.processes.killAll()
    this.console.reset()
    this.outPacer.clear()
    this.inPacer.clear()
  }

  reboot(): void {
    this.powerOff()
    this.powerOn()
  }

  unplug(): void {
    if (!this.plugged) return
    this.plugged = false
    this.outPacer.clear()
    this.inPacer.clear()
    for (const l of this.unplugListeners) l()
  }

  whenReady(): Promise<void> {
    return this.ready.promise
  }

  close(): void {
    this.powerOff()
    this.closed = true
    if (this.persistTimer) {
      clearTimeout(this.persistTimer)
      this.persistTimer = null
      this.savePersisted()
    }
    this.dataListeners.clear()
    this.unplugListeners.clear()
  }

  private schedulePersist(dir: string | undefined): void {
    if (!dir || this.persistTimer) return
    this.persistDir = dir
    this.persistTimer = setTimeout(() => {
      this.persistTimer = null
      this.savePersisted()
    }, 0)
  }

  private savePersisted(): void {
    if (!this.persistDir) return
    try {
      mkdirSync(this.persistDir, { recursive: true })
      writeFileSync(join(this.persistDir, 'etc.json'), JSON.stringify(this.fs.snapshot('/etc')))
    } catch {
      /* persistence is best effort: the in-memory /etc stays authoritative */
    }
  }

  private loadPersisted(dir: string): void {
    const file = join(dir, 'etc.json')
    if (!existsSync(file)) return
    try {
      const snapshot = JSON.parse(readFileSync(file, 'utf8')) as FsSnapshot
      if (snapshot && typeof snapshot === 'object' && snapshot['/etc']?.kind === 'dir') this.fs.restore('/etc', snapshot)
    } catch {
      /* a corrupt persistence file is ignored: the board boots with the stock /etc */
    }
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void; settled: boolean } {
  let resolve!: () => void
  const d = { promise: new Promise<void>((r) => (resolve = r)), resolve: () => undefined as void, settled: false }
  d.resolve = () => {
    d.settled = true
    resolve()
  }
  return d
}
