/** Starts a real BusyBox `sh -i` on a PTY through socat, for tests and benches. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A running BusyBox shell reachable at `path` (the PTY the host side opens). */
export interface BusyBoxPty {
  path: string
  /** Working directory (HOME) of the shell, removed on close. */
  dir: string
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
export async function startBusyBox(options: { prompt?: string; login?: { user: string; password: string } } = {}): Promise<BusyBoxPty> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-bb-'))
  const path = join(dir, 'console')
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
  const shell = `env -i PS1='${prompt}' TERM=vt100 HOME=${dir} PATH=/usr/sbin:/usr/bin:/sbin:/bin ${program}`
  const child = spawn('socat', [`PTY,raw,echo=0,link=${path}`, `EXEC:"${shell}",pty,setsid,ctty,stderr,sane`], { cwd: dir, stdio: 'ignore' })
  await until(() => existsSync(path) || child.exitCode !== null, 10_000, 'socat to create the PTY')
  if (!existsSync(path)) throw new Error(`socat exited (${child.exitCode}) before creating ${path}`)
  return {
    path,
    dir,
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
