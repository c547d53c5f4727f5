/** Shape of one CLI sub-command; exit codes: 0 ok, 1 check failed, 2 bad usage or input, 3 link/device lost. */
export interface CliCommand {
  name: string
  summary: string
  usage: string
  run(argv: string[], io: CliIo): Promise<number>
}

/** Where a command writes; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  stderr: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
  cwd: string
}

export const EXIT = { ok: 0, failed: 1, usage: 2, lost: 3 } as const

/** Thrown for bad usage; main prints the message and the command's usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
