import type { CliCommand } from '../command'
import { scenariosCommand } from './scenarios'

/** Every sub-command of `k230-bringup`; each command lives in its own file. */
export const COMMANDS: CliCommand[] = [scenariosCommand]
