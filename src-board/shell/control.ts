/** What the shell's builtins and the executor share: streams, the host, the control-flow signals and the shell surface builtins use (so builtins never import the executor). */
import type { BoardServices } from '../types'
import type { MemoryFs } from '../fs/memfs'
import type { BoardProcessTable } from '../kernel/processes'
import type { CommandTable } from './registry'
import type { ShellState } from './state'
import type { ByteStream, Sink } from './streams'

/** A command's standard streams. */
export interface Io {
  stdout: Sink
  stderr: Sink
  stdin: ByteStream
  stdinIsTty: boolean
  /** True while fd 1 is the console (ls then lays names out in columns). */
  stdoutIsTty?: boolean
  /** Switches the console between canonical and raw input while a command reads it (microcom). */
  ttyRaw?: (raw: boolean, flush: boolean) => void
}

/** What a shell needs from the board. */
export interface ShellHost {
  services: BoardServices
  fs: MemoryFs
  commands: CommandTable
  processes: BoardProcessTable
}

/** `exit N` unwinding to the shell's top. */
export class ExitShell extends Error {
  constructor(readonly status: number) {
    super('exit')
  }
}
/** `break`/`continue` unwinding to a loop. */
export class LoopControl extends Error {
  constructor(
    readonly kind: 'break' | 'continue',
    public levels: number,
  ) {
    super(kind)
  }
}
/** `return` unwinding out of a function or sourced file. */
export class ReturnControl extends Error {
  constructor(readonly status: number) {
    super('return')
  }
}
/** The foreground job was interrupted (Ctrl-C) or killed. */
export class Interrupted extends Error {
  constructor(readonly status: number) {
    super('interrupted')
  }
}

/** The part of the shell the builtins call (the executor's Shell implements it). */
export interface BuiltinShell {
  readonly state: ShellState
  readonly host: ShellHost
  runSource(src: string, io: Io, signal: AbortSignal): Promise<number>
  waitJobs(signal: AbortSignal): Promise<number>
  jobLines(onlyFinished: boolean): string[]
  lookup(name: string): string | undefined
  execute(argv: string[], assigns: [string, string][], io: Io, signal: AbortSignal): Promise<number>
  findInPath(name: string): string | null
}
