import { hasKey, translator, type Translate } from '@shared/i18n/translate'
import { keyedText } from '@shared/i18n/render'
import { thrownEnglish, thrownMessage } from '@shared/thrown'

const english = translator('en')

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

/** The exit codes as the help text lists them, in the language of `t`. */
export function exitCodesHelp(t: Translate): string {
  const codes = ['0', '1', '2', '3', '4', '5', '6'].map((n) => `  ${n}  ${t(`cli.exit.${n}`)}`)
  return `${t('cli.exit.head')}\n${codes.join('\n')}\n${t('cli.exit.slots')}\n`
}

const FOLDER_CODES = ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM']

/** One line for a write that failed because of the output folder (disk full, read-only, no permission), in the language of `t`, or undefined for any other error. */
export function outputFolderProblem(error: unknown, folder: string, t: Translate): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code
  return code && FOLDER_CODES.includes(code) ? t(`cli.outputFolder.${code}`, { folder, code }) : undefined
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

/** Thrown for bad usage; main prints it in the CLI's language with the command's usage and exits 2. `text` is a catalogue key (with `params`) or, from older callers, a finished English sentence; `message` is always the English. */
export class UsageError extends Error {
  override name = 'UsageError'
  constructor(
    readonly text: string,
    /** Parameters of `text`; a function is a parameter said in the reader's language (called with the translator). */
    readonly params: Record<string, unknown> = {},
  ) {
    super(hasKey(text) ? english(text, paramsIn(params, english)) : text)
  }

  /** The message in the language of `t`. */
  render(t: Translate): string {
    return hasKey(this.text) ? t(this.text, paramsIn(this.params, t)) : this.text
  }
}

function paramsIn(params: Record<string, unknown>, t: Translate): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === 'function' ? (value as (t: Translate) => string)(t) : value]))
}

/** Anything thrown, in the language of `t`: the catalogue message it names (an engine error's or an OS error's, about `about` when it names no file or address), else its own text. */
export function thrownText(error: unknown, t: Translate, about?: string): string {
  const keyed = thrownMessage(error, about)
  return keyed ? keyedText(t, keyed, thrownEnglish(error)) : thrownEnglish(error)
}
