import type { CommandImpl } from '../../types'
import { KilledBySignal, SIGNALS } from '../../kernel/processes'
import { readAll } from '../../shell/streams'
import { abs, parseOptions, text, type CoreContext, type CoreDeps } from './deps'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad2 = (n: number): string => String(n).padStart(2, '0')

/** Formats a board time like BusyBox `date` (default `Thu Jan  1 00:03:12 UTC 1970`, or a `+FORMAT`). */
export function formatDate(seconds: number, format?: string): string {
  const d = new Date(seconds * 1000)
  const fields: Record<string, string> = {
    a: DAYS[d.getUTCDay()],
    b: MONTHS[d.getUTCMonth()],
    d: pad2(d.getUTCDate()),
    e: String(d.getUTCDate()).padStart(2, ' '),
    H: pad2(d.getUTCHours()),
    M: pad2(d.getUTCMinutes()),
    S: pad2(d.getUTCSeconds()),
    Y: String(d.getUTCFullYear()),
    m: pad2(d.getUTCMonth() + 1),
    s: String(Math.floor(seconds)),
    Z: 'UTC',
    '%': '%',
  }
  const fmt = format ?? '%a %b %e %H:%M:%S %Z %Y'
  return fmt.replace(/%(.)/g, (m, c: string) => fields[c] ?? m)
}

function signalArg(arg: string | undefined): number | null {
  if (arg === undefined || !arg.startsWith('-')) return null
  const s = arg.slice(1).toUpperCase().replace(/^SIG/, '')
  if (/^\d+$/.test(s)) return Number(s)
  return SIGNALS[s] ?? null
}

function parseDuration(arg: string): number | null {
  const m = /^(\d*\.?\d+)([smhd]?)$/.exec(arg)
  if (!m) return null
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'] * 1000
}

