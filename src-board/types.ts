/**
 * Contract between the parts of the virtual board. The console/shell/filesystem side (board core)
 * and the hardware side (EC200A modem, USB, network, PPP, scenarios) meet only through these types.
 * Changes must be additive; note them in the changelog comment at the end of this file.
 */

/** Board time. With timeScale s, a board wait of t ms takes t*s real ms; `now()` reads board ms. */
export interface Clock {
  readonly timeScale: number
  now(): number
  /** Resolves after `ms` board milliseconds; rejects with signal.reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /** Calls fn after `ms` board milliseconds; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void
}

/** Seeded pseudo-random source: every run with the same seed behaves the same. */
export interface Rng {
  next(): number
  int(min: number, maxInclusive: number): number
  chance(p: number): boolean
}

/** A byte endpoint of a character device (ttyUSB2, ppp line), as seen by one opener. */
export interface CharDeviceHandle {
  write(data: Uint8Array | string): void
  onData(listener: (chunk: Uint8Array) => void): () => void
  close(): void
}

/** A character device node under /dev, provided by hardware models (e.g. /dev/ttyUSB2). */
export interface CharDevice {
  /** Throws a BoardFsError-like error (e.g. ENODEV) when the node no longer exists. */
  open(): CharDeviceHandle
}

/** Dynamic file content for /proc, /sys, debugfs: computed from state at read time. */
export type FileProvider = () => string | Uint8Array | null

export interface ProcessHandle {
  pid: number
  name: string
  /** Delivers a signal; returns false when the process is gone. Signal 0 only probes. */
  kill(signal: number): boolean
}

/** What a command sees while it runs. Output uses LF; the console turns it into CRLF. */
export interface CommandContext {
  argv: string[]
  env: Map<string, string>
  cwd: string
  stdout: (text: string | Uint8Array) => void
  stderr: (text: string | Uint8Array) => void
  /** Bytes of stdin: a pipe/redirect/here-doc gives a finite stream; the terminal gives typed bytes. */
  stdin: AsyncIterable<Uint8Array>
  /** True when stdin is the interactive console (microcom then forwards keystrokes). */
  stdinIsTty: boolean
  /** Puts the console in raw mode (no echo, no line editing, Ctrl-C is a byte) or back; `flush` drops typed-ahead input as tcsetattr(TCSAFLUSH) does. Present when stdin is the console. */
  ttyRaw?: (raw: boolean, flush: boolean) => void
  /** Aborted on Ctrl-C (SIGINT) or kill. */
  signal: AbortSignal
  board: BoardServices
}

/** A shell command implementation; resolves to its exit status. */
export type CommandImpl = (ctx: CommandContext) => Promise<number>

/** Services every part of the board may use. */
export interface BoardServices {
  clock: Clock
  rng: Rng
  fs: BoardFs
  /** Appends a kernel message to the ring buffer and, by console loglevel, prints it asynchronously. */
  klog(message: string, level?: number): void
  /** Seconds since boot as printed in kernel lines. */
  uptime(): number
  commands: CommandRegistry
  processes: ProcessTable
  /** Named facts of the board's build and state (drivers present, pppd present, ...), set by scenarios. */
  state: BoardState
  /** Runs a shell command line as a child (used by pppd for connect scripts, ip-up). */
  exec(commandLine: string, io: { stdout: (t: string) => void; stderr: (t: string) => void; signal?: AbortSignal }): Promise<number>
}

export interface CommandRegistry {
  register(name: string, impl: CommandImpl, options?: { path?: string }): void
  has(name: string): boolean
  get(name: string): CommandImpl | undefined
  unregister(name: string): void
}

export interface ProcessTable {
  spawn(name: string, run: (signal: AbortSignal) => Promise<number>): ProcessHandle
  byName(name: string): ProcessHandle[]
  list(): ProcessHandle[]
}

export interface BoardFs {
  readFile(path: string): Uint8Array
  readText(path: string): string
  writeFile(path: string, data: Uint8Array | string, options?: { append?: boolean; mode?: number }): void
  exists(path: string): boolean
  isDir(path: string): boolean
  mkdir(path: string, options?: { recursive?: boolean }): void
  readdir(path: string): string[]
  unlink(path: string): void
  rename(from: string, to: string): void
  chmod(path: string, mode: number): void
  stat(path: string): { mode: number; size: number; isDir: boolean; isDevice: boolean }
  /** Registers a dynamic file; present while the provider returns non-null. */
  provide(path: string, provider: FileProvider): void
  /** Registers a character device node; present while `present()` is true. */
  device(path: string, device: CharDevice, present: () => boolean): void
  /** Mount table: `mount -t debugfs none /sys/kernel/debug` makes debugfs providers visible. */
  isMounted(mountPoint: string): boolean
}

/** Board facts that scenarios set and models read. Free-form keys are allowed for models. */
export interface BoardState {
  hostname: string
  kernelVersion: string
  /** Drivers the kernel was built with (names as in /sys/bus/usb/drivers). */
  drivers: Set<string>
  /** Whether the option driver has the 2c7c:6005 entry. */
  optionHasEc200a: boolean
  /** Kernel has PPP support (CONFIG_PPP...). */
  kernelPpp: boolean
  /** /proc/config.gz available. */
  procConfig: boolean
  pppdInstalled: boolean
  readonlyRootfs: boolean
  [key: string]: unknown
}

/** The hardware side installs itself on a booted board through this hook. */
export interface HardwareModel {
  /** Called once at power-on, before the boot log; registers commands, devices and providers. */
  install(board: BoardServices): void
  /** Kernel boot log lines contributed by the hardware (USB enumeration) at boot time. */
  bootLog?(): string[]
  /** Called at power-off: cancels the hardware's pending timers (module reset, dial) so a closed board holds nothing. */
  shutdown?(): void
}

/** Options of `createVirtualBoard` (src-board/board.ts). */
export interface VirtualBoardOptions {
  /** Scenario name (see `k230-bringup scenarios`) or an inline scenario object; default `healthy`. */
  scenario?: string
  seed?: number
  /** 1 = real time (demo); 0.01 = 100x faster (tests). */
  timeScale?: number
  /** Console baud rate; output and input are paced to baud/10 bytes per real second when lineRate is on. */
  baud?: number
  lineRate?: boolean
  /** Show the `canaan login:` prompt instead of an auto-login shell. */
  login?: boolean
  /** Power on immediately (default true). */
  autoPowerOn?: boolean
  /** Directory where /etc persists across reboots (default: in memory for the board's lifetime). */
  persistDir?: string
  /** Hardware to install instead of the scenario's EC200A model; null for a bare board (tests). */
  hardware?: HardwareModel | null
}

/** The virtual board as a console endpoint: bytes typed in, bytes printed out. */
export interface VirtualBoard {
  readonly options: Required<Pick<VirtualBoardOptions, 'scenario' | 'seed' | 'timeScale' | 'baud' | 'lineRate' | 'login'>>
  /** Host to board: bytes typed on the console. */
  write(data: Uint8Array | string): void
  /** Board to host: bytes printed on the console; returns unsubscribe. */
  onData(listener: (chunk: Uint8Array) => void): () => void
  /** Fires when the console link disappears (unplugged USB-serial bridge). */
  onUnplug(listener: () => void): () => void
  powerOn(): void
  powerOff(): void
  /** Power-cycles the board (boot log again, /tmp cleared, /etc kept). */
  reboot(): void
  /** Simulates pulling the USB-serial bridge out of the PC. */
  unplug(): void
  /** Resolves when the shell prompt has been printed after the current boot (for tests and the demo). */
  whenReady(): Promise<void>
  readonly services: BoardServices
  close(): void
}

/*
 * Changelog:
 * - v1: initial contract.
 * - v1.1 (board-core): VirtualBoardOptions.hardware (override or null for a bare board).
 * - v1.2 (board-hw): optional HardwareModel.shutdown(), for board.ts to call at power-off.
 */
