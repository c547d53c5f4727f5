import type { BoardState, CommandContext } from '../../types'
import type { MemoryFs } from '../../fs/memfs'
import type { KernelLog } from '../../kernel/klog'
import type { BoardProcessTable } from '../../kernel/processes'
import type { Shell } from '../../shell/executor'
import { resolvePath } from '../../fs/paths'

/** Terminal settings the console exposes to `stty`. */
export interface TtyControl {
  echo: boolean
  /** 0 means unknown (lineedit then assumes 80). */
  cols: number
  rows: number
  readonly baud: number
}

/** What the core applets need from the board beyond CommandContext. */
export interface CoreDeps {
  fs: MemoryFs
  kernel: KernelLog
  tty: TtyControl
  processes: BoardProcessTable
  state: BoardState
  /** Wall-clock seconds since the epoch on the board. */
  wallClock(): number
  /** Reboots the board (after the shutdown messages). */
  reboot(): void
  /** Powers the board off (after the shutdown messages). */
  powerOff(): void
  /** Resolves when everything printed so far has left the console line. */
  outputDrained(): Promise<void>
}

/** The context the board's shell hands to applets (CommandContext plus what it knows). */
export type CoreContext = CommandContext & { shell?: Shell; stdoutIsTty?: boolean }

/** Resolves a path argument against the command's cwd. */
export function abs(ctx: CommandContext, path: string): string {
  return resolvePath(ctx.cwd, path)
}

/** Splits leading single-letter options (`-la`, `-n 5`) from operands; `valued` lists options that take a value. */
export function parseOptions(args: string[], valued = ''): { flags: Set<string>; values: Map<string, string>; operands: string[] } {
  const flags = new Set<string>()
  const values = new Map<string, string>()
  let i = 0
  for (; i < args.length; i++) {
    const a = args[i]
    if (a === '--') {
      i++
      break
    }
    if (!a.startsWith('-') || a === '-') break
    for (let j = 1; j < a.length; j++) {
      const c = a[j]
      if (valued.includes(c)) {
        values.set(c, j + 1 < a.length ? a.slice(j + 1) : (args[++i] ?? ''))
        break
      }
      flags.add(c)
    }
  }
  return { flags, values, operands: args.slice(i) }
}

const decoder = new TextDecoder()

/** Decodes bytes as UTF-8 text. */
export function text(bytes: Uint8Array): string {
  return decoder.decode(bytes)
}
