/** Maps what a step threw to a verdict: the operator's abort, the station's or line's error. */
import type { Remediation, Verdict } from '@shared/record'
import { LinkLostError } from '../link/link'
import { SessionError } from '../session/types'
import { AbortRunError } from './context'
import { remedy, type RemediationCode } from './remediation'
import { UndeclaredError } from './declare'
import type { Coded } from '@shared/i18n/render'

/** How a thrown error ends an attempt. */
export interface ThrownOutcome {
  verdict: Extract<Verdict, 'error' | 'aborted'>
  code: string
  message: string
  remediation?: Remediation
  linkLost: boolean
  /** The attempt's coded reason when the error names its own (an undeclared measurement or code). */
  reason?: Coded
}

const SESSION_CODES: Record<string, RemediationCode> = {
  timeout: 'console-timeout',
  'link-lost': 'link-lost',
  'board-rebooted': 'board-rebooted',
  'kernel-panic': 'kernel-panic',
  'no-prompt': 'console-unreachable',
  'login-failed': 'console-unreachable',
}

/** Classifies an error thrown by a step; never throws. */
export function classifyThrown(error: unknown, signal: AbortSignal): ThrownOutcome {
  const cause = (error as { cause?: unknown })?.cause
  if (!(error instanceof SessionError) && !(error instanceof LinkLostError) && (cause instanceof SessionError || cause instanceof LinkLostError)) return classifyThrown(cause, signal)
  if (error instanceof AbortRunError || (signal.aborted && !(error instanceof LinkLostError))) {
    return { verdict: 'aborted', code: 'aborted', message: error instanceof Error ? error.message : 'aborted by the operator', linkLost: false }
  }
  if (error instanceof UndeclaredError) return { verdict: 'error', code: error.code, message: error.message, remediation: remedy('station-error'), linkLost: false, reason: error.coded }
  if (error instanceof LinkLostError) return { verdict: 'error', code: 'link-lost', message: error.message, remediation: remedy('link-lost'), linkLost: true }
  const code = (error as { code?: unknown })?.code
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof SessionError || typeof code === 'string') {
    const key = String(code)
    const noisy = /garbl|noise|corrupt|checksum|mismatch/i.test(message)
    const remediationCode = noisy ? 'line-noise' : (SESSION_CODES[key] ?? 'station-error')
    return { verdict: 'error', code: key, message, remediation: remedy(remediationCode), linkLost: key === 'link-lost' }
  }
  return { verdict: 'error', code: 'internal', message, remediation: remedy('station-error'), linkLost: false }
}
