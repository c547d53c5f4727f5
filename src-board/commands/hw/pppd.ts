import type { CommandContext, CommandImpl } from '../../types'
import { portAt, type HwContext } from '../../hardware/context'
import type { PortHandle } from '../../hardware/serial-port'
import {
  dumpOptions,
  hasOption,
  optionValue,
  parsePppOptions,
  type PppOptions,
} from './ppp-options'
import { signalNumber } from './signals'

const NO_KERNEL_SUPPORT = `This system lacks kernel support for PPP.  This could be because
the PPP kernel module could not be loaded, or because PPP was not
included in the kernel configuration.  If PPP was included as a
module, try \`/sbin/modprobe -v ppp'.  If that fails, check that
ppp.o exists in /lib/modules/\`uname -r\`/net.
See README.linux file in the ppp distribution for more details.
`

/** pppd exit statuses (pppd(8)). */
export const PPPD_EXIT = {
  ok: 0,
  fatal: 1,
  option: 2,
  noKernel: 4,
  userRequest: 5,
  lockFailed: 6,
  openFailed: 7,
  connectFailed: 8,
  negotiation: 10,
  hangup: 16,
} as const

/** `pppd [options]` / `pppd call NAME`: runs the connect script against the modem, negotiates LCP/PAP/IPCP, brings ppp0 up, runs ip-up; SIGTERM/SIGINT or a modem hang-up ends it. */
export function pppdCommand(hw: HwContext): CommandImpl {
  return async (ctx) => {
    const fs = hw.board.fs
    const options: PppOptions = {
      list: [],
      device: null,
      speed: null,
      localRemote: null,
      error: null,
    }
    const readFile = (path: string): string | null => {
      try {
        return fs.readText(path)
      } catch {
        return null
      }
    }
    const global = readFile('/etc/ppp/options')
    if (global !== null)
      parsePppOptions(global.split(/\s+/).filter(Boolean), '/etc/ppp/options', options, readFile)
    parsePppOptions(ctx.argv.slice(1), 'command line', options, readFile)
    if (options.error) {
      ctx.stderr(`pppd: ${options.error}\n`)
      return PPPD_EXIT.option
    }
    if (!hw.board.state.kernelPpp) {
      ctx.stderr(`pppd: ${NO_KERNEL_SUPPORT}`)
      return PPPD_EXIT.noKernel
    }
    if (!options.device) {
      ctx.stderr('pppd: no device specified and stdin is not a tty\n')
      return PPPD_EXIT.option
    }
    if (hasOption(options, 'dump')) ctx.stdout(dumpOptions(options))
    if (!hasOption(options, 'nodetach') && !hasOption(options, 'updetach')) {
      hw.board.processes.spawn('pppd', (signal) =>
        runSession(hw, options, {
          ...ctx,
          signal,
          stdout: () => undefined,
          stderr: () => undefined,
        }),
      )
      return PPPD_EXIT.ok
    }
    const proc = hw.board.processes.spawn('pppd', (signal) =>
      runSession(hw, options, { ...ctx, signal }),
    )
    const forward = (): void => void proc.kill(signalNumber(ctx.signal))
    ctx.signal.addEventListener('abort', forward, { once: true })
    const done = (proc as { done?: Promise<number> }).done
    if (done) {
      const status = await done
      ctx.signal.removeEventListener('abort', forward)
      return status
    }
    return runSession(hw, options, ctx)
  }
}

