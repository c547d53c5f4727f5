/** Builds the checklist's view of a board from an open console (the same wiring for the CLI, the app and benches). */
import type { Console } from '../console'
import { ShellStrategy } from '../session/strategy'
import type { ChecklistBoard } from './types'

/** Session, its shell strategy (attach and reboot recovery), the console's transcript and port; AT goes over microcom on the profile's device (the runner's default); `timeScale` 1 for hardware. */
export function checklistBoardFor(console: Console, timeScale = 1): ChecklistBoard {
  return {
    session: console.session,
    strategy: new ShellStrategy(console.session, { timeScale }),
    timeScale,
    port: console.link.name,
    baud: console.link.baudRate,
    simulated: console.board !== undefined || console.link.name.startsWith('virtual:'),
    transcript: () => console.transcript.entries(),
  }
}
