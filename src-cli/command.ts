/** Shape of one CLI sub-command; exit codes in EXIT. */
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

/** Exit codes, one per outcome: 0 pass, 1 a check failed, 2 bad usage or input, 3 error (link or device lost, station fault), 4 aborted by the operator. */
export const EXIT = { ok: 0, failed: 1, usage: 2, lost: 3, aborted: 4 } as const

/** The exit codes as the help text lists them. */
export const EXIT_CODES_HELP = `exit codes:
  0  pass: every planned step ran and passed (or the command did what was asked)
  1  fail: a check failed on the unit
  2  bad usage or bad input (arguments, profile, image, record)
  3  error: the console link or the device was lost, or a station fault
  4  aborted by the operator (Ctrl-C)
`

/** The exit code of a finished run, from its overall verdict. */
export function exitCodeOf(verdict: string): number {
  if (verdict === 'pass') return EXIT.ok
  if (verdict === 'fail') return EXIT.failed
  if (verdict === 'aborted') return EXIT.aborted
  return EXIT.lost
}

/** Thrown for bad usage; main prints the message and the command's usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