async function runSession(
  hw: HwContext,
  options: PppOptions,
  ctx: CommandContext,
): Promise<number> {
  const device = options.device as string
  const log = (text: string): void => ctx.stdout(text + '\n')
  const debug = hasOption(options, 'debug')
  const dbg = (text: string): void => {
    if (debug) log(text)
  }
  const clock = hw.board.clock
  const locking = hasOption(options, 'lock')
  const holder = hw.locks.get(device)
  if (locking && holder !== undefined) {
    log(`Device ${device.replace('/dev/', '')} is locked by pid ${holder}`)
    return PPPD_EXIT.lockFailed
  }
  const port = portAt(hw, device)
  let handle: PortHandle
  try {
    if (!port) throw new Error('absent')
    handle = port.open()
  } catch {
    log(`Failed to open ${device}: No such file or directory`)
    return PPPD_EXIT.openFailed
  }
  const pid = Math.floor(1000 + hw.board.rng.next() * 8000)
  if (locking) hw.locks.set(device, pid)
  let ended = false
  const cleanup = (): void => {
    if (locking && hw.locks.get(device) === pid) hw.locks.delete(device)
    if (!ended) handle.close()
    ended = true
  }
  try {
    const connect = optionValue(options, 'connect')
    if (connect !== undefined) {
      const status = await runChat(hw, handle, connect, ctx)
      if (status !== 0) {
        log('Connect script failed')
        return PPPD_EXIT.connectFailed
      }
    }
    log('Serial connection established.')
    dbg('using channel 1')
    log('Using interface ppp0')
    log(`Connect: ppp0 <--> ${device}`)
    const magic = hex8(hw.board.rng.int(0, 0xffffffff))
    const peerMagic = hex8(hw.board.rng.int(0, 0xffffffff))
    const lcpOpts = `<asyncmap 0x0> <magic 0x${magic}> <pcomp> <accomp>`
    if (!hw.modem.inDataMode) {
      for (let id = 1; id <= 10; id++) {
        dbg(`sent [LCP ConfReq id=0x${id.toString(16)} ${lcpOpts}]`)
        await clock.sleep(3000, ctx.signal)
      }
      log('LCP: timeout sending Config-Requests')
      log('Connection terminated.')
      return PPPD_EXIT.negotiation
    }
    const step = (): Promise<void> => clock.sleep(40, ctx.signal)
    const peerOpts = `<asyncmap 0x0> <auth pap> <magic 0x${peerMagic}> <pcomp> <accomp>`
    dbg(`sent [LCP ConfReq id=0x1 ${lcpOpts}]`)
    await step()
    dbg(`rcvd [LCP ConfReq id=0x0 ${peerOpts}]`)
    dbg(`sent [LCP ConfAck id=0x0 ${peerOpts}]`)
    await step()
    dbg(`rcvd [LCP ConfAck id=0x1 ${lcpOpts}]`)
    const user = optionValue(options, 'user') ?? hw.board.state.hostname
    const shown = hasOption(options, 'show-password')
      ? `"${optionValue(options, 'password') ?? ''}"`
      : '<hidden>'
    dbg(`sent [PAP AuthReq id=0x1 user="${user}" password=${shown}]`)
    await step()
    dbg('rcvd [PAP AuthAck id=0x1 ""]')
    log('PAP authentication succeeded')
    const ppp = hw.scenario.network.ppp
    const [dns1, dns2] = ppp.dns
    const wantDns = hasOption(options, 'usepeerdns')
    const dnsReq = wantDns ? ' <ms-dns1 0.0.0.0> <ms-dns2 0.0.0.0>' : ''
    const dnsAck = wantDns ? ` <ms-dns1 ${dns1}> <ms-dns2 ${dns2}>` : ''
    dbg(
      `sent [IPCP ConfReq id=0x1${hasOption(options, 'novj') ? '' : ' <compress VJ 0f 01>'} <addr 0.0.0.0>${dnsReq}]`,
    )
    await step()
    dbg('rcvd [IPCP ConfReq id=0x0]')
    dbg('sent [IPCP ConfNak id=0x0 <addr 0.0.0.0>]')
    if (!hasOption(options, 'novj')) {
      dbg(`rcvd [IPCP ConfRej id=0x1 <compress VJ 0f 01>]`)
      dbg(`sent [IPCP ConfReq id=0x2 <addr 0.0.0.0>${dnsReq}]`)
    }
    await step()
    dbg(
      `rcvd [IPCP ConfNak id=0x${hasOption(options, 'novj') ? '1' : '2'} <addr ${ppp.localIp}>${dnsAck}]`,
    )
    dbg(
      `sent [IPCP ConfReq id=0x${hasOption(options, 'novj') ? '2' : '3'} <addr ${ppp.localIp}>${dnsAck}]`,
    )
    await step()
    dbg('rcvd [IPCP ConfReq id=0x1]')
    dbg('sent [IPCP ConfAck id=0x1]')
    dbg(
      `rcvd [IPCP ConfAck id=0x${hasOption(options, 'novj') ? '2' : '3'} <addr ${ppp.localIp}>${dnsAck}]`,
    )
    log(`Could not determine remote IP address: defaulting to ${ppp.remoteIp}`)
    const existingDefault = hw.net.routeTable().find((r) => r.dest === '0.0.0.0')
    const addedRoute = hw.net.pppUp(ppp.localIp, ppp.remoteIp, hasOption(options, 'defaultroute'))
    if (hasOption(options, 'defaultroute') && !addedRoute && existingDefault)
      log(`not replacing existing default route via ${existingDefault.gateway}`)
    log(`local  IP address ${ppp.localIp}`)
    log(`remote IP address ${ppp.remoteIp}`)
    if (wantDns) {
      log(`primary   DNS address ${dns1}`)
      log(`secondary DNS address ${dns2}`)
      try {
        hw.board.fs.writeFile('/etc/ppp/resolv.conf', `nameserver ${dns1}\nnameserver ${dns2}\n`)
      } catch (error) {
        log(
          `Failed to create /etc/ppp/resolv.conf: ${error instanceof Error ? error.message : String(error)}`,
        )
      }
    }
    const started = clock.now()
    const ipparam = optionValue(options, 'ipparam') ?? ''
    const env = wantDns ? `DNS1=${dns1} DNS2=${dns2} USEPEERDNS=1 ` : ''
    await runHook(
      hw,
      '/etc/ppp/ip-up',
      `${env}IPLOCAL=${ppp.localIp} IPREMOTE=${ppp.remoteIp} IFNAME=ppp0 /etc/ppp/ip-up ppp0 ${device} ${options.speed ?? 115200} ${ppp.localIp} ${ppp.remoteIp} ${ipparam}`,
      log,
      ctx,
    )
    const reason = await untilEnd(hw, handle, ctx.signal)
    const elapsed = clock.now() - started
    const iface = hw.net.get('ppp0')
    const stats = `Sent ${iface?.txBytes ?? 0} bytes, received ${iface?.rxBytes ?? 0} bytes.`
    const minutes = `Connect time ${(Math.floor(elapsed / 6000) / 10).toFixed(1)} minutes.`
    const linkDown = async (): Promise<void> => {
      hw.net.pppDown()
      await runHook(hw, '/etc/ppp/ip-down', `/etc/ppp/ip-down ppp0 ${device} ${options.speed ?? 115200} ${ppp.localIp} ${ppp.remoteIp} ${ipparam}`, log, ctx)
    }
    if (reason === 'hangup') {
      log('Modem hangup')
      log(minutes)
      log(stats)
      await linkDown()
      log('Connection terminated.')
      return PPPD_EXIT.hangup
    }
    log(`Terminating on signal ${reason}`)
    log(minutes)
    log(stats)
    await linkDown()
    dbg('sent [LCP TermReq id=0x2 "User request"]')
    await clock.sleep(40)
    dbg('rcvd [LCP TermAck id=0x2]')
    log('Connection terminated.')
    const disconnect = optionValue(options, 'disconnect')
    if (disconnect !== undefined && handle.open) {
      const status = await runChat(hw, handle, disconnect, {
        ...ctx,
        signal: new AbortController().signal,
      })
      if (status !== 0) log('Disconnect script failed')
    }
    hw.modem.hangupData()
    return PPPD_EXIT.userRequest
  } catch (error) {
    if (ctx.signal.aborted) {
      hw.net.pppDown()
      hw.modem.hangupData()
      log(`Terminating on signal ${signalNumber(ctx.signal)}`)
      return PPPD_EXIT.userRequest
    }
    throw error
  } finally {
    cleanup()
  }
}

