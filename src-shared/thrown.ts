/** How anything thrown is said to a person: the catalogue message it names (an engine error's key or `keyed`, an OS error's `osError.<code>`). Pure. */
import { osErrorMessage } from './os-error'

/** A catalogue key and its parameters. */
export interface ThrownMessage {
  key: string
  params: Record<string, string | number>
}

/** Pure: the catalogue message a thrown error names (`keyed`, or `key` with `params`), else its OS error's (about `about` when it names no file), else null. */
export function thrownMessage(error: unknown, about?: string): ThrownMessage | null {
  const e = error as { key?: unknown; params?: unknown; keyed?: { key?: unknown; params?: unknown } } | null
  const source = e && typeof e === 'object' && typeof e.keyed === 'object' && e.keyed ? e.keyed : e
  if (source && typeof source === 'object' && typeof source.key === 'string' && source.key) return { key: source.key, params: (source.params ?? {}) as Record<string, string | number> }
  return osErrorMessage(error, about)
}

/** Pure: the English a thrown value carries (its message), for logs and as the fallback of its catalogue message. */
export function thrownEnglish(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Pure: a thrown error as parameters of a message that wraps it: `detail` (its English) and, when it has a catalogue message, `detailKey` with that message's parameters. */
export function thrownDetail(error: unknown, about?: string): Record<string, string | number> {
  const detail = thrownEnglish(error)
  const keyed = thrownMessage(error, about)
  return keyed ? { ...keyed.params, detailKey: keyed.key, detail } : { detail }
}
