/** Starts a real BusyBox `sh -i` on a PTY through socat, for tests and benches. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let isolation: boolean | undefined

/** True when a private mount namespace can hide the host's /proc/sys/kernel/printk from the test shell. */
function canIsolatePrintk(): boolean {
  if (isolation === undefined) {
    const probe = spawnSync('unshare', ['-m', 'sh', '-c', 'f=$(mktemp) && echo 7 >"$f" && mount --bind "$f" /proc/sys/kernel/printk && rm -f "$f"'], { stdio: 'ignore' })
    isolation = probe.status === 0
  }
  return isolation
}

/**
 * A running BusyBox shell reachable at `path` (the PTY the host side opens). The shell never changes the host's
 * console log level: `dmesg -n` is a stand-in writing `printk` (bind-mounted over /proc/sys/kernel/printk where
 * a mount namespace is allowed, else the host file is left alone and only `printk` changes).
 */
export interface BusyBoxPty {
  path: string
  /** Working directory (HOME) of the shell, removed on close. */
  dir: string
  /** The console log level file the shell sees as /proc/sys/kernel/printk (or writes through its `dmesg -n`). */
  printk: string
  /** True when the shell's /proc/sys/kernel/printk is `printk` (private mount namespace). */
  printkIsolated: boolean
  process: ChildProcess
  close(): Promise<void>
}

/** Why real-BusyBox tests cannot run here, or undefined when socat and busybox are installed. */
export function busyboxMissing(): string | undefined {
  for (const tool of ['socat', 'busybox']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (apt-get install ${tool})`
  }
  return undefined
}

/** Waits until `condition()` is true, polling every `everyMs`; throws after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number, what: string, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

/** Starts `busybox sh -i` with the K230 prompt on a fresh PTY; with `login`, a getty-like `login:`/`Password:` exchange comes first. */
export async function startBusyBox(options: { prompt?: string; login?: { user: string; password: string }; path?: string } = {}): Promise<BusyBoxPty> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-bb-'))
  const path = options.path ?? join(dir, 'console')
  const prompt = options.prompt ?? '[root@canaan ~ ]# '
  let program = 'busybox sh -i'
  if (options.login) {
    const script = join(dir, 'login.sh')
    writeFileSync(
      script,
      [
        "trap '' INT",
        'while true; do',
        "  printf 'canaan login: '; read u",
        "  printf 'Password: '; stty -echo; read p; stty echo; echo",
        `  if [ "$u" = '${options.login.user}' ] && [ "$p" = '${options.login.password}' ]; then trap - INT; exec busybox sh -i; fi`,
        "  echo 'Login incorrect'",
        'done',
        '',
      ].join('\n'),
    )
    program = `busybox sh ${script}`
  }
  mkdirSync(join(dir, 'bin'))
  writeFileSync(join(dir, 'printk'), '7\t4\t1\t7\n')
  const isolated = canIsolatePrintk()
  const printkFile = isolated ? '/proc/sys/kernel/printk' : join(dir, 'printk')
  writeFileSync(join(dir, 'bin', 'dmesg'), `#!/bin/sh\nif [ "$1" = -n ]; then printf '%s\\t4\\t1\\t7\\n' "$2" >${printkFile}; exit 0; fi\nexec busybox dmesg "$@"\n`, { mode: 0o755 })
  const launch = [
    isolated ? `mount --bind ${join(dir, 'printk')} /proc/sys/kernel/printk || exit 1` : '',
    `exec env -i PS1='${prompt}' TERM=vt100 HOME=${dir} PATH=${dir}/bin:/usr/sbin:/usr/bin:/sbin:/bin ${program}`,
    '',
  ].join('\n')
  writeFileSync(join(dir, 'start.sh'), launch)
  const starter = isolated ? `unshare -m sh ${join(dir, 'start.sh')}` : `sh ${join(dir, 'start.sh')}`
  const child = spawn('socat', [`PTY,raw,echo=0,link=${path}`, `EXEC:${starter},pty,setsid,ctty,stderr,sane`], { cwd: dir, stdio: 'ignore' })
  await until(() => existsSync(path) || child.exitCode !== null, 10_000, 'socat to create the PTY')
  if (!existsSync(path)) throw new Error(`socat exited (${child.exitCode}) before creating ${path}`)
  return {
    path,
    dir,
    printk: join(dir, 'printk'),
    printkIsolated: isolated,
    process: child,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
