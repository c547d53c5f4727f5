/** Adapts the engine's AtChannel (src-engine/at) to the checklist's AtSender: quick idle first, patient retry. */
import { AtError, describeFinal, parseAtOutput, type AtChannel, type AtResponse, type BoardAtSendOptions } from '../at/index'
import { LinkLostError } from '../link/link'
import { SessionError } from '../session/types'
import type { AtReply, AtSender } from './types'

const QUICK_IDLE_MS = 60
const PATIENT_IDLE_MS = 1_000
/** Real ms the console needs to carry a short answer, whatever the board's time scale. */
const REAL_FLOOR_MS = { quick: 20, patient: 200 }

const idleOptions = (idleMs: number): BoardAtSendOptions => ({ idleMs })

function toReply(command: string, response: AtResponse): AtReply {
  const final = response.final ? describeFinal(response.final).replace(/ \(.*\)$/, '') : 'none'
  const raw = [...response.lines, final].join('\n')
  return { command, lines: response.lines, final, ok: response.final?.kind === 'ok', noDevice: false, raw, response }
}

/** AT replies through `channel`; a missing port or a silent modem become replies, link loss and session faults are thrown; an answer without echo (after chat's ATE0) is still read. Idle windows never drop below what the console line needs in real time at `timeScale`. */
export function atSenderFromChannel(channel: AtChannel, timeScale = 1): AtSender {
  const floor = (boardMs: number, realMs: number) => Math.max(boardMs, Math.ceil(realMs / timeScale))
  return async (command, options = {}) => {
    const idles = options.timeoutMs !== undefined ? [floor(options.timeoutMs, REAL_FLOOR_MS.quick)] : [floor(QUICK_IDLE_MS, REAL_FLOOR_MS.quick), floor(PATIENT_IDLE_MS, REAL_FLOOR_MS.patient)]
    let last: AtReply | undefined
    for (const idleMs of idles) {
      try {
        return toReply(command, await channel.send(command, idleOptions(idleMs)))
      } catch (error) {
        if (!(error instanceof AtError)) throw error
        if (error.cause instanceof SessionError || error.cause instanceof LinkLostError) throw error.cause
        if (error.code === 'port-missing' || error.code === 'port-busy' || error.code === 'no-microcom') {
          return { command, lines: [], final: 'none', ok: false, noDevice: true, raw: error.message }
        }
        if (error.code !== 'timeout') throw error
        const stray = (error.response?.noise ?? []).join('\n')
        const salvaged = parseAtOutput(command, stray).response
        if (salvaged.final) return { ...toReply(command, salvaged), raw: stray }
        last = error.response ? { ...toReply(command, error.response), final: 'none', ok: false } : { command, lines: [], final: 'none', ok: false, noDevice: false, raw: error.message }
      }
    }
    return last as AtReply
  }
}
