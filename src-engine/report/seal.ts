import { sha256Hex } from './canonical'

/** Placeholder the renderers write where the seal goes; the seal is the SHA-256 of the text with this placeholder in place. */
export const SEAL_PLACEHOLDER = '0'.repeat(64)

/** Replaces the single seal placeholder found by `slot` with the SHA-256 of the whole text; throws if the slot is missing. */
export function applySeal(text: string, slot: RegExp): string {
  const match = slot.exec(text)
  if (!match || match[1] !== SEAL_PLACEHOLDER) throw new Error('report seal slot missing')
  const seal = sha256Hex(text)
  const start = match.index + match[0].indexOf(SEAL_PLACEHOLDER)
  return text.slice(0, start) + seal + text.slice(start + SEAL_PLACEHOLDER.length)
}

/** Checks a sealed text: `found` is the seal in the text, `expected` the recomputed one; null when the slot is missing or duplicated. */
export function checkSeal(text: string, slot: RegExp): { found: string; expected: string } | null {
  const global = new RegExp(slot.source, slot.flags.includes('g') ? slot.flags : slot.flags + 'g')
  const matches = [...text.matchAll(global)]
  if (matches.length !== 1) return null
  const match = matches[0]
  const found = match[1]
  const start = (match.index ?? 0) + match[0].indexOf(found)
  const blanked = text.slice(0, start) + SEAL_PLACEHOLDER + text.slice(start + found.length)
  return { found, expected: sha256Hex(blanked) }
}
