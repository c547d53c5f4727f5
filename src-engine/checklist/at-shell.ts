/** AT commands through the board's shell: `echo -e 'AT...\r' | microcom` on the modem's port, as a technician would. */
import type { RunResult } from '../session/types'
import type { AtReply } from './types'

const FINAL = /^(OK|ERROR|NO CARRIER|NO DIALTONE|BUSY|NO ANSWER|CONNECT(?: .*)?|\+CM[ES] ERROR:.*)$/

/** Splits microcom output into the answer lines and the final result code; drops the echoed command. */
export function parseAtOutput(command: string, output: string): Omit<AtReply, 'command' | 'raw' | 'noDevice'> {
  const lines: string[] = []
  let final = 'none'
  for (const raw of output.split(/\r\n|\r|\n/)) {
    const line = raw.trim()
    if (!line || line === command || line.toUpperCase() === command.toUpperCase()) continue
    if (FINAL.test(line)) {
      final = line
      continue
    }
    lines.push(line)
  }
  return { lines, final, ok: final === 'OK' }
}

/** Shell command line that sends `command` to `device` and prints the answer; trusts `command` to hold no `'`. */
export function atShellCommand(command: string, device: string, idleMs: number): string {
  if (/['\r\n]/.test(command)) throw new Error(`AT command ${JSON.stringify(command)} cannot be sent through the shell`)
  return `echo -e '${command}\\r' | microcom -t ${Math.max(50, Math.round(idleMs))} -s 115200 ${device}`
}

/** Builds an AtReply from a shell run of `atShellCommand`. */
export function atReplyFromRun(command: string, result: RunResult): AtReply {
  const noDevice = /can't open|No such file or directory|No such device/i.test(result.output) && !/\bOK\b/.test(result.output)
  return { command, raw: result.output, noDevice, ...parseAtOutput(command, result.output) }
}
