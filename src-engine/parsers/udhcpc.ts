/** Parser of BusyBox `udhcpc` output: discover/select, the lease, DNS servers and failures. */

import { contentLines, toInt, type Parsed } from './text'

/** The lease udhcpc obtained. */
export interface UdhcpcLease {
  ip: string
  server?: string
  leaseSeconds?: number
}

/** One udhcpc run: discovers, selection, lease, DNS, outcome. */
export interface UdhcpcRun {
  version?: string
  discovers: number
  selected?: string
  lease?: UdhcpcLease
  dns: string[]
  routersDeleted: boolean
  /** `lease`: an address was obtained; `no-lease`: `no lease, failing`; `background`: gave up into the background. */
  outcome: 'lease' | 'no-lease' | 'background' | 'error' | 'unknown'
  errors: string[]
}

const IP = String.raw`(\d{1,3}(?:\.\d{1,3}){3})`

/** Parses the messages of one `udhcpc` run (and its default script's lines); never throws. */
export function parseUdhcpc(text: unknown): Parsed<UdhcpcRun> {
  const run: UdhcpcRun = {
    discovers: 0,
    dns: [],
    routersDeleted: false,
    outcome: 'unknown',
    errors: [],
  }
  const unparsed: string[] = []
  for (const raw of contentLines(text)) {
    const line = raw.trim()
    let m: RegExpExecArray | null
    if ((m = /^udhcpc: started, v(\S+)/.exec(line))) run.version = m[1]
    else if (/^udhcpc: (?:sending|broadcasting) discover/.test(line)) run.discovers++
    else if ((m = new RegExp(`^udhcpc: (?:sending|broadcasting) select for ${IP}`).exec(line)))
      run.selected = m[1]
    else if (
      (m = new RegExp(`^udhcpc: lease of ${IP} obtained(?: from ${IP})?, lease time (\\d+)`).exec(
        line,
      ))
    ) {
      run.lease = { ip: m[1], server: m[2], leaseSeconds: toInt(m[3]) }
      run.outcome = 'lease'
    } else if (/^udhcpc: no lease, failing/.test(line)) run.outcome = 'no-lease'
    else if (/^udhcpc: no lease, forking to background/.test(line)) run.outcome = 'background'
    else if ((m = new RegExp(`^adding dns ${IP}`).exec(line))) run.dns.push(m[1])
    else if (/^deleting routers/.test(line)) run.routersDeleted = true
    else if (
      /^udhcpc: (?:sending renew|entering|performing|received|sending release|unicasting)/.test(
        line,
      )
    )
      continue
    else if ((m = /^udhcpc: (.*(?:No such device|failed|error|can't|bad).*)$/i.exec(line))) {
      run.errors.push(m[1])
      if (run.outcome === 'unknown') run.outcome = 'error'
    } else unparsed.push(raw)
  }
  const warnings =
    run.lease === undefined && run.outcome === 'unknown' ? ['no lease and no failure reported'] : []
  return { value: run, unparsed, warnings }
}
