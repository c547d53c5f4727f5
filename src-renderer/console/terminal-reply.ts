/** True for the answers xterm sends by itself (cursor position, device attributes, status), not keys a person typed. */
export function isTerminalReply(data: string): boolean {
  return /^\x1b\[[?>]?[\d;]*[Rcn]$/.test(data)
}
