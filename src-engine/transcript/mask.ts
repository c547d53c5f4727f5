/** Secret masking for transcript exports. */

/** Replacement shown in place of a secret. */
export const MASK = '********'

/** Replaces every occurrence of each secret in `text`; longest secrets first so overlaps mask fully. */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const list = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)
  let out = text
  for (const secret of list) out = out.split(secret).join(MASK)
  return out
}
