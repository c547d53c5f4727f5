import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generatePppFiles, PppParamError, renderPppFiles, loadPppTemplates, type PppFile } from '@engine/ppp/index'
import { resolveProfile } from '@engine/profile/index'

const hasBusybox = spawnSync('busybox', ['true']).status === 0
const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0
const defaults = resolveProfile(undefined)

function file(files: PppFile[], name: string): PppFile {
  const found = files.find((f) => f.path === `/etc/ppp/${name}`)
  if (!found) throw new Error(`no ${name}`)
  return found
}

async function waitForFile(path: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8')
      if (text.endsWith('END\n')) return text
    }
    if (Date.now() > deadline) throw new Error(`${path} did not appear`)
    await new Promise((r) => setImmediate(r))
  }
}

describe('PPP file generators', () => {
  const files = generatePppFiles(defaults)

  it('generates the six files of the reference document, executable', () => {
    expect(files.map((f) => f.path)).toEqual([
      '/etc/ppp/ip-up',
      '/etc/ppp/peers/quectel-pppd',
      '/etc/ppp/peers/quectel-chat-connect',
      '/etc/ppp/peers/quectel-chat-disconnect',
      '/etc/ppp/quectel-pppd.sh',
      '/etc/ppp/quectel-ppp-kill',
    ])
    for (const f of files) expect(f.mode).toBe(0o755)
    expect(files.filter((f) => f.secret).map((f) => f.path)).toEqual(['/etc/ppp/peers/quectel-pppd', '/etc/ppp/quectel-pppd.sh'])
  })

  it('keeps the reference document text with the profile filled in', () => {
    const peers = file(files, 'peers/quectel-pppd').content
    expect(peers).toContain('\n/dev/ttyUSB2 115200\n')
    expect(peers).toContain('\nuser "test" password "test"\n')
    expect(peers).toContain("connect 'chat -s -v -f /etc/ppp/peers/quectel-chat-connect'")
    expect(file(files, 'peers/quectel-chat-connect').content).toContain('OK AT+CGDCONT=1,"IP","3gnet",,0,0\nOK ATD*99#\nCONNECT\n')
    expect(file(files, 'ip-up').content).toContain('echo nameserver $DNS1 > /etc/resolv.conf')
    expect(file(files, 'quectel-ppp-kill').content).toContain('killall -15 pppd')
    expect(file(files, 'quectel-pppd.sh').content).toContain("QL_DEVNAME='/dev/ttyUSB2'\nQL_APN='3gnet'\nQL_USER='test'\nQL_PASSWORD='test'\n")
  })

  it('is pure: same parameters, same files; templates can be passed in', () => {
    expect(generatePppFiles(defaults)).toEqual(files)
    const templates = { ...loadPppTemplates(), 'ip-up': '#!/bin/sh\n# {{DEVICE}}\n' }
    expect(file(renderPppFiles(templates, defaults), 'ip-up').content).toBe('#!/bin/sh\n# /dev/ttyUSB2\n')
  })

  it.each([
    [{ apn: '3g"net' }, 'apn'],
    [{ apn: "x'; reboot; '" }, 'apn'],
    [{ device: '/dev/ttyUSB2 115200\nplugin evil.so' }, 'device'],
    [{ password: 'a\nb' }, 'password'],
  ])('refuses an unsafe %o naming %s', (change, field) => {
    let caught: unknown
    try {
      generatePppFiles({ ...defaults, ...change })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(PppParamError)
    expect((caught as PppParamError).field).toBe(field)
  })

  it.skipIf(!hasShellcheck)('generated shell scripts have no shellcheck errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-ppp-sc-'))
    for (const name of ['ip-up', 'quectel-pppd.sh', 'quectel-ppp-kill']) {
      const path = join(dir, name)
      writeFileSync(path, file(generatePppFiles({ ...defaults, password: `it's "$HOME" \\ and \`id\`` }), name).content)
      const r = spawnSync('shellcheck', ['-s', 'sh', '-S', 'error', path], { encoding: 'utf8' })
      expect(r.status, `${name}: ${r.stdout}`).toBe(0)
    }
  })

  it.skipIf(!hasBusybox)('quectel-pppd.sh hands pppd the exact user and password, however odd, under BusyBox sh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-ppp-sh-'))
    const bin = join(dir, 'bin')
    mkdirSync(bin)
    const argsFile = join(dir, 'pppd-args')
    writeFileSync(join(bin, 'pppd'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > ${argsFile}.tmp\necho END >> ${argsFile}.tmp\nmv ${argsFile}.tmp ${argsFile}\n`)
    chmodSync(join(bin, 'pppd'), 0o755)
    const password = `p'a"s$s \\w\`o\`rd;#`
    const user = 'user name'
    const script = join(dir, 'quectel-pppd.sh')
    writeFileSync(script, file(generatePppFiles({ ...defaults, user, password, apn: 'CMNET' }), 'quectel-pppd.sh').content)
    const r = spawnSync('busybox', ['sh', script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('apn       CMNET    # (default)')
    const args = (await waitForFile(argsFile)).split('\n')
    expect(args.slice(0, 6)).toEqual(['/dev/ttyUSB2', '115200', 'user', user, 'password', password])
    expect(args).toContain('usepeerdns')
    const connect = args[args.indexOf('connect') + 1]
    expect(connect).toContain('AT+CGDCONT=1,\\"IP\\",\\"CMNET\\",,0,0')
  })
})