/** Builds the system applets (sleep, kill, killall, ps, uname, uptime, mount, umount, stty, date, hostname, reboot, sync, id, env, dmesg, true, false, sh, seq). */
export function systemCommands(deps: CoreDeps): Record<string, CommandImpl> {
  const fs = deps.fs
  return {
    async true() {
      return 0
    },
    async false() {
      return 1
    },
    async sleep(ctx) {
      if (ctx.argv.length < 2) {
        ctx.stderr('BusyBox v1.33.1 (2024-04-27 10:04:39 CST) multi-call binary.\n\nUsage: sleep [N]...\n')
        return 1
      }
      let total = 0
      for (const a of ctx.argv.slice(1)) {
        const ms = parseDuration(a)
        if (ms === null) {
          ctx.stderr(`sleep: invalid number '${a}'\n`)
          return 1
        }
        total += ms
      }
      await ctx.board.clock.sleep(total, ctx.signal)
      return 0
    },
    async usleep(ctx) {
      await ctx.board.clock.sleep(Number(ctx.argv[1] ?? 0) / 1000, ctx.signal)
      return 0
    },
    async killall(ctx) {
      const args = ctx.argv.slice(1)
      const sig = signalArg(args[0])
      const names = sig === null ? args : args.slice(1)
      const quiet = names[0] === '-q' ? (names.shift(), true) : false
      let status = 0
      for (const name of names) {
        const procs = deps.processes.byName(name)
        if (procs.length === 0) {
          if (!quiet) ctx.stderr(`killall: ${name}: no process killed\n`)
          status = 1
          continue
        }
        for (const p of procs) p.kill(sig ?? 15)
      }
      return status
    },
    async kill(ctx) {
      const args = ctx.argv.slice(1)
      if (args[0] === '-l') {
        ctx.stdout(Object.keys(SIGNALS).join(' ') + '\n')
        return 0
      }
      const sig = signalArg(args[0])
      const pids = sig === null ? args : args.slice(1)
      let status = 0
      for (const pid of pids) {
        const p = deps.processes.byPid(Number(pid))
        if (!p || !p.kill(sig ?? 15)) {
          ctx.stderr(`sh: kill: can't kill pid ${pid}: No such process\n`)
          status = 1
        }
      }
      return status
    },
    async ps(ctx) {
      const rows = [
        [1, 'init'],
        [2, '[kthreadd]'],
        [3, '[rcu_gp]'],
        [9, '[ksoftirqd/0]'],
        [89, '/sbin/syslogd -n'],
        [92, '/sbin/klogd -n'],
        [140, '-sh'],
        ...deps.processes.list().map((p) => [p.pid, p.commandLine] as [number, string]),
      ] as [number, string][]
      ctx.stdout('PID   USER     TIME  COMMAND\n' + rows.map(([pid, cmd]) => `${String(pid).padStart(5)} root      0:00 ${cmd}\n`).join(''))
      return 0
    },
    async uname(ctx) {
      const { flags } = parseOptions(ctx.argv.slice(1))
      const parts: [string, string][] = [
        ['s', 'Linux'],
        ['n', deps.state.hostname],
        ['r', deps.state.kernelVersion],
        ['v', '#1 SMP Sat Apr 27 10:04:39 CST 2024'],
        ['m', 'riscv64'],
        ['o', 'GNU/Linux'],
      ]
      const chosen = flags.has('a') ? parts : parts.filter(([f]) => flags.has(f))
      ctx.stdout((chosen.length ? chosen : [parts[0]]).map(([, v]) => v).join(' ') + '\n')
      return 0
    },
    async uptime(ctx) {
      const up = Math.floor(ctx.board.uptime())
      const now = deps.wallClock()
      const d = new Date(now * 1000)
      const days = Math.floor(up / 86400)
      const hours = Math.floor((up % 86400) / 3600)
      const mins = Math.floor((up % 3600) / 60)
      const span = (days ? `${days} day${days > 1 ? 's' : ''}, ` : '') + (hours ? `${String(hours).padStart(2)}:${pad2(mins)}` : `${mins} min`)
      ctx.stdout(` ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} up ${span},  load average: 0.00, 0.00, 0.00\n`)
      return 0
    },
    async mount(ctx) {
      const { values, operands } = parseOptions(ctx.argv.slice(1), 'to')
      if (operands.length === 0) {
        ctx.stdout(fs.readText('/proc/mounts'))
        return 0
      }
      const [source, target] = operands.length === 1 ? ['none', operands[0]] : operands
      const type = values.get('t') ?? 'auto'
      try {
        fs.mount({ source, target: abs(ctx, target), type, options: values.get('o') ?? 'rw,relatime' })
        return 0
      } catch (error) {
        ctx.stderr(`mount: mounting ${source} on ${target} failed: ${(error as Error).message}\n`)
        return 255
      }
    },
    async umount(ctx) {
      let status = 0
      for (const target of parseOptions(ctx.argv.slice(1)).operands) {
        try {
          fs.umount(abs(ctx, target))
        } catch (error) {
          ctx.stderr(`umount: can't unmount ${target}: ${(error as Error).message}\n`)
          status = 1
        }
      }
      return status
    },
    async stty(ctx) {
      const args = ctx.argv.slice(1)
      const tty = deps.tty
      if (args[0] === '-F') {
        const device = args[1] ?? ''
        if (!fs.exists(abs(ctx, device))) {
          ctx.stderr(`stty: can't open '${device}': No such file or directory\n`)
          return 1
        }
        if (abs(ctx, device) !== '/dev/console' && abs(ctx, device) !== '/dev/ttyS0') return 0
        args.splice(0, 2)
      }
      if (args.length === 0) {
        ctx.stdout(`speed ${tty.baud} baud; line = 0;\n${tty.echo ? '' : '-echo\n'}`)
        return 0
      }
      for (let i = 0; i < args.length; i++) {
        const a = args[i]
        if (a === '-a') {
          ctx.stdout(
            `speed ${tty.baud} baud; rows ${tty.rows}; columns ${tty.cols}; line = 0;\n` +
              'intr = ^C; quit = ^\\; erase = ^?; kill = ^U; eof = ^D; eol = <undef>; eol2 = <undef>; swtch = <undef>;\n' +
              'start = ^Q; stop = ^S; susp = ^Z; rprnt = ^R; werase = ^W; lnext = ^V; flush = ^O; min = 1; time = 0;\n' +
              '-parenb -parodd cs8 hupcl -cstopb cread clocal -crtscts\n' +
              '-ignbrk -brkint -ignpar -parmrk -inpck -istrip -inlcr -igncr icrnl ixon -ixoff -iuclc -ixany -imaxbel -iutf8\n' +
              'opost -olcuc -ocrnl onlcr -onocr -onlret -ofill -ofdel nl0 cr0 tab0 bs0 vt0 ff0\n' +
              `isig icanon iexten ${tty.echo ? '' : '-'}echo echoe echok -echonl -noflsh -xcase -tostop -echoprt echoctl echoke\n`,
          )
        } else if (a === 'size') ctx.stdout(`${tty.rows} ${tty.cols}\n`)
        else if (a === 'echo') tty.echo = true
        else if (a === '-echo') tty.echo = false
        else if (a === 'cols' || a === 'columns' || a === 'rows') {
          const n = Number(args[++i])
          if (!Number.isInteger(n) || n < 0) {
            ctx.stderr(`stty: invalid number '${args[i] ?? ''}'\n`)
            return 1
          }
          if (a === 'rows') tty.rows = n
          else tty.cols = n
        } else if (a === 'sane') tty.echo = true
        else if (/^\d+$/.test(a) || ['raw', '-raw', 'cooked', 'icanon', '-icanon', 'onlcr', '-onlcr', 'icrnl', '-icrnl', 'crtscts', '-crtscts'].includes(a)) continue
        else {
          ctx.stderr(`stty: invalid argument '${a}'\n`)
          return 1
        }
      }
      return 0
    },
    async date(ctx) {
      const arg = ctx.argv.slice(1).find((a) => a.startsWith('+'))
      ctx.stdout(formatDate(deps.wallClock(), arg?.slice(1)) + '\n')
      return 0
    },
    async hostname(ctx) {
      const name = ctx.argv.slice(1).find((a) => !a.startsWith('-'))
      if (name) deps.state.hostname = name
      else ctx.stdout(deps.state.hostname + '\n')
      return 0
    },
    async sync() {
      return 0
    },
    async reboot(ctx) {
      ctx.stdout('\nThe system is going down NOW!\nSent SIGTERM to all processes\nSent SIGKILL to all processes\nRequesting system reboot\n')
      await ctx.board.clock.sleep(300)
      await deps.outputDrained()
      ctx.board.klog('reboot: Restarting system', 0)
      await ctx.board.clock.sleep(50)
      deps.reboot()
      await new Promise<void>(() => undefined)
      return 0
    },
    async poweroff(ctx) {
      ctx.stdout('\nThe system is going down NOW!\nSent SIGTERM to all processes\nSent SIGKILL to all processes\nRequesting system poweroff\n')
      await ctx.board.clock.sleep(300)
      await deps.outputDrained()
      ctx.board.klog('reboot: Power down', 0)
      await ctx.board.clock.sleep(50)
      deps.powerOff()
      await new Promise<void>(() => undefined)
      return 0
    },
    async timeout(c) {
      const ctx = c as CoreContext
      const args = ctx.argv.slice(1)
      const sig = args[0] === '-s' ? (args.shift(), SIGNALS[(args.shift() ?? 'TERM').toUpperCase().replace(/^SIG/, '')] ?? 15) : 15
      const seconds = parseDuration(args.shift() ?? '')
      if (seconds === null || args.length === 0 || !ctx.shell) {
        ctx.stderr('BusyBox v1.33.1 (2024-04-27 10:04:39 CST) multi-call binary.\n\nUsage: timeout [-s SIG] SECS PROG ARGS\n')
        return 1
      }
      const controller = new AbortController()
      const forward = (): void => controller.abort(ctx.signal.reason)
      ctx.signal.addEventListener('abort', forward, { once: true })
      const cancel = ctx.board.clock.setTimer(seconds, () => controller.abort(new KilledBySignal(sig)))
      try {
        const io = { stdout: ctx.stdout, stderr: ctx.stderr, stdin: ctx.stdin as never, stdinIsTty: ctx.stdinIsTty, stdoutIsTty: ctx.stdoutIsTty }
        return await ctx.shell.execute(args, [], io, controller.signal)
      } finally {
        cancel()
        ctx.signal.removeEventListener('abort', forward)
      }
    },
    async id(ctx) {
      ctx.stdout('uid=0(root) gid=0(root) groups=0(root)\n')
      return 0
    },
    async env(ctx) {
      ctx.stdout([...ctx.env].map(([k, v]) => `${k}=${v}\n`).join(''))
      return 0
    },
    async dmesg(ctx) {
      const { flags, values } = parseOptions(ctx.argv.slice(1), 'ns')
      if (values.has('n')) {
        const n = Number(values.get('n'))
        if (!Number.isInteger(n) || n < 1 || n > 8) {
          ctx.stderr(`dmesg: klogctl: Invalid argument\n`)
          return 1
        }
        deps.kernel.consoleLevel = n
        return 0
      }
      const lines = deps.kernel.lines()
      if (lines.length) ctx.stdout(lines.join('\n') + '\n')
      if (flags.has('c')) deps.kernel.clear()
      return 0
    },
    async seq(ctx) {
      const nums = ctx.argv.slice(1).map(Number)
      const [first, step, last] = nums.length === 1 ? [1, 1, nums[0]] : nums.length === 2 ? [nums[0], 1, nums[1]] : nums
      if ([first, step, last].some((n) => !Number.isFinite(n)) || step === 0) return 1
      let out = ''
      for (let i = first; step > 0 ? i <= last : i >= last; i += step) out += `${i}\n`
      ctx.stdout(out)
      return 0
    },
    async sh(c) {
      const ctx = c as CoreContext
      const shell = ctx.shell
      if (!shell) return 1
      const args = ctx.argv.slice(1)
      const io = { stdout: ctx.stdout, stderr: ctx.stderr, stdin: ctx.stdin as never, stdinIsTty: ctx.stdinIsTty }
      if (args[0] === '-c') {
        if (args[1] === undefined) {
          ctx.stderr('sh: -c requires an argument\n')
          return 2
        }
        return shell.runScript(args[1], args[2] ?? 'sh', args.slice(3), [...ctx.env], io, ctx.signal)
      }
      if (args.length > 0) {
        const path = abs(ctx, args[0])
        if (!fs.exists(path) || fs.isDir(path)) {
          ctx.stderr(`sh: can't open '${args[0]}': No such file or directory\n`)
          return 2
        }
        return shell.runScript(fs.readText(path), args[0], args.slice(1), [...ctx.env], io, ctx.signal)
      }
      const script = text(await readAll(ctx.stdin))
      return shell.runScript(script, 'sh', [], [...ctx.env], io, ctx.signal)
    },
  }
}
