import { KilledBySignal } from '../../kernel/processes'

/** The signal number that aborted `signal` (SIGINT for Ctrl-C when the reason says nothing more). */
export function signalNumber(signal: AbortSignal): number {
  const reason: unknown = signal.reason
  if (reason instanceof KilledBySignal) return reason.signalNumber
  if (typeof reason === 'number') return reason
  if (
    reason &&
    typeof reason === 'object' &&
    'signalNumber' in reason &&
    typeof reason.signalNumber === 'number'
  )
    return reason.signalNumber
  return 2
}

/** Shell exit status of a command killed through `signal` (128 + signal number). */
export function signalStatus(signal: AbortSignal): number {
  return 128 + signalNumber(signal)
}
