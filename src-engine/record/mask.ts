/** Hides secrets (the PPP password) in transcript text before it reaches a journal or a record. */
import { maskSecrets as maskTranscriptSecrets } from '../transcript/mask'

const MASK = '****'

/** Masks the password fields of pppd/chat/sh text and every occurrence of a distinctive secret with `****` (see transcript/mask). */
export function maskSecrets(text: string, secrets: string[]): string {
  return maskTranscriptSecrets(text, secrets, MASK)
}
