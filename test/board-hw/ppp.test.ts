import { afterEach, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClock } from '@board/clock'
import { loadScenario } from '@board/scenarios/index'
import { createModemNv, Ec200aModem } from '@board/hardware/modem/ec200a'
import { tokenizeOptionsFile } from '@board/commands/hw/ppp-options'
import { cleanChatString, tokenizeChatFile } from '@board/commands/hw/chat'
import { createStubBoard, waitUntil } from './stub-board'
import { hasSocat } from './drive'
import { CHAT_CONNECT, PEERS_QUECTEL_PPPD } from './fixtures/reference-ppp'

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

/** Runs our chat applet against a fresh modem, as pppd would (chat talking to pppd's open ttyUSB2). */
async function boardChat(
  script: string,
  scenario = 'healthy',
): Promise<{ status: number; log: string }> {
  const board = createStubBoard(scenario, 0.05)
  board.services.fs.writeFile('/tmp/script', script)
  const handle = board.hw.ports.get('/dev/ttyUSB2')!.open()
  board.hw.chatLine = handle
  const r = await board.run(['chat', '-s', '-v', '-f', '/tmp/script'])
  handle.close()
  return { status: r.status, log: r.stderr }
}

/** Runs Debian's /usr/sbin/chat against the same modem model on a PTY (the reference implementation of the log). */
async function realChat(
  script: string,
  scenario = 'healthy',
): Promise<{ status: number; log: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-chat-'))
  const link = join(dir, 'ttyUSB2')
  writeFileSync(join(dir, 'script'), script)
  const socat = spawn('socat', [`PTY,raw,echo=0,link=${link}`, 'STDIO'], {
    stdio: ['pipe', 'pipe', 'ignore'],
  })
  children.push(socat)
  const s = loadScenario(scenario)
  const modem = new Ec200aModem(s.modem, createModemNv(s.modem), {
    clock: createClock(0.05),
    emit: (text) => socat.stdin!.write(Buffer.from(text, 'latin1')),
    usbDetach: () => undefined,
    usbAttach: () => undefined,
    dataCall: () => undefined,
  })
  socat.stdout!.on('data', (chunk: Buffer) => modem.receive(chunk))
  await waitUntil(() => existsSync(link), 'the PTY')
  return new Promise((resolve) => {
    const chat = spawn(
      'sh',
      ['-c', `exec /usr/sbin/chat -s -v -f "$0" <"$1" >"$1"`, join(dir, 'script'), link],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    children.push(chat)
    let log = ''
    chat.stderr!.on('data', (b: Buffer) => (log += b.toString()))
    chat.on('close', (code) => resolve({ status: code ?? -1, log }))
  })
}

const canCompare = hasSocat() && existsSync('/usr/sbin/chat')

describe('chat', () => {
  it('reads chat files like chat’s do_file (comments, quotes, backslashes kept for clean())', () => {
    expect(
      tokenizeChatFile(
        '# comment\nABORT "NO CARRIER"\n"" AT\nOK \'AT+CGDCONT=1,"IP","x"\'\nSAY "\\nhi\\n"\n',
      ),
    ).toEqual(['ABORT', 'NO CARRIER', '', 'AT', 'OK', 'AT+CGDCONT=1,"IP","x"', 'SAY', '\\nhi\\n'])
    expect(cleanChatString('AT', true)).toBe('AT\r')
    expect(cleanChatString('+++\\c', true)).toBe('+++')
    expect(cleanChatString('\\nGoodbye\\n', false)).toBe('\nGoodbye\n')
    expect(cleanChatString('^C', false)).toBe('\x03')
  })

  it.skipIf(!canCompare)(
    'prints the same -v log and exit status as Debian’s chat for the connect script (needs socat and ppp)',
    async () => {
      const script = CHAT_CONNECT.replace('"3gnet"', '"CMNET"')
      const ours = await boardChat(script)
      const theirs = await realChat(script)
      expect(ours.status).toBe(0)
      expect(ours).toEqual(theirs)
    },
  )

  it.skipIf(!canCompare)(
    'fails like Debian’s chat on a wrong APN (NO CARRIER abort, exit 5) and on a timeout (exit 3)',
    async () => {
      const wrongApn = CHAT_CONNECT.replace('"3gnet"', '"nosuchapn"')
      const ours = await boardChat(wrongApn)
      expect(ours.status).toBe(5)
      expect(ours).toEqual(await realChat(wrongApn))
      const timeout = 'TIMEOUT 2\n"" AT\nNEVER ATI\n'
      const oursT = await boardChat(timeout)
      expect(oursT.status).toBe(3)
      expect(oursT).toEqual(await realChat(timeout))
    },
  )

  it('reports a missing chat file and exits 1', async () => {
    const board = createStubBoard()
    const r = await board.run(['chat', '-s', '-v', '-f', '/etc/ppp/peers/quectel-chat-connect'])
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(
      '/etc/ppp/peers/quectel-chat-connect -- open failed: No such file or directory\n',
    )
  })
})

describe('pppd', () => {
  it('reads options files like pppd (comments, quotes, escapes)', () => {
    expect(tokenizeOptionsFile(PEERS_QUECTEL_PPPD).slice(0, 8)).toEqual([
      '/dev/ttyUSB2',
      '115200',
      'user',
      'test',
      'password',
      'test',
      'connect',
      'chat -s -v -f /etc/ppp/peers/quectel-chat-connect',
    ])
    expect(tokenizeOptionsFile('a "b c" \'d e\' f\\ g # no\nh')).toEqual([
      'a',
      'b c',
      'd e',
      'f g',
      'h',
    ])
  })

  it('names a missing peers file, an unknown option, and a kernel without PPP like pppd', async () => {
    const board = createStubBoard()
    let r = await board.run(['pppd', 'call', 'nosuch'])
    expect(r.stderr).toBe(
      "pppd: Can't open options file /etc/ppp/peers/nosuch: No such file or directory\n",
    )
    expect(r.status).toBe(2)
    board.services.fs.writeFile('/etc/ppp/peers/bad', '/dev/ttyUSB2 115200\nfrobnicate\n')
    r = await board.run(['pppd', 'call', 'bad'])
    expect(r.stderr).toBe("pppd: In file /etc/ppp/peers/bad: unrecognized option 'frobnicate'\n")
    board.services.state.kernelPpp = false
    r = await board.run(['pppd', '/dev/ttyUSB2', 'nodetach'])
    expect(r.status).toBe(4)
    expect(r.stderr).toContain('pppd: This system lacks kernel support for PPP.')
  })

  it('fails to open an absent device (exit 7)', async () => {
    const r = await createStubBoard('no-option-vidpid').run([
      'pppd',
      '/dev/ttyUSB2',
      '115200',
      'nodetach',
    ])
    expect(r.stdout).toBe('Failed to open /dev/ttyUSB2: No such file or directory\n')
    expect(r.status).toBe(7)
  })

  it('hides the PAP password unless show-password, and times out LCP when the connect script never dialled', async () => {
    const board = createStubBoard('healthy', 0.0005)
    board.services.fs.writeFile('/tmp/nodial', '"" AT\nOK\n')
    const r = await board.run([
      'pppd',
      '/dev/ttyUSB2',
      'connect',
      'chat -f /tmp/nodial',
      'nodetach',
      'debug',
    ])
    expect(r.stdout).toContain('Serial connection established.\n')
    expect(r.stdout.match(/sent \[LCP ConfReq id=0x[0-9a]+ /g)).toHaveLength(10)
    expect(r.stdout).toContain('LCP: timeout sending Config-Requests\nConnection terminated.\n')
    expect(r.status).toBe(10)
  })

  it('brings ppp0 up, writes /etc/ppp/resolv.conf, and ends with Terminating on signal 15 when killed', async () => {
    const board = createStubBoard()
    board.services.fs.writeFile('/tmp/dial', CHAT_CONNECT)
    const running = board.run([
      'pppd',
      '/dev/ttyUSB2',
      '115200',
      'user',
      'u',
      'password',
      'secret',
      'show-password',
      'connect',
      'chat -s -v -f /tmp/dial',
      'nodetach',
      'debug',
      'usepeerdns',
      'defaultroute',
      'lock',
    ])
    await waitUntil(() => board.hw.net.get('ppp0') !== undefined, 'ppp0')
    expect(board.services.fs.readText('/etc/ppp/resolv.conf')).toBe(
      'nameserver 183.230.126.225\nnameserver 183.230.126.224\n',
    )
    expect(board.hw.net.routeTable()[0]).toMatchObject({ dest: '0.0.0.0', iface: 'ppp0' })
    const second = await board.run(['pppd', '/dev/ttyUSB2', 'nodetach', 'lock'])
    expect(second.stdout).toMatch(/^Device ttyUSB2 is locked by pid \d+\n$/)
    expect(board.services.processes.byName('pppd').length).toBe(1)
    for (const p of board.services.processes.byName('pppd')) p.kill(15)
    const r = await running
    expect(r.stdout).toContain('sent [PAP AuthReq id=0x1 user="u" password="secret"]')
    expect(r.stdout).toContain('Terminating on signal 15\n')
    expect(r.stdout).toContain('Connection terminated.\n')
    expect(r.status).toBe(5)
    expect(board.hw.net.get('ppp0')).toBeUndefined()
    expect(board.hw.modem.inDataMode).toBe(false)
  })

  it('reports Modem hangup when the module resets under a running PPP link', async () => {
    const board = createStubBoard('healthy', 0.02)
    board.services.fs.writeFile('/tmp/dial', CHAT_CONNECT)
    let ended: { stdout: string; status: number } | undefined
    const running = board.run(['pppd', '/dev/ttyUSB2', 'connect', 'chat -f /tmp/dial', 'nodetach']).then((r) => (ended = r))
    await waitUntil(() => board.hw.net.get('ppp0') !== undefined || ended !== undefined, 'ppp0')
    expect(ended, `pppd ended before ppp0 came up:\n${ended?.stdout}`).toBeUndefined()
    board.hw.usb.detach()
    const r = await running
    expect(r.stdout).toContain('Modem hangup\n')
    expect(r.status).toBe(16)
    expect(board.hw.net.get('ppp0')).toBeUndefined()
  })
})
