import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VirtualBoardHandle } from '@board/board'
import { hasTool, PROMPT, run, startPtyBoard, type Terminal } from './harness'

const socat = hasTool('socat')

describe.skipIf(!socat)('virtual board console through real serialport on the PTY (needs socat)', () => {
  let term: Terminal
  let stop: () => Promise<void>
  let board: VirtualBoardHandle
  let bootEnd = 0

  beforeAll(async () => {
    const started = await startPtyBoard({ scenario: 'healthy', seed: 7 })
    board = started.board
    term = started.term
    stop = started.stop
    bootEnd = await term.capture.waitFor(PROMPT, 0, 20_000)
  })
  afterAll(async () => stop?.())

  it('prints U-Boot, a timestamped kernel boot log with the USB enumeration, init, then the prompt with a cursor query', () => {
    const boot = term.capture.text.slice(0, bootEnd)
    expect(boot).toContain('U-Boot SPL 2022.10')
    expect(boot).toMatch(/\r\n\[ {4}0\.000000\] Linux version 5\.10\.4 /)
    expect(boot).toMatch(/\r\n\[ {4}3\.1\d{5}\] usb 1-1: New USB device found, idVendor=2c7c, idProduct=6005/)
    expect(boot).toContain('Starting network: OK\r\n')
    expect(boot.endsWith('\r\n[root@canaan ~ ]# \x1b[6n')).toBe(true)
  })

  it('echoes typed characters and answers with CRLF line ends', async () => {
    const start = term.capture.text.length
    const out = await run(term, 'echo hello   world')
    expect(term.capture.text.slice(start)).toMatch(/^echo hello {3}world\r\n/)
    expect(out).toBe('hello world\r\n')
  })

  it('accepts the terminal reply to ESC[6n without leaking it into the command line', async () => {
    await term.write('\x1b[5;19R')
    expect(await run(term, 'echo after-reply')).toBe('after-reply\r\n')
  })

  it('erases with backspace like BusyBox lineedit (\\b ESC[J)', async () => {
    const start = term.capture.text.length
    const out = await run(term, 'echo abcx\x7f\x7fd')
    expect(term.capture.text.slice(start)).toContain('echo abcx\b\x1b[J\b\x1b[Jd\r\n')
    expect(out).toBe('abd\r\n')
  })

  it('Ctrl-C clears a typed line and interrupts a running command with status 130', async () => {
    let start = term.capture.text.length
    await term.write('echo never')
    await term.capture.waitFor('echo never', start)
    await term.write('\x03')
    await term.capture.waitFor('^C\r\n' + PROMPT, start)
    expect(term.capture.text.slice(start)).not.toContain('never\r\n')
    start = term.capture.text.length
    await term.write('sleep 600\r')
    await term.capture.waitFor('sleep 600\r\n', start)
    await term.write('\x03')
    await term.capture.waitFor('^C\r\n' + PROMPT, start)
    expect(await run(term, 'echo $?')).toBe('130\r\n')
  })

  it('wraps the echo at 80 columns with \\r\\r\\n like HACK_FOR_WRONG_WIDTH', async () => {
    const start = term.capture.text.length
    const line = 'echo ' + 'a'.repeat(70)
    const out = await run(term, line)
    const echoed = term.capture.text.slice(start)
    expect(echoed.startsWith(line.slice(0, 62) + '\r\r\n' + line.slice(62) + '\r\n')).toBe(true)
    expect(out).toBe('a'.repeat(70) + '\r\n')
  })

  it('drops characters beyond the 1024-byte command line silently', async () => {
    const start = term.capture.text.length
    await run(term, 'echo ' + 'x'.repeat(1100))
    const seen = term.capture.text.slice(start)
    expect(seen.endsWith('\r\n' + 'x'.repeat(1022 - 5) + '\r\n' + PROMPT)).toBe(true)
    expect(seen.split('x').length - 1).toBe(2 * (1022 - 5))
  })

  it('prints a kernel message written to /dev/kmsg by a running command between that command\'s own lines', async () => {
    const start = term.capture.text.length
    await term.write(`echo first; until [ -e /tmp/go ]; do sleep 0.01; done; echo '<4>usb 1-1: USB disconnect, device number 2' > /dev/kmsg; until [ -e /tmp/go2 ]; do sleep 0.01; done; echo last\r`)
    await term.capture.waitFor('\r\nfirst\r\n', start)
    board.services.fs.writeFile('/tmp/go', '')
    const kernelLine = /\[\s*\d+\.\d{6}\] usb 1-1: USB disconnect, device number 2\r\n/
    await term.capture.waitFor(kernelLine, start)
    board.services.fs.writeFile('/tmp/go2', '')
    const end = await term.capture.waitFor('\r\nlast\r\n' + PROMPT, start)
    const seen = term.capture.text.slice(start, end)
    const kernel = seen.search(kernelLine)
    expect(kernel).toBeGreaterThan(seen.indexOf('\r\nfirst\r\n'))
    expect(kernel).toBeLessThan(seen.indexOf('\r\nlast\r\n'))
    await run(term, 'rm /tmp/go /tmp/go2')
  })

  it('sends a printk ahead of tty output already queued on the line, splicing it into a long cat', async () => {
    await run(term, 'seq 1 400 > /tmp/numbers')
    const start = term.capture.text.length
    await term.write('cat /tmp/numbers\r')
    await term.capture.waitFor('\r\n50\r\n', start)
    board.services.klog('usb 1-1: USB disconnect, device number 2', 0)
    const end = await term.capture.waitFor('\r\n400\r\n' + PROMPT, start)
    const seen = term.capture.text.slice(start, end)
    const kernel = seen.search(/\[\s*\d+\.\d{6}\] usb 1-1: USB disconnect, device number 2\r\n/)
    expect(kernel).toBeGreaterThan(seen.indexOf('\r\n50\r\n'))
    expect(kernel).toBeLessThan(seen.indexOf('\r\n400\r\n'))
  })

  it('writes a file from an interactively typed here-document (PS2 prompts) and checks it with md5sum', async () => {
    const body = ['#!/bin/sh', '# /etc/ppp/ip-up', 'echo nameserver $DNS1 > /etc/resolv.conf', "echo 'single $quoted'"]
    const start = term.capture.text.length
    await term.write("cat > /tmp/ip-up <<'EOF'\r")
    for (const line of body) {
      await term.capture.waitFor('> \x1b[6n', term.capture.text.length - 4)
      await term.write(line + '\r')
    }
    await term.write('EOF\r')
    await term.capture.waitFor(PROMPT, start)
    expect(term.capture.text.slice(start).split('\r\n> \x1b[6n').length).toBe(body.length + 2)
    expect(await run(term, 'cat /tmp/ip-up')).toBe(body.join('\r\n') + '\r\n')
    const md5 = createHash('md5').update(body.join('\n') + '\n').digest('hex')
    expect(await run(term, 'md5sum /tmp/ip-up')).toBe(`${md5}  /tmp/ip-up\r\n`)
  })

  it('decodes base64 into a binary file whose md5sum matches Node crypto', async () => {
    const data = randomBytes(700)
    const lines = data.toString('base64').match(/.{1,76}/g) as string[]
    expect(await run(term, 'rm -f /tmp/blob.b64')).toBe('')
    for (const chunk of lines) expect(await run(term, `echo ${chunk} >> /tmp/blob.b64`)).toBe('')
    expect(await run(term, 'base64 -d /tmp/blob.b64 > /tmp/blob; echo $?')).toBe('0\r\n')
    const md5 = createHash('md5').update(data).digest('hex')
    expect(await run(term, 'md5sum /tmp/blob')).toBe(`${md5}  /tmp/blob\r\n`)
    expect(await run(term, 'wc -c < /tmp/blob')).toBe('700\r\n')
  })

  it('decompresses the kernel config from /proc/config.gz with zcat', async () => {
    expect(await run(term, 'zcat /proc/config.gz | grep "^CONFIG_PPP="')).toBe('CONFIG_PPP=y\r\n')
  })

  it('reports unknown commands with sh: X: not found and status 127', async () => {
    expect(await run(term, 'frobnicate --now; echo $?')).toBe('sh: frobnicate: not found\r\n127\r\n')
  })

  it('runs a script with positional arguments, and refuses it before chmod', async () => {
    await run(term, "printf '%s\\n' '#!/bin/sh' 'echo \"args=$# dev=$1 apn=$2\"' 'if [ $# -ge 2 ]; then echo two; else echo fewer; fi' > /tmp/dial.sh")
    expect(await run(term, '/tmp/dial.sh /dev/ttyUSB2 CMNET; echo $?')).toBe('sh: /tmp/dial.sh: Permission denied\r\n126\r\n')
    expect(await run(term, 'chmod a+x /tmp/dial.sh && /tmp/dial.sh /dev/ttyUSB2 CMNET')).toBe('args=2 dev=/dev/ttyUSB2 apn=CMNET\r\ntwo\r\n')
    expect(await run(term, 'sh /tmp/dial.sh only')).toBe('args=1 dev=only apn=\r\nfewer\r\n')
  })

  it('mounts debugfs once and reports the real error on a second mount', async () => {
    expect(await run(term, 'mount -t debugfs none /sys/kernel/debug/; echo $?')).toBe('0\r\n')
    expect(await run(term, 'mount -t debugfs none /sys/kernel/debug/; echo $?')).toBe('mount: mounting none on /sys/kernel/debug/ failed: Device or resource busy\r\n255\r\n')
  })

  it('keeps /etc and clears /tmp across a reboot', async () => {
    expect(await run(term, 'echo kept > /etc/marker; echo lost > /tmp/marker; sync')).toBe('')
    const start = term.capture.text.length
    await term.write('reboot\r')
    await term.capture.waitFor('Requesting system reboot', start)
    await term.capture.waitFor(/Linux version 5\.10\.4/, start)
    await term.capture.waitFor(PROMPT, start, 20_000)
    expect(await run(term, 'cat /etc/marker')).toBe('kept\r\n')
    expect(await run(term, 'cat /tmp/marker; echo $?')).toBe("cat: can't open '/tmp/marker': No such file or directory\r\n1\r\n")
  })
})

