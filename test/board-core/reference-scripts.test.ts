import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VirtualBoardHandle } from '@board/board'
import { hasTool, PROMPT, run, startBoard, type Terminal } from './harness'
import { IP_UP, QUECTEL_PPP_KILL, QUECTEL_PPPD_SH } from './reference-scripts'

const ARGV_PRINTER = 'pppd() { for a in "$@"; do printf "[%s]\\n" "$a"; done; }\n'

describe('the reference document scripts on the board shell', () => {
  let board: VirtualBoardHandle
  let term: Terminal
  beforeAll(async () => {
    ;({ board, term } = await startBoard())
    await term.capture.waitFor(PROMPT)
  })
  afterAll(() => board?.close())

  it('quectel-pppd.sh passes pppd exactly the arguments the real ash passes (quoting, escapes, continuations)', async () => {
    const script = ARGV_PRINTER + QUECTEL_PPPD_SH + 'wait\n'
    let ours = ''
    const status = await board.services.exec(`set -- /dev/ttyUSB2 CMNET\n${script}`, { stdout: (t) => (ours += t), stderr: (t) => (ours += t) })
    expect(status).toBe(0)
    expect(ours).toContain('apn       CMNET    # (from command line)\n')
    expect(ours).toContain(`[connect]\n[''chat -s -v ABORT BUSY ABORT "NO CARRIER" ABORT "NO DIALTONE" ABORT ERROR ABORT "NO ANSWER" TIMEOUT 30 "" AT OK ATE0 OK ATI\\;+CSUB\\;+CSQ\\;+CPIN?\\;+COPS?\\;+CGREG?\\;\\&D2 OK AT+CGDCONT=1,\\"IP\\",\\"CMNET\\",,0,0 OK ATD*99# CONNECT'']\n`)
    expect(ours).toContain('[disconnect]\n[chat -s -v ABORT ERROR ABORT "NO DIALTONE" SAY "\\nSending break to the modem\\n" "" +++ "" +++ "" +++ SAY "\\nGoodbye\\n"]\n')
    if (hasTool('busybox')) {
      const real = spawnSync('busybox', ['sh', '-c', script, 'sh', '/dev/ttyUSB2', 'CMNET'], { encoding: 'utf8' })
      expect(ours).toBe(real.stdout + real.stderr)
    }
  })

  it('runs the script typed into /etc/ppp with a here-document, by path with positional arguments', async () => {
    const start = term.capture.text.length
    await term.write(`mkdir -p /etc/ppp && cat > /etc/ppp/quectel-pppd.sh <<'EOF'\r`)
    for (const line of QUECTEL_PPPD_SH.replace(/\n$/, '').split('\n')) await term.write(line + '\r')
    await term.write('EOF\r')
    await term.capture.waitFor(PROMPT, start, 20_000)
    expect(await run(term, 'chmod a+x /etc/ppp/quectel-pppd.sh; md5sum /etc/ppp/quectel-pppd.sh | cut -c1-32')).toMatch(/^[0-9a-f]{32}\r\n$/)
    const out = await run(term, '/etc/ppp/quectel-pppd.sh  /dev/ttyUSB2 CMNET; wait')
    expect(out.startsWith('quectel-pppd options in effect:\r\ndevname   /dev/ttyUSB2    # (from command line)\r\napn       CMNET    # (from command line)\r\nuser      user   # (default)\r\npassword  passwd   # (default)\r\n')).toBe(true)
  })

  it('quectel-ppp-kill reports no pppd and exits like on a board without a running pppd', async () => {
    let out = ''
    const status = await board.services.exec(QUECTEL_PPP_KILL, { stdout: (t) => (out += t), stderr: (t) => (out += t) })
    expect(out).toBe('killall: pppd: no process killed\nkillall: pppd: no process killed\n')
    expect(status).toBe(0)
  })

  it('ip-up writes resolv.conf from DNS1/DNS2', async () => {
    let out = ''
    const status = await board.services.exec(`DNS1=1.2.3.4 DNS2=5.6.7.8; export DNS1 DNS2\n${IP_UP}\ncat /etc/resolv.conf`, { stdout: (t) => (out += t), stderr: (t) => (out += t) })
    expect(status).toBe(0)
    expect(out).toBe('nameserver 1.2.3.4\nnameserver 5.6.7.8\n')
  })
})
