/** Builds the checklist's view of a board from an open console (the same wiring for the CLI, the app and benches). */
import type { Console } from '../console'
import { createBoardAtChannel } from '../at/index'
import type { Profile } from '../profile/schema'
import { atSenderFromChannel } from './at-channel'
import type { ChecklistBoard } from './types'

/** Session, AT over microcom on the profile's device, the console's transcript; `timeScale` 1 for hardware. */
export function checklistBoardFor(console: Console, profile: Profile, timeScale = 1): ChecklistBoard {
  return {
    session: console.session,
    at: atSenderFromChannel(createBoardAtChannel(console.session, { device: profile.device, baud: profile.modemBaud }), timeScale),
    timeScale,
    port: console.link.name,
    transcript: () => console.transcript.entries(),
  }
}
