import { createVirtualBoard } from './board'
import { createPty, PtyUnavailableError } from './pty'
import { ScenarioError } from './scenarios/index'

/** Parsed `npm run sim` options. */
export interface SimOptions {
  scenario: string
  seed: number
  timeScale: number
  baud: number
  login: boolean
  lineRate: boolean
  persistDir?: string
}

const USAGE = 'usage: npm run sim -- [--scenario NAME] [--seed N] [--time-scale X] [--baud B] [--login] [--no-line-rate] [--persist DIR]'

/** Parses sim arguments; throws an Error naming the bad option. */
export function parseSimArgs(argv: string[]): SimOptions {
  const opts: SimOptions = { scenario: 'healthy', seed: 1, timeScale: 1, baud: 115200, login: false, lineRate: true }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${arg} needs a value`)
      return v
    }
    const number = (v: string, integer: boolean): number => {
      const n = Number(v)
      if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n <= 0) throw new Error(`${arg} expects a positive ${integer ? 'integer' : 'number'}, got '${v}'`)
      return n
    }
    if (arg === '--scenario') opts.scenario = value()
    else if (arg === '--seed') opts.seed = number(value(), true)
    else if (arg === '--time-scale') opts.timeScale = number(value(), false)
    else if (arg === '--baud') opts.baud = number(value(), true)
    else if (arg === '--login') opts.login = true
    else if (arg === '--no-line-rate') opts.lineRate = false
    else if (arg === '--persist') opts.persistDir = value()
    else throw new Error(`unknown option '${arg}'`)
  }
  return opts
}

async function main(): Promise<number> {
  let opts: SimOptions
  try {
    opts = parseSimArgs(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`sim: ${(error as Error).message}\n${USAGE}\n`)
    return 2
  }
  let board
  try {
    board = createVirtualBoard({ ...opts })
  } catch (error) {
    if (error instanceof ScenarioError) {
      process.stderr.write(`sim: ${error.message}\n`)
      return 2
    }
    throw error
  }
  let pty
  try {
    pty = await createPty(board)
  } catch (error) {
    board.close()
    process.stderr.write(`sim: ${error instanceof PtyUnavailableError ? error.message : String(error)}\n`)
    return 1
  }
  process.stdout.write(`${pty.path}\n`)
  process.stderr.write(`virtual K230 (${opts.scenario}, seed ${opts.seed}, ${opts.baud} baud, time-scale ${opts.timeScale}) on ${pty.path}; stop with Ctrl-C\n`)
  board.onUnplug(() => process.stderr.write('sim: the console was unplugged (scenario fault); the PTY is gone\n'))
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await pty.close()
  board.close()
  return 0
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`sim: ${error instanceof Error ? error.stack : String(error)}\n`)
    process.exit(1)
  },
)
