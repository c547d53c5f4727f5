import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunRecord } from '@shared/record'
import { connect, type Console } from '@engine/console'
import { main } from '../../src-cli/main'
import { memoryIo } from '../checklist/support/io'
import { busyboxMissing, until } from './helpers/busybox-pty'

/** Why the sandboxed shells cannot start here: a bring-up writes /etc/ppp and the rootfs check touches /etc, so each shell gets a private tmpfs /etc in its own mount namespace. */
function sandboxMissing(): string | undefined {
  const tools = busyboxMissing()
  if (tools) return tools
  const probe = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs tmpfs /etc && touch /etc/k230-probe'], { stdio: 'ignore' })
  return probe.status === 0 ? undefined : 'no private mount namespace (unshare -m with mount rights) for a sandboxed /etc'
}

interface Shell {
  path: string
  marker: string
  close(): Promise<void>
}

const shells: Shell[] = []
const consoles: Console[] = []

/** A real `busybox sh -i` on its own PTY (socat) whose /etc is a private tmpfs and whose `uname` names `marker`, so each shell's output is recognisable. */
async function startShell(marker: string): Promise<Shell> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-bbslot-'))
  const path = join(dir, 'console')
  mkdirSync(join(dir, 'bin'))
  writeFileSync(join(dir, 'printk'), '7\t4\t1\t7\n')
  writeFileSync(join(dir, 'bin', 'dmesg'), `#!/bin/sh\nif [ "$1" = -n ]; then printf '%s\\t4\\t1\\t7\\n' "$2" >/proc/sys/kernel/printk; exit 0; fi\nexec busybox dmesg "$@"\n`, { mode: 0o755 })
  writeFileSync(join(dir, 'bin', 'uname'), `#!/bin/sh\necho 'Linux ${marker} 5.10.4 #1 SMP riscv64 GNU/Linux'\n`, { mode: 0o755 })
  writeFileSync(
    join(dir, 'start.sh'),
    [
      'mount -t tmpfs tmpfs /etc || exit 1',
      `mount --bind ${join(dir, 'printk')} /proc/sys/kernel/printk || exit 1`,
      `exec env -i PS1='[root@canaan ~ ]# ' TERM=vt100 HOME=${dir} PATH=${dir}/bin:/usr/sbin:/usr/bin:/sbin:/bin busybox sh -i`,
      '',
    ].join('\n'),
  )
  const child = spawn('socat', [`PTY,raw,echo=0,link=${path}`, `EXEC:unshare -m sh ${join(dir, 'start.sh')},pty,setsid,ctty,stderr,sane`], { cwd: dir, stdio: 'ignore' })
  await until(() => existsSync(path) || child.exitCode !== null, 10_000, 'socat to create the PTY')
  if (!existsSync(path)) throw new Error(`socat exited (${child.exitCode}) before creating ${path}`)
  const shell: Shell = {
    path,
    marker,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
  shells.push(shell)
  return shell
}

afterEach(async () => {
  for (const c of consoles.splice(0)) await c.close()
  for (const s of shells.splice(0)) await s.close()
})

/** What a shell prints for command `k` of the marker's batch (some commands print hundreds of lines). */
function batch(marker: string, count: number): Array<{ command: string; output: string }> {
  return Array.from({ length: count }, (_, k) => {
    const long = k % 5 === 4
    const lines = long ? Array.from({ length: 200 }, (_, n) => `${marker}-${k}-${n + 1}`) : [`${marker}-${k}-a`, `${marker}-${k}-b`]
    const command = long ? `seq 1 200 | sed 's/^/${marker}-${k}-/'` : `printf '%s\\n' ${marker}-${k}-a ${marker}-${k}-b`
    return { command, output: lines.join('\n') + '\n' }
  })
}

const missing = sandboxMissing()
const etcPpp = () => (existsSync('/etc/ppp') ? readdirSync('/etc/ppp').map((f) => `${f}:${statSync(join('/etc/ppp', f)).mtimeMs}`).sort() : [])

