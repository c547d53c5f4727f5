/** Adapts the engine's AtChannel (src-engine/at) to the checklist's AtSender: quick idle first, patient retry. */
import { AtError, describeFinal, type AtChannel, type AtResponse, type BoardAtSendOptions } from '../at/index'
import { parseAtOutput } from './at-shell'
import type { AtReply, AtSender } from './types'

const QUICK_IDLE_MS = 60

const idleOptions = (idleMs: number): BoardAtSendOptions => ({ idleMs })

function toReply(command: string, response: AtResponse): AtReply {
  const final = response.final ? describeFinal(response.final).replace(/ \(.*\)$/, '') : 'none'
  const raw = [...response.lines, final].join('\n')
  return { command, lines: response.lines, final, ok: response.final?.kind === 'ok', noDevice: false, raw }
}

/** AT replies through `channel`; a missing port or a silent modem become replies, link loss and session faults are thrown; an answer without echo (after chat's ATE0) is still read. */
export function atSenderFromChannel(channel: AtChannel): AtSender {
  return async (command, options = {}) => {
    const idles = options.timeoutMs !== undefined ? [options.timeoutMs] : [QUICK_IDLE_MS, 1_000]
    let last: AtReply | undefined
    for (const idleMs of idles) {
      try {
        return toReply(command, await channel.send(command, idleOptions(idleMs)))
      } catch (error) {
        if (!(error instanceof AtError)) throw error
        if (error.code === 'port-missing' || error.code === 'port-busy' || error.code === 'no-microcom') {
          return { command, lines: [], final: 'none', ok: false, noDevice: true, raw: error.message }
        }
        if (error.code !== 'timeout' || error.response === undefined && error.message.includes('session')) throw error
        const stray = error.response?.noise ?? []
        const salvaged = parseAtOutput(command, stray.join('\n'))
        if (salvaged.final !== 'none') return { command, ...salvaged, noDevice: false, raw: stray.join('\n') }
        last = error.response ? { ...toReply(command, error.response), final: 'none', ok: false } : { command, lines: [], final: 'none', ok: false, noDevice: false, raw: error.message }
      }
    }
    return last as AtReply
  }
}
