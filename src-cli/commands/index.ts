import type { CliCommand } from '../command'
import { scenariosCommand } from './scenarios'
import { reportCommand } from './report'
import { verifyCommand } from './verify'
import { historyCommand } from './history'

/** Every sub-command of `k230-bringup`; each command lives in its own file. */
export const COMMANDS: CliCommand[] = [scenariosCommand, reportCommand, verifyCommand, historyCommand]