async function runChat(
  hw: HwContext,
  handle: PortHandle,
  script: string,
  ctx: CommandContext,
): Promise<number> {
  const previous = hw.chatLine
  hw.chatLine = handle
  try {
    return await hw.board.exec(script, {
      stdout: (t) => ctx.stdout(t),
      stderr: (t) => ctx.stdout(t),
      signal: ctx.signal,
    })
  } finally {
    hw.chatLine = previous
  }
}

async function runHook(
  hw: HwContext,
  path: string,
  commandLine: string,
  log: (t: string) => void,
  ctx: CommandContext,
): Promise<void> {
  const fs = hw.board.fs
  if (!fs.exists(path) || (fs.stat(path).mode & 0o111) === 0) return
  const pid = Math.floor(1000 + hw.board.rng.next() * 8000)
  log(`Script ${path} started (pid ${pid})`)
  const status = await hw.board.exec(commandLine, {
    stdout: () => undefined,
    stderr: () => undefined,
    signal: ctx.signal,
  })
  log(`Script ${path} finished (pid ${pid}), status = 0x${status.toString(16)}`)
}

function untilEnd(
  hw: HwContext,
  handle: PortHandle,
  signal: AbortSignal,
): Promise<'hangup' | number> {
  return new Promise((resolve) => {
    let done = false
    const finish = (value: 'hangup' | number): void => {
      if (done) return
      done = true
      offHangup()
      offData()
      signal.removeEventListener('abort', onAbort)
      resolve(value)
    }
    const onAbort = (): void => finish(signalNumber(signal))
    const offHangup = handle.onHangup(() => finish('hangup'))
    const offData = handle.onData(() => {
      if (!hw.modem.inDataMode) finish('hangup')
    })
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    if (!hw.modem.inDataMode) finish('hangup')
  })
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0')
}
