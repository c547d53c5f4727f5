/** Parser of `ls /sys/bus/usb/drivers`: driver names from multi-column (or one-per-line) listings. */

import { contentLines, type Parsed } from './text'

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:+-]*$/

/** Parses the listing into sorted, distinct driver names; tokens that cannot be driver names go to `unparsed`. */
export function parseUsbDrivers(text: unknown): Parsed<string[]> {
  const names = new Set<string>()
  const unparsed: string[] = []
  const warnings: string[] = []
  for (const line of contentLines(text)) {
    const tokens = line.trim().split(/\s+/)
    const bad = tokens.filter((t) => !NAME.test(t))
    if (bad.length) {
      unparsed.push(line)
      continue
    }
    for (const token of tokens) names.add(token)
    for (const pair of line.matchAll(/(?<=^|\s)(\S+) (\S+)(?=\s|$)/g))
      warnings.push(`"${pair[0]}" is one space apart (not ls columns); read as 2 names`)
  }
  return { value: [...names].sort(), unparsed, warnings }
}

/** The drivers the reference procedure needs for each mode, by name in /sys/bus/usb/drivers. */
export const MODE_DRIVERS = {
  serial: ['option'],
  ecm: ['cdc_ether'],
  rndis: ['rndis_host'],
  ncm: ['cdc_ncm'],
} as const

/** Lists which of the named drivers are missing from a parsed listing. */
export function missingDrivers(present: string[], required: readonly string[]): string[] {
  const have = new Set(present)
  return required.filter((name) => !have.has(name))
}
