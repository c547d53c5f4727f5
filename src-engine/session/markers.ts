/** Unique per-call markers whose sent form never equals their printed form. */
import { randomInt } from 'node:crypto'

const LETTERS = 'ABCEFGHJKLMNOPQSTUVWXYZ'

/** Ten random capitals without R, I or D, so a marker never spells ERROR, FAIL, INFO or DEBUG. */
export function randomMarker(length = 10): string {
  let s = ''
  for (let i = 0; i < length; i++) s += LETTERS[randomInt(LETTERS.length)]
  return s
}

/** Shell text that prints `marker` but does not contain it: `ABCDE''FGHIJ`. */
export function splitQuoted(marker: string): string {
  const cut = Math.max(1, Math.floor(marker.length / 2))
  return `${marker.slice(0, cut)}''${marker.slice(cut)}`
}

/** Probe text for resynchronising: backslash escapes survive dropped characters better than quotes (`AB\CD\EF`). */
export function backslashed(marker: string): string {
  return marker.replace(/(..)(?=.)/g, '$1\\')
}

/** Escapes a string for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
