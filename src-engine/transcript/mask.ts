/** Secret masking for transcripts: where the app's own files and tools print the secret, and any distinctive secret anywhere. */

/** Replacement shown in place of a secret. */
export const MASK = '********'

const SCRIPT_ECHO = /(password {2})(.*?)( {3}# \((?:default|from command line)\))/g
const PPPD_OPTION = /((?<![-\w])password[ \t]+)("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s*]\S*)/gi
const SHELL_ASSIGNMENT = /(QL_PASSWORD=)('(?:[^'\n]|'\\'')*'|"(?:[^"\\\n]|\\.)*"|[^\s*]\S*)/g
const PAP_REQUEST = /((?<![-\w])password=)("(?:[^"\\\n]|\\.)*")/g

/** True for a secret unlikely to occur by chance: 6 or more characters from at least two of letters, digits and other characters. */
export function isDistinctive(secret: string): boolean {
  if (secret.length < 6) return false
  const classes = [/[A-Za-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((c) => c.test(secret)).length
  return classes >= 2
}

/** Masks the value wherever pppd options, the PPP script's `QL_PASSWORD=` and its echo, or a PAP request print a password, and every occurrence of each distinctive secret; a short or common secret is never replaced everywhere. */
export function maskSecrets(text: string, secrets: Iterable<string>, mask: string = MASK): string {
  let out = text
  const distinctive = [...new Set(secrets)].filter(isDistinctive).sort((a, b) => b.length - a.length)
  for (const secret of distinctive) if (out.includes(secret)) out = out.split(secret).join(mask)
  if (!/password/i.test(out)) return out
  return out
    .replace(SCRIPT_ECHO, (_m, head: string, _value: string, tail: string) => `${head}${mask}${tail}`)
    .replace(PPPD_OPTION, (_m, head: string) => `${head}${mask}`)
    .replace(SHELL_ASSIGNMENT, (_m, head: string) => `${head}${mask}`)
    .replace(PAP_REQUEST, (_m, head: string) => `${head}${mask}`)
}