describe.skipIf(missing)(`two real BusyBox shells on two PTYs in parallel${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('two engine sessions run commands at the same time: every output is exact and neither transcript holds a byte of the other shell', async () => {
    const [a, b] = await Promise.all([startShell('slot-alpha'), startShell('slot-bravo')])
    const [ca, cb] = await Promise.all([connect({ port: a.path }), connect({ port: b.path })])
    consoles.push(ca, cb)
    await Promise.all([ca.session.attach({ timeout: 20_000 }), cb.session.attach({ timeout: 20_000 })])
    const finished: string[] = []
    const drive = async (c: Console, marker: string) => {
      const got: Array<{ output: string; status: number }> = []
      for (const { command } of batch(marker, 30)) {
        const r = await c.session.run(command, { timeout: 20_000 })
        got.push({ output: r.output, status: r.status })
        finished.push(marker)
      }
      return got
    }
    const [ra, rb] = await Promise.all([drive(ca, a.marker), drive(cb, b.marker)])
    expect(ra).toEqual(batch(a.marker, 30).map((x) => ({ output: x.output, status: 0 })))
    expect(rb).toEqual(batch(b.marker, 30).map((x) => ({ output: x.output, status: 0 })))
    const text = (c: Console) => c.transcript.entries().map((e) => e.text).join('')
    expect(text(ca)).toContain(`${a.marker}-29-200\n`)
    expect(text(cb)).toContain(`${b.marker}-29-200\n`)
    expect(text(ca)).not.toContain('slot-bravo')
    expect(text(cb)).not.toContain('slot-alpha')
    expect(finished.indexOf(b.marker), 'the sessions ran at the same time').toBeLessThan(finished.lastIndexOf(a.marker))
    expect(finished.indexOf(a.marker), 'the sessions ran at the same time').toBeLessThan(finished.lastIndexOf(b.marker))
  })

  it('`run --port A --port B` brings both shells up as two slots at once: one record each, in slot order, each holding only its own shell', async () => {
    const before = etcPpp()
    const [a, b] = await Promise.all([startShell('slot-one-shell'), startShell('slot-two-shell')])
    const dir = mkdtempSync(join(tmpdir(), 'k230-bbslot-run-'))
    const io = memoryIo(dir)
    const code = await main(['run', '--port', a.path, '--port', b.path, '--out', 'records', '--json', '--unit', 'BB-1', '--unit', 'BB-2'], io)
    const records = JSON.parse(io.out()) as RunRecord[]
    expect(records.map((r) => [r.unit.serial, r.station.port])).toEqual([
      ['BB-1', a.path],
      ['BB-2', b.path],
    ])
    for (const [i, record] of records.entries()) {
      const own = [a, b][i].marker
      const other = [b, a][i].marker
      const transcript = record.transcript.map((e) => e.text).join('')
      expect(record.steps[0], io.err()).toMatchObject({ id: 'console', verdict: 'pass' })
      expect(transcript).toContain(`Linux ${own} 5.10.4`)
      expect(transcript).not.toContain(other)
      expect(record.steps.find((s) => s.id === 'usb')?.verdict, 'a host PC has no EC200A on its USB').not.toBe('pass')
      expect(record.verdict).not.toBe('pass')
    }
    expect(code).toBe(records.map((r) => r.verdict).includes('error') ? 3 : 1)
    expect(io.err()).toMatch(new RegExp(`\\n1 +${a.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +BB-1 +(FAIL|ERROR) `))
    const files = readdirSync(join(dir, 'records')).filter((f) => f.endsWith('.json') && f !== 'index.json').sort()
    expect(files.map((f) => f.split('_')[0])).toEqual(['BB-1', 'BB-2'])
    expect(etcPpp(), 'the host /etc/ppp is untouched (each shell wrote its own tmpfs /etc)').toEqual(before)
  })
})
