import type { CliCommand } from '../command'
import { scenariosCommand } from './scenarios'
import { runCommand } from './run'
import { portsCommand } from './ports'
import { atCommand } from './at'
import { reportCommand } from './report'
import { verifyCommand } from './verify'
import { historyCommand } from './history'
import { devicesCommand } from './devices'
import { flashCommand } from './flash'
import { sdkOverlayCommand } from './sdk-overlay'
import { keysCommand } from './keys'
import { syncCommand } from './sync'
import { dashboardCommand } from './dashboard'
import { lineServerCommand } from './line-server'

/** Every sub-command of `k230-bringup`; each command lives in its own file. */
export const COMMANDS: CliCommand[] = [runCommand, portsCommand, atCommand, scenariosCommand, reportCommand, verifyCommand, keysCommand, historyCommand, devicesCommand, flashCommand, sdkOverlayCommand, syncCommand, lineServerCommand, dashboardCommand]
