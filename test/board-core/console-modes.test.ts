import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { VirtualBoardHandle } from '@board/board'
import { PROMPT, run, startBoard, type Terminal } from './harness'

describe('console line discipline and shell session (in-process board)', () => {
  let board: VirtualBoardHandle
  let term: Terminal
  beforeAll(async () => {
    ;({ board, term } = await startBoard())
    await term.capture.waitFor(PROMPT)
  })
  afterAll(() => board?.close())

  it('after stty -echo reads lines with fgets: no echo, no cursor query, no 1024 limit; stty echo restores lineedit', async () => {
    const plainPrompt = '[root@canaan ~ ]# '
    let start = term.capture.text.length
    await term.write('stty -echo\r')
    await term.capture.waitFor('stty -echo\r\n' + plainPrompt, start)
    start = term.capture.text.length
    await term.write('echo quiet\r')
    await term.capture.waitFor('quiet\r\n' + plainPrompt, start)
    expect(term.capture.text.slice(start)).toBe('quiet\r\n' + plainPrompt)
    start = term.capture.text.length
    await term.write(`echo ${'z'.repeat(2000)}\r`)
    await term.capture.waitFor(plainPrompt, start)
    expect(term.capture.text.slice(start)).toBe('z'.repeat(2000) + '\r\n' + plainPrompt)
    start = term.capture.text.length
    await term.write('echo half\x03')
    await term.capture.waitFor('\r\n' + plainPrompt, start)
    start = term.capture.text.length
    await term.write('stty echo\r')
    await term.capture.waitFor(PROMPT, start)
    expect(await run(term, 'echo loud')).toBe('loud\r\n')
  })

  it('wraps at the width set by stty cols and reports it with stty size', async () => {
    expect(await run(term, 'stty cols 120; stty size')).toBe('0 120\r\n')
    const start = term.capture.text.length
    await run(term, 'echo ' + 'b'.repeat(110))
    expect(term.capture.text.slice(start).startsWith(('echo ' + 'b'.repeat(110)).slice(0, 102) + '\r\r\n')).toBe(true)
    await run(term, 'stty cols 80')
  })

  it('runs typed-ahead command lines in order', async () => {
    const start = term.capture.text.length
    await term.write('echo first\recho second\r')
    await term.capture.waitFor('second\r\n' + PROMPT, start)
    expect(term.capture.text.slice(start)).toBe(`echo first\r\nfirst\r\n${PROMPT}echo second\r\nsecond\r\n${PROMPT}`)
  })

  it('lets a command read the terminal in canonical mode, with echo and Ctrl-D as end of input', async () => {
    const start = term.capture.text.length
    await term.write('cat > /tmp/typed\r')
    await term.capture.waitFor('cat > /tmp/typed\r\n', start)
    await term.write('hello there\r')
    await term.capture.waitFor('hello there\r\n', start + 18)
    await term.write('\x04')
    await term.capture.waitFor(PROMPT, start)
    expect(await run(term, 'cat /tmp/typed')).toBe('hello there\r\n')
  })

  it('sets the console log level with dmesg -n and /proc/sys/kernel/printk', async () => {
    expect(await run(term, 'cat /proc/sys/kernel/printk')).toBe('7\t4\t1\t7\r\n')
    expect(await run(term, 'dmesg -n 1; cat /proc/sys/kernel/printk')).toBe('1\t4\t1\t7\r\n')
    expect(await run(term, "echo '<4>quiet-kernel-line' > /dev/kmsg; echo done")).toBe('done\r\n')
    expect(await run(term, 'dmesg | grep -c quiet-kernel-line')).toBe('1\r\n')
    expect(await run(term, 'echo 8 > /proc/sys/kernel/printk; cat /proc/sys/kernel/printk')).toBe('8\t4\t1\t7\r\n')
    const start = term.capture.text.length
    expect(await run(term, "echo '<4>loud-kernel-line' > /dev/kmsg")).toMatch(/^(\[\s*\d+\.\d{6}\] loud-kernel-line\r\n)?$/)
    await term.capture.waitFor('loud-kernel-line\r\n', start)
    expect(term.capture.text.slice(start).match(/\[\s*\d+\.\d{6}\] loud-kernel-line\r\n/g)).toHaveLength(1)
  })

  it('runs background jobs in the process table: ps, killall -0, killall, and the missing-process message', async () => {
    expect(await run(term, 'sleep 1000 &')).toBe('')
    expect(await run(term, 'jobs')).toBe('[1]+  Running                    sleep 1000\r\n')
    expect(await run(term, 'ps | grep -c "sleep 1000"')).toBe('1\r\n')
    expect(await run(term, 'killall -0 sleep; echo $?')).toBe('0\r\n')
    const killed = (await run(term, 'killall sleep; echo $?')) + (await run(term, 'sleep 0.05; killall -0 sleep; echo $?'))
    expect(killed.replace('[1]+  Terminated                 sleep 1000\r\n', '')).toBe('0\r\nkillall: sleep: no process killed\r\n1\r\n')
    expect(killed).toContain('[1]+  Terminated                 sleep 1000\r\n')
    expect(await run(term, 'true & sleep 0.05')).toBe('[1]+  Done                       true\r\n')
    expect(await run(term, 'timeout 0.05 sleep 10; echo $?')).toBe('143\r\n')
  })

  it('lays out ls in columns on the terminal and one per line into a pipe', async () => {
    await run(term, 'mkdir -p /tmp/l; for f in alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu; do touch /tmp/l/$f; done')
    expect(await run(term, 'ls /tmp/l')).toBe('alpha    delta    eta      iota     lambda   theta\r\nbeta     epsilon  gamma    kappa    mu       zeta\r\n')
    expect(await run(term, 'ls /tmp/l | head -n 3')).toBe('alpha\r\nbeta\r\ndelta\r\n')
    expect(await run(term, 'ls -l /tmp/l/alpha')).toMatch(/^-rw-r--r-- {4}1 root {5}root {13}0 Jan {2}1 00:\d\d \/tmp\/l\/alpha\r\n$/)
    expect(await run(term, 'ls /nope; echo $?')).toBe('ls: /nope: No such file or directory\r\n1\r\n')
  })

  it('runs a multi-line if typed interactively with PS2 and keeps the prompt path in PS1', async () => {
    const start = term.capture.text.length
    await term.write('if [ -d /tmp ]\r')
    await term.capture.waitFor('> \x1b[6n', start)
    await term.write('then echo yes\r')
    await term.capture.waitFor('> \x1b[6n', start + 20)
    await term.write('fi\r')
    await term.capture.waitFor('yes\r\n' + PROMPT, start)
    const cdStart = term.capture.text.length
    await term.write('cd /tmp\r')
    await term.capture.waitFor('[root@canaan tmp ]# \x1b[6n', cdStart)
    await run(term, 'cd ~', '[root@canaan ~ ]# \x1b[6n')
  })

  it('answers uname -a and which like the K230', async () => {
    expect(await run(term, 'uname -a')).toBe('Linux canaan 5.10.4 #1 SMP Sat Apr 27 10:04:39 CST 2024 riscv64 GNU/Linux\r\n')
    expect(await run(term, 'which sh md5sum nothere; echo $?')).toBe('/bin/sh\r\n/usr/bin/md5sum\r\n1\r\n')
  })
})

