import { afterEach, describe, expect, it } from 'vitest'
import { openSync, writeSync, closeSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { connect, reconnect, type Console } from '@engine/console'
import { describePort, watchPorts } from '@engine/link/index'
import { SessionError } from '@engine/session/types'
import { LinkLostError } from '@engine/link/link'
import { readJournal } from '@engine/transcript/journal'
import { busyboxMissing, startBusyBox, until, type BusyBoxPty } from './helpers/busybox-pty'

const missing = busyboxMissing()
const open: { bb?: BusyBoxPty; c?: Console }[] = []

async function start(options: Parameters<typeof startBusyBox>[0] = {}) {
  const bb = await startBusyBox(options)
  const c = await connect({ port: bb.path, journalPath: join(bb.dir, 'journal.jsonl') })
  open.push({ bb, c })
  return { bb, c }
}

/** Writes console output as if the kernel printed it: straight to the shell's terminal. */
function printOnConsole(tty: string, text: string) {
  const fd = openSync(tty, 'w')
  try {
    writeSync(fd, text)
  } finally {
    closeSync(fd)
  }
}

afterEach(async () => {
  for (const { bb, c } of open.splice(0)) {
    await c?.close()
    await bb?.close()
  }
})

describe.skipIf(missing)(`ShellSession on a real BusyBox shell${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('attaches, prepares the shell and runs commands with exact output and exit status', async () => {
    const { c } = await start()
    await c.session.attach({ timeout: 20_000 })
    expect(c.session.preparation?.echoOff).toBe(true)
    expect(c.session.state).toBe('ready')

    expect(await c.session.run('echo hello')).toMatchObject({ output: 'hello\n', status: 0 })
    expect(await c.session.run('false')).toMatchObject({ output: '', status: 1 })
    expect(await c.session.run('printf abc')).toMatchObject({ output: 'abc', status: 0 })
    expect(await c.session.run('f() { echo "two\nlines"; return 42; }; f')).toMatchObject({ output: 'two\nlines\n', status: 42 })
    const missingFile = await c.session.run('ls /nonexistent-k230')
    expect(missingFile.status).not.toBe(0)
    expect(missingFile.output).toContain('nonexistent-k230')
    expect(await c.session.run("printf '\\033[1;31mred\\033[0m\\r\\n'")).toMatchObject({ output: 'red\n', status: 0 })
  })

  it('reports a syntax error as status 2 with the shell message, and keeps working', async () => {
    const { c } = await start()
    await c.session.attach({ timeout: 20_000 })
    const r = await c.session.run('if true')
    expect(r.status).toBe(2)
    expect(r.output).toMatch(/syntax error/)
    expect(await c.session.run('echo ok')).toMatchObject({ output: 'ok\n', status: 0 })
  })

  it('survives a background job (the shell would exit under stty -echo without the subshell)', async () => {
    const { c, bb } = await start()
    await c.session.attach({ timeout: 20_000 })
    await c.session.run(`(sleep 0.2; touch ${bb.dir}/bg-done) & echo started`)
    await until(() => c.transcript.entries().length > 0 && existsFile(join(bb.dir, 'bg-done')), 10_000, 'the background job to finish')
    expect(await c.session.run('echo still-here')).toMatchObject({ output: 'still-here\n', status: 0 })
  })

  it('lifts kernel messages spliced into the middle of a command output into their own channel', async () => {
    const { c } = await start()
    await c.session.attach({ timeout: 20_000 })
    const tty = (await c.session.run('tty')).output.trim()
    const kernelLines: string[] = []
    c.session.on('kernel', (line) => kernelLines.push(line))
    const running = c.session.run("printf 'abc'; read x; printf 'def\\n'", { timeout: 10_000 })
    await until(() => c.transcript.tail(200).endsWith('abc'), 5000, 'the first half of the output')
    printOnConsole(tty, '[   12.345678] usb 1-1: USB disconnect, device number 2\r\n')
    await until(() => kernelLines.length === 1, 5000, 'the kernel line')
    await c.link.write('go\n')
    const r = await running
    expect(r).toMatchObject({ output: 'abcdef\n', status: 0 })
    expect(r.kernel).toEqual(['[   12.345678] usb 1-1: USB disconnect, device number 2'])
    expect(c.transcript.entries().filter((e) => e.dir === 'kmsg').map((e) => e.text)).toContain('[   12.345678] usb 1-1: USB disconnect, device number 2')
  })

  it('keeps dmesg-style lines in the output when asked to', async () => {
    const { c } = await start()
    await c.session.attach({ timeout: 20_000 })
    const r = await c.session.run("echo '[    3.176872] usb 1-1: New USB device found, idVendor=2c7c, idProduct=6005'", { keepKernelLines: true })
    expect(r.output).toBe('[    3.176872] usb 1-1: New USB device found, idVendor=2c7c, idProduct=6005\n')
    expect(r.kernel).toEqual([])
  })

  it('times out with Ctrl-C, recovers the prompt and reports a timeout', async () => {
    const { c } = await start()
    await c.session.attach({ timeout: 20_000 })
    const error = await c.session.run('sleep 30', { timeout: 300 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SessionError)
    expect((error as SessionError).code).toBe('timeout')
    expect(c.session.state).toBe('ready')
    expect(await c.session.run('echo recovered')).toMatchObject({ output: 'recovered\n', status: 0 })
  })

  it('attaches over a half-typed line and over a running program', async () => {
    const { c } = await start()
    await c.link.write("echo 'unterminated")
    await c.session.attach({ timeout: 20_000 })
    expect(await c.session.run('echo one')).toMatchObject({ output: 'one\n', status: 0 })
    await c.session.detach()
    await c.link.write('cat\n')
    await c.session.attach({ timeout: 20_000 })
    expect(await c.session.run('echo two')).toMatchObject({ output: 'two\n', status: 0 })
  })

  it('attaches to a shell that keeps printing (busy console) by interrupting it', async () => {
    const { c } = await start()
    await c.link.write('while true; do echo tick; sleep 0.05; done\n')
    await until(() => c.transcript.tail(100).includes('tick\ntick'), 5000, 'the busy loop to print')
    await c.session.attach({ timeout: 20_000 })
    expect(await c.session.run('echo calm')).toMatchObject({ output: 'calm\n', status: 0 })
  })

  it('logs in at a login: prompt, and reports a refused login precisely', async () => {
    const ok = await start({ login: { user: 'root', password: 's3cret pass' } })
    await ok.c.session.attach({ timeout: 20_000, username: 'root', password: 's3cret pass' })
    expect(await ok.c.session.run('echo in')).toMatchObject({ output: 'in\n', status: 0 })
    expect(JSON.stringify(ok.c.transcript.entries())).not.toContain('s3cret pass')

    const bad = await start({ login: { user: 'root', password: 'right' } })
    const error = await bad.c.session.attach({ timeout: 20_000, username: 'root', password: 'wrong' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SessionError)
    expect((error as SessionError).code).toBe('login-failed')
  })

  it('restores echo, prompt and printk level on detach', async () => {
    const host = readFileSync('/proc/sys/kernel/printk', 'utf8')
    const { c, bb } = await start()
    await c.session.attach({ timeout: 20_000 })
    expect(readFileSync(bb.printk, 'utf8').split('\t')[0]).toBe('1')
    await c.session.detach()
    expect(readFileSync(bb.printk, 'utf8')).toBe(`${bb.printkIsolated ? '7' : host.split(/\s+/)[0]}\t4\t1\t7\n`)
    expect(readFileSync('/proc/sys/kernel/printk', 'utf8')).toBe(host)
    expect(c.session.state).toBe('detached')
    const mark = c.transcript.tail(100000).length
    await c.link.write('echo back\n')
    await until(() => /echo back\nback\n[\s\S]*\[root@canaan ~ \]# /.test(c.transcript.tail(100000).slice(mark)), 5000, 'the echoed command, its output and the original prompt after it')
    const after = c.transcript.tail(100000).slice(mark)
    expect(after).toContain('echo back\nback\n')
  })

  it('turns a boot banner into board-rebooted and a kernel panic into kernel-panic', async () => {
    const { c } = await start()
    await c.session.attach({ timeout: 20_000 })
    const reboot = await c.session.run("echo 'U-Boot SPL 2022.10 (Nov 25 2026 - 10:00:00 +0800)'; sleep 5", { timeout: 10_000 }).catch((e: unknown) => e)
    expect((reboot as SessionError).code).toBe('board-rebooted')
    await c.session.attach({ timeout: 20_000 })
    const tty = (await c.session.run('tty')).output.trim()
    const oopses: string[] = []
    c.session.on('oops', (line) => oopses.push(line))
    const running = c.session.run('read x', { timeout: 10_000 }).catch((e: unknown) => e)
    await until(() => c.transcript.entries().length > 0, 1000, 'the command to start')
    printOnConsole(tty, '[  100.000000] Kernel panic - not syncing: Fatal exception\r\n')
    const panic = await running
    expect((panic as SessionError).code).toBe('kernel-panic')
    expect(oopses.some((l) => l.includes('Kernel panic'))).toBe(true)
  })

  it('reports an unplug once as link-lost, for the command in flight and the next one', async () => {
    const { c, bb } = await start()
    await c.session.attach({ timeout: 20_000 })
    const closes: unknown[] = []
    c.link.onClose((e) => closes.push(e))
    const running = c.session.run('sleep 20', { timeout: 30_000 }).catch((e: unknown) => e)
    await until(() => c.transcript.entries().some((e) => e.dir === 'tx' && e.text.includes('sleep 20')), 5000, 'the command to be sent')
    bb.process.kill('SIGKILL')
    const error = await running
    expect((error as SessionError).code).toBe('link-lost')
    expect(((await c.session.run('echo x').catch((e: unknown) => e)) as SessionError).code).toBe('link-lost')
    expect(closes).toHaveLength(1)
    expect(closes[0]).toBeInstanceOf(LinkLostError)
    const journal = readJournal(join(bb.dir, 'journal.jsonl'))
    expect(journal.some((l) => l.d === 'tx' && l.x.includes('sleep 20'))).toBe(true)
  })
})

function existsFile(path: string): boolean {
  try {
    readFileSync(path)
    return true
  } catch {
    return false
  }
}

describe.skipIf(missing)('reconnect after an unplug', () => {
  it('waits for the adapter to come back, re-opens it and attaches again on the same transcript', async () => {
    const { c, bb } = await start()
    await c.session.attach({ timeout: 20_000 })
    const path = bb.path
    const watcher = await watchPorts({ list: async () => (existsSync(path) ? [describePort({ path })] : []), pollMs: 20 })
    open.push({ c: { close: async () => watcher.close() } as unknown as Console })
    bb.process.kill('SIGKILL')
    await until(() => c.session.state === 'lost', 5000, 'the link loss')
    const coming = reconnect(c, { watcher, timeoutMs: 20_000 })
    const back = await startBusyBox({ path })
    const c2 = await coming
    open.push({ bb: back, c: c2 })
    await c2.session.attach({ timeout: 20_000 })
    expect(await c2.session.run('echo again')).toMatchObject({ output: 'again\n', status: 0 })
    expect(c2.transcript).toBe(c.transcript)
    expect(c2.transcript.entries().some((e) => e.dir === 'note' && /reconnected/.test(e.text))).toBe(true)
  })
})
