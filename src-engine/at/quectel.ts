/** Quectel-specific helpers: USB network mode (`AT+QCFG="usbnet"`) and the network device dial (`AT+QNETDEVCTL`). */

import { AtError, requireOk, type AtChannel } from './channel'
import type { AtResponse } from './response-parser'
import { splitParams } from './urc'

/** Quectel `usbnet` values: 0 RmNet/QMI (default on many), 1 ECM, 2 MBIM, 3 RNDIS, 5 NCM. */
export const USBNET_MODES = { rmnet: 0, ecm: 1, mbim: 2, rndis: 3, ncm: 5 } as const
/** Names of the usbnet values. */
export type UsbnetMode = keyof typeof USBNET_MODES

/** Names a usbnet value; `unknown` for values outside the table. */
export function usbnetModeName(value: number): UsbnetMode | 'unknown' {
  const entry = Object.entries(USBNET_MODES).find(([, v]) => v === value)
  return entry ? (entry[0] as UsbnetMode) : 'unknown'
}

function unexpected(response: AtResponse, what: string): AtError {
  return new AtError(
    'unexpected-response',
    `${response.command}: expected ${what}, got ${JSON.stringify(response.lines.join(' | ').slice(0, 120))}`,
    response,
  )
}

/** Reads `+QCFG: "usbnet",<n>`. */
export function parseUsbnet(response: AtResponse): { value: number; mode: UsbnetMode | 'unknown' } {
  requireOk(response)
  for (const line of response.lines) {
    const m = /^\+QCFG:\s*(.*)$/i.exec(line)
    if (!m) continue
    const params = splitParams(m[1])
    if (params[0]?.toLowerCase() === 'usbnet' && /^\d+$/.test(params[1] ?? '')) {
      const value = Number(params[1])
      return { value, mode: usbnetModeName(value) }
    }
  }
  throw unexpected(response, '+QCFG: "usbnet",<n>')
}

/** Queries the USB network mode. */
export async function readUsbnet(
  at: AtChannel,
): Promise<{ value: number; mode: UsbnetMode | 'unknown' }> {
  return parseUsbnet(await at.send('AT+QCFG="usbnet"'))
}

/** Sets the USB network mode; takes effect after the module restarts (`AT+CFUN=1,1`, reference 3.3.1). */
export async function setUsbnet(at: AtChannel, mode: UsbnetMode): Promise<AtResponse> {
  return requireOk(await at.send(`AT+QCFG="usbnet",${USBNET_MODES[mode]}`))
}

/** Restarts the module (`AT+CFUN=1,1`); its USB devices disappear and come back. */
export async function restartModule(at: AtChannel): Promise<AtResponse> {
  return requireOk(await at.send('AT+CFUN=1,1'))
}

/** AT+QNETDEVCTL? read. */
export interface NetdevState {
  /** Every number of the `+QNETDEVCTL:` answer, in order (`<op>,<cid>,<urc_en>[,<state>]`). */
  values: number[]
  op?: number
  cid?: number
  urcEnabled?: boolean
  /** Connection state when the firmware reports a fourth field (1 = connected). */
  connected?: boolean
}

/** Reads `+QNETDEVCTL: <op>,<cid>,<urc_en>[,<state>]`; a bare OK means nothing configured. */
export function parseNetdevctl(response: AtResponse): NetdevState {
  requireOk(response)
  const line = response.lines.find((l) => /^\+QNETDEVCTL:/i.test(l))
  if (line === undefined) return { values: [] }
  const params = splitParams(line.replace(/^\+QNETDEVCTL:\s*/i, ''))
  if (!params.every((p) => /^\d+$/.test(p)))
    throw unexpected(response, '+QNETDEVCTL: <op>,<cid>,<urc_en>[,<state>]')
  const values = params.map(Number)
  return {
    values,
    op: values[0],
    cid: values[1],
    urcEnabled: values[2] === undefined ? undefined : values[2] === 1,
    connected: values[3] === undefined ? undefined : values[3] === 1,
  }
}

/** Queries the network device dial state. */
export async function readNetdevctl(at: AtChannel): Promise<NetdevState> {
  return parseNetdevctl(await at.send('AT+QNETDEVCTL?'))
}

/** Dials the network device as the reference does (`AT+QNETDEVCTL=3,1,1`: connect with auto-reconnect, cid 1, URC on). */
export async function dialNetdev(
  at: AtChannel,
  options: { op?: number; cid?: number; urc?: boolean } = {},
): Promise<AtResponse> {
  const op = options.op ?? 3
  const cid = options.cid ?? 1
  if (!Number.isInteger(op) || op < 0 || op > 3)
    throw new AtError('invalid-command', `QNETDEVCTL op must be 0-3, got ${op}`)
  if (!Number.isInteger(cid) || cid < 1 || cid > 15)
    throw new AtError('invalid-command', `QNETDEVCTL cid must be 1-15, got ${cid}`)
  return requireOk(await at.send(`AT+QNETDEVCTL=${op},${cid},${options.urc === false ? 0 : 1}`))
}

/** How long waitForModule waited and how often it asked. */
export interface ModuleWait {
  attempts: number
  waitedMs: number
}

/**
 * Asks `AT` until the module answers OK again (after `AT+CFUN=1,1` or a usbnet change), polling every `pollMs`
 * real ms up to `timeoutMs`; rejects with AtError 'timeout' naming the last reason (port missing, silence) on expiry.
 */
export async function waitForModule(
  at: AtChannel,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<ModuleWait> {
  const timeoutMs = options.timeoutMs ?? 60_000
  const pollMs = options.pollMs ?? 500
  const started = Date.now()
  let attempts = 0
  let last = 'no attempt'
  while (attempts === 0 || Date.now() - started < timeoutMs) {
    attempts++
    try {
      const response = await at.send('AT')
      if (response.final?.kind === 'ok') return { attempts, waitedMs: Date.now() - started }
      last = `AT answered ${response.final?.kind ?? 'nothing'}`
    } catch (error) {
      if (
        !(error instanceof AtError) ||
        !['port-missing', 'timeout', 'port-busy'].includes(error.code)
      )
        throw error
      last = error.message
    }
    const left = timeoutMs - (Date.now() - started)
    if (left <= 0) break
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)))
  }
  throw new AtError(
    'timeout',
    `the module did not answer AT within ${timeoutMs} ms (${attempts} attempts; last: ${last})`,
  )
}