describe('board lifecycle', () => {
  const boards: VirtualBoardHandle[] = []
  afterEach(() => boards.splice(0).forEach((b) => b.close()))

  it('is deterministic for a seed: the same boot log byte for byte', async () => {
    const a = await startBoard({ scenario: 'healthy', seed: 42 })
    const b = await startBoard({ scenario: 'healthy', seed: 42 })
    boards.push(a.board, b.board)
    const endA = await a.term.capture.waitFor(PROMPT)
    const endB = await b.term.capture.waitFor(PROMPT)
    expect(a.term.capture.text.slice(0, endA)).toBe(b.term.capture.text.slice(0, endB))
    expect(a.term.capture.text).toMatch(/\[ {4}3\.16\d{4}\] usb 1-1: config 1 has an invalid interface number: 6 but max is 5/)
  })

  it('persists /etc to persistDir across board instances and ignores a corrupt persistence file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-persist-'))
    try {
      const first = await startBoard({ persistDir: dir })
      boards.push(first.board)
      await first.term.capture.waitFor(PROMPT)
      await run(first.term, 'mkdir -p /etc/ppp/peers && echo saved > /etc/ppp/peers/x && chmod 755 /etc/ppp/peers/x')
      first.board.close()
      const second = await startBoard({ persistDir: dir })
      boards.push(second.board)
      await second.term.capture.waitFor(PROMPT)
      expect(await run(second.term, 'cat /etc/ppp/peers/x; ls -l /etc/ppp/peers/x | cut -c1-10')).toMatch(/^saved\r\n/)
      expect(await run(second.term, '[ -x /etc/ppp/peers/x ] && echo exec')).toBe('exec\r\n')
      second.board.close()
      writeFileSync(join(dir, 'etc.json'), '{ not json')
      const third = await startBoard({ persistDir: dir })
      boards.push(third.board)
      await third.term.capture.waitFor(PROMPT)
      expect(await run(third.term, 'cat /etc/hostname')).toBe('canaan\r\n')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('power-cycles by itself on reboot-mid-run after the third command', async () => {
    const { board, term } = await startBoard({ scenario: 'reboot-mid-run' })
    boards.push(board)
    await term.capture.waitFor(PROMPT)
    await run(term, 'echo one')
    await run(term, 'echo two')
    const start = term.capture.text.length
    await term.write('echo three\r')
    await term.capture.waitFor('U-Boot SPL', start)
    await term.capture.waitFor('usb 1-1: New USB device found, idVendor=2c7c, idProduct=6005', start)
    await term.capture.waitFor(PROMPT, start)
  })

  it('unplugs the console after 2 KiB typed on unplug-mid-transfer', async () => {
    const { board, term } = await startBoard({ scenario: 'unplug-mid-transfer' })
    boards.push(board)
    await term.capture.waitFor(PROMPT)
    let unplugged = false
    board.onUnplug(() => (unplugged = true))
    for (let i = 0; i < 4 && !unplugged; i++) await term.write(`echo ${'0123456789abcdef'.repeat(40)}\r`)
    expect(unplugged).toBe(true)
    expect(board.plugged).toBe(false)
  })

  it('garbles or drops bytes on noisy-line', async () => {
    const { board, term } = await startBoard({ scenario: 'noisy-line', seed: 5 })
    boards.push(board)
    await term.capture.waitFor(/\[root@canaan/, 0, 10_000)
    const line = 'THE-QUICK-BROWN-FOX-JUMPS-OVER-THE-LAZY-DOG-0123456789'.repeat(3)
    const start = term.capture.text.length
    for (let i = 0; i < 3; i++) await term.write(`echo ${line}\r`)
    await term.capture.waitFor(/# /, start + 100)
    expect(term.capture.text.slice(start)).not.toContain(`\r\n${line}\r\n`.repeat(3))
  })
})
