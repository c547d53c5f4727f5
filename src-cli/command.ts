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
  run with several slots exits with the worst slot's code, worst first: 5, 3, 4, 1, 0
  (records at risk, then a station fault, then aborted, then a failed unit, then pass)
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

/** Exit codes of the slots of one station run, worst first: records at risk (5), station fault (3), aborted (4), a failed unit (1), pass (0); usage (2) and untrusted (6) come before them, since no slot ran. */
export const EXIT_SEVERITY: readonly number[] = [EXIT.untrusted, EXIT.usage, EXIT.output, EXIT.lost, EXIT.aborted, EXIT.failed, EXIT.ok]

/** The worst of several slots' exit codes by EXIT_SEVERITY (an unknown code counts as worst); 0 for none. */
export function worstExitCode(codes: readonly number[]): number {
  const rank = (code: number) => {
    const i = EXIT_SEVERITY.indexOf(code)
    return i < 0 ? -1 : i
  }
  return codes.reduce((worst, code) => (rank(code) < rank(worst) ? code : worst), EXIT.ok as number)
}

/** Thrown for bad usage; main prints the message and the command's usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
