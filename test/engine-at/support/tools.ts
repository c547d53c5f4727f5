import { spawnSync } from 'node:child_process'

/** True when every named program is on PATH. */
export function haveTools(...names: string[]): boolean {
  return names.every((name) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0)
}

/** Reason text for `describe.skipIf` when a Debian tool is missing. */
export function missingToolsReason(...names: string[]): string {
  return `needs ${names.join(' and ')} (Debian packages; CI installs them)`
}