describe.skipIf(!socat)('login and faults through the PTY (needs socat)', () => {
  it('asks canaan login:, accepts root without a password, refuses other users', async () => {
    const { term, stop } = await startPtyBoard({ login: true })
    try {
      await term.capture.waitFor('Welcome to Buildroot\r\ncanaan login: ', 0, 20_000)
      let start = term.capture.text.length
      await term.write('admin\r')
      await term.capture.waitFor('admin\r\nPassword: ', start)
      await term.write('secret\r')
      await term.capture.waitFor('\r\nLogin incorrect\r\ncanaan login: ', start)
      expect(term.capture.text.slice(start)).not.toContain('secret')
      start = term.capture.text.length
      await term.write('root\r')
      await term.capture.waitFor('root\r\n' + PROMPT, start)
      expect(await run(term, 'id')).toBe('uid=0(root) gid=0(root) groups=0(root)\r\n')
    } finally {
      await stop()
    }
  })

  it('gives Read-only file system errors on the readonly-rootfs scenario, while /tmp stays writable', async () => {
    const { term, stop } = await startPtyBoard({ scenario: 'readonly-rootfs' })
    try {
      await term.capture.waitFor(PROMPT, 0, 20_000)
      expect(await run(term, 'echo x > /etc/ppp-test; echo $?')).toBe("sh: can't create /etc/ppp-test: Read-only file system\r\n1\r\n")
      expect(await run(term, 'mkdir -p /etc/ppp/peers')).toBe("mkdir: can't create directory '/etc/ppp': Read-only file system\r\n")
      expect(await run(term, 'touch /root/a')).toBe('touch: /root/a: Read-only file system\r\n')
      expect(await run(term, 'echo ok > /tmp/ok && cat /tmp/ok')).toBe('ok\r\n')
      expect(await run(term, 'grep " / " /proc/mounts')).toBe('/dev/root / ext4 ro,relatime 0 0\r\n')
    } finally {
      await stop()
    }
  })
})
