/** Parser of kernel config text (`zcat /proc/config.gz`, `.config`) and the reference procedure's option check. */

import { contentLines, type Parsed } from './text'

/** One option's setting: `y`, `m`, `n` (`# ... is not set`), or a string/number value. */
export type KernelOptionValue =
  { kind: 'y' | 'm' | 'n' } | { kind: 'string'; value: string } | { kind: 'number'; value: string }

/** Parses config lines into a map from option name to value; other non-comment lines go to `unparsed`. */
export function parseKernelConfig(text: unknown): Parsed<Map<string, KernelOptionValue>> {
  const options = new Map<string, KernelOptionValue>()
  const unparsed: string[] = []
  const warnings: string[] = []
  for (const raw of contentLines(text)) {
    const line = raw.trim()
    let m: RegExpExecArray | null
    let value: KernelOptionValue | undefined
    let name: string | undefined
    if ((m = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/.exec(line))) {
      name = m[1]
      value = { kind: 'n' }
    } else if ((m = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line))) {
      name = m[1]
      const v = m[2]
      if (v === 'y' || v === 'm' || v === 'n') value = { kind: v }
      else if (/^"(?:[^"\\]|\\.)*"$/.test(v))
        value = { kind: 'string', value: v.slice(1, -1).replace(/\\(.)/g, '$1') }
      else if (/^-?(?:\d+|0x[0-9a-fA-F]+)$/.test(v)) value = { kind: 'number', value: v }
    } else if (line.startsWith('#')) continue
    if (!name || !value) {
      unparsed.push(raw)
      continue
    }
    if (options.has(name)) warnings.push(`${name} set twice; the last setting wins`)
    options.set(name, value)
  }
  return { value: options, unparsed, warnings }
}

/** One required option: the settings that satisfy it. */
export interface RequiredOption {
  name: string
  accept: readonly ('y' | 'm')[]
}

/** A group of required options and the modes that need it. */
export interface RequiredOptionGroup {
  id: 'usb-serial' | 'ppp' | 'usb-net'
  title: string
  /** Mandatory for every mode; otherwise needed only for the modes listed. */
  mandatory: boolean
  modes: readonly ('ppp' | 'ecm' | 'rndis' | 'ncm')[]
  options: readonly RequiredOption[]
}

const YM = ['y', 'm'] as const
const Y = ['y'] as const

/** The kernel options of the reference procedure (sections 2.1.1 and 2.2): `=y` where it says so, else y or m. */
export const REQUIRED_KERNEL_OPTIONS: readonly RequiredOptionGroup[] = [
  {
    id: 'usb-serial',
    title: 'USB serial option driver (2.1.1, mandatory)',
    mandatory: true,
    modes: ['ppp', 'ecm', 'rndis', 'ncm'],
    options: [
      { name: 'CONFIG_USB_SERIAL', accept: YM },
      { name: 'CONFIG_USB_SERIAL_OPTION', accept: YM },
    ],
  },
  {
    id: 'ppp',
    title: 'PPP (2.1.1, mandatory)',
    mandatory: true,
    modes: ['ppp', 'ecm', 'rndis', 'ncm'],
    options: [
      'PPP',
      'PPP_BSDCOMP',
      'PPP_DEFLATE',
      'PPP_FILTER',
      'PPP_MPPE',
      'PPP_MULTILINK',
      'PPPOE',
      'PPP_ASYNC',
      'PPP_SYNC_TTY',
    ].map((n) => ({ name: `CONFIG_${n}`, accept: Y })),
  },
  {
    id: 'usb-net',
    title: 'RNDIS/ECM/NCM drivers (2.2)',
    mandatory: false,
    modes: ['ecm', 'rndis', 'ncm'],
    options: [
      'USB_NET_DRIVERS',
      'USB_USBNET',
      'USB_NET_RNDIS_HOST',
      'USB_NET_CDCETHER',
      'USB_NET_CDC_NCM',
    ].map((n) => ({ name: `CONFIG_${n}`, accept: YM })),
  },
]

/** One required option checked against the config. */
export interface OptionCheck {
  name: string
  accept: readonly ('y' | 'm')[]
  /** `y`, `m`, `n`, the raw value, or `absent` when the option does not appear at all. */
  actual: string
  ok: boolean
}

/** One group checked; `ok` when every option in it is. */
export interface GroupCheck {
  id: RequiredOptionGroup['id']
  title: string
  mandatory: boolean
  ok: boolean
  options: OptionCheck[]
}

/** Checks a parsed config against the required groups; `ok` is true when every mandatory group passes. */
export function checkKernelConfig(
  options: Map<string, KernelOptionValue>,
  groups: readonly RequiredOptionGroup[] = REQUIRED_KERNEL_OPTIONS,
): { ok: boolean; groups: GroupCheck[] } {
  const checked = groups.map((group) => {
    const rows = group.options.map((option) => {
      const value = options.get(option.name)
      const actual = !value
        ? 'absent'
        : value.kind === 'string' || value.kind === 'number'
          ? value.value
          : value.kind
      const ok =
        !!value && (value.kind === 'y' || value.kind === 'm') && option.accept.includes(value.kind)
      return { name: option.name, accept: option.accept, actual, ok }
    })
    return {
      id: group.id,
      title: group.title,
      mandatory: group.mandatory,
      ok: rows.every((r) => r.ok),
      options: rows,
    }
  })
  return { ok: checked.every((g) => g.ok || !g.mandatory), groups: checked }
}
