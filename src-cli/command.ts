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

/** Exit codes, one per outcome: 0 pass, 1 a check failed (verify: altered), 2 bad usage or input, 3 error (link or device lost, station fault), 4 aborted by the operator, 5 the output folder cannot be written (full, read-only, no permission), 6 a record not signed by a trusted station. */
export const EXIT = { ok: 0, failed: 1, usage: 2, lost: 3, aborted: 4, output: 5, untrusted: 6 } as const

/** The exit codes as the help text lists them. */
export const EXIT_CODES_HELP = `exit codes:
  0  pass: every planned step ran and passed (or the command did what was asked)
  1  fail: a check failed on the unit
  2  bad usage or bad input (arguments, profile, image, record)
  3  error: the console link or the device was lost, or a station fault
  4  aborted by the operator (Ctrl-C)
  5  the output folder cannot be written (disk full, read-only, no permission)
  6  verify/report: the record is not signed, or signed by a station whose key is not trusted here
`

/** One line for a write that failed because of the output folder (disk full, read-only, no permission), or undefined for any other error. */
export function outputFolderProblem(error: unknown, folder: string): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code
  const what: Record<string, string> = {
    ENOSPC: 'is full (no space left on the device): free space there or give another --out',
    EDQUOT: 'is over its disk quota: free space there or give another --out',
    EROFS: 'is on a read-only file system: give a writable --out',
    EACCES: 'cannot be written (permission denied): give a folder you can write, or fix its permissions',
    EPERM: 'cannot be written (operation not permitted): give a folder you can write',
  }
  return code && what[code] ? `the output folder ${folder} ${what[code]} [${code}]` : undefined
}

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
