/** Finds the serial port at a USB location (`1-1.3`, `Port_#0003.Hub_#0001`): the OS listing's location where it reports one, else Linux sysfs. */
import { readdirSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { listPorts, type PortInfo } from '@engine/link/index'

/** Device paths of the ttys whose USB interface sits at `location` under `sysRoot` (Linux: `/sys/class/tty/<tty>` resolves through `.../<location>/<location>:<config>.<interface>/...`); [] where there is no such tree. */
export function sysfsTtysAt(location: string, sysRoot = '/sys'): string[] {
  const dir = join(sysRoot, 'class', 'tty')
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const found: string[] = []
  for (const name of names.sort()) {
    let real: string
    try {
      real = realpathSync(join(dir, name))
    } catch {
      continue
    }
    const parts = real.split('/')
    const at = parts.indexOf(location)
    if (at >= 0 && parts[at + 1]?.startsWith(`${location}:`)) found.push(`/dev/${name}`)
  }
  return found
}

/** The one port at `location`, or the ports found there when that is not exactly one. */
export async function portAtUsbLocation(location: string, options: { list?: () => Promise<PortInfo[]>; sysRoot?: string } = {}): Promise<{ path: string } | { candidates: string[] }> {
  const listed = (await (options.list ?? listPorts)()).filter((p) => p.location === location).map((p) => p.path)
  const candidates = listed.length ? listed : sysfsTtysAt(location, options.sysRoot)
  return candidates.length === 1 ? { path: candidates[0] } : { candidates }
}
