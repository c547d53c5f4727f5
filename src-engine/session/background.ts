/** Detection of `&` background jobs in a command line. */

/**
 * True when `command` starts a background job with a lone `&` outside quotes.
 * With `stty -echo` BusyBox ash reads with fgets(), and a background job ending interrupts that read and
 * makes the shell exit (seen on BusyBox 1.35); the session runs such commands in a subshell instead.
 */
export function startsBackgroundJob(command: string): boolean {
  let quote: '"' | "'" | null = null
  for (let i = 0; i < command.length; i++) {
    const c = command[i]
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = null
      continue
    }
    if (c === '\\') {
      i++
      continue
    }
    if (c === "'" || c === '"') {
      quote = c
      continue
    }
    if (c === '#' && (i === 0 || /\s/.test(command[i - 1]))) {
      const nl = command.indexOf('\n', i)
      if (nl === -1) break
      i = nl
      continue
    }
    if (c !== '&') continue
    const prev = command[i - 1]
    const next = command[i + 1]
    if (next === '&') {
      i++
      continue
    }
    if (prev === '>' || prev === '<' || next === '>') continue
    return true
  }
  return false
}
