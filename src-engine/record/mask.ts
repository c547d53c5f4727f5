/** Hides secrets (the PPP password) in transcript text before it reaches a journal or a record. */

const MASK = '****'

/** Replaces every occurrence of each secret, and the password fields of pppd/chat/sh text, with `****`. */
export function maskSecrets(text: string, secrets: string[]): string {
  let out = text
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join(MASK)
  return out
    .replace(/((?<![-\w])password[ \t]+)("(?:[^"\\]|\\.)*"|'[^']*'|\S+)/gi, (_m, head: string) => `${head}${MASK}`)
    .replace(/(QL_PASSWORD=)('(?:[^']|'\\'')*'|\S+)/g, (_m, head: string) => `${head}${MASK}`)
}
