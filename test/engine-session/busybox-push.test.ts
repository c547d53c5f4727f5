import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connect, type Console } from '@engine/console'
import { pushFile, PushError } from '@engine/push/index'
import type { RunResult, ShellSession } from '@engine/session/types'
import type { BusyBoxSession } from '@engine/session/shell-session'
import { busyboxMissing, startBusyBox, type BusyBoxPty } from './helpers/busybox-pty'

const missing = busyboxMissing()
const open: { bb: BusyBoxPty; c: Console }[] = []

async function start() {
  const bb = await startBusyBox()
  const c = await connect({ port: bb.path })
  open.push({ bb, c })
  await c.session.attach({ timeout: 20_000 })
  return { bb, c }
}

afterEach(async () => {
  for (const { bb, c } of open.splice(0)) {
    await c.close()
    await bb.close()
  }
})

/** A session whose first `corrupt` batch commands lose a character of their encoded payload, as a noisy line would. */
function lossySession(session: BusyBoxSession, corrupt: number, pipelined = false): ShellSession & { corrupted: number } {
  const damage = (command: string) => {
    if (proxy.corrupted >= corrupt || !command.includes("<<'K230EOF'")) return command
    proxy.corrupted++
    const lines = command.split('\n')
    const at = lines.findIndex((l) => l.includes("<<'K230EOF'")) + 1
    lines[at] = lines[at].slice(0, 10) + lines[at].slice(11)
    return lines.join('\n')
  }
  const proxy = {
    corrupted: 0,
    runPipelined: pipelined
      ? (next: (done: RunResult[]) => string | null, options?: { timeout?: number }) =>
          session.runPipelined((done) => {
            const command = next(done)
            return command === null ? null : damage(command)
          }, options)
      : undefined,
    maxLine: session.maxLine,
    attach: session.attach.bind(session),
    detach: session.detach.bind(session),
    on: session.on.bind(session),
    run(command: string, options?: Parameters<ShellSession['run']>[1]) {
      return session.run(damage(command), options)
    },
  }
  return proxy
}

const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i)
const fewKb = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff)

describe.skipIf(missing)(`file push to a real BusyBox shell${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('pushes a few-KB file and one with every byte value, verified with md5sum, with the requested mode', async () => {
    const { bb, c } = await start()
    const a = await pushFile(c.session, join(bb.dir, 'few-kb.bin'), fewKb, { mode: 0o755 })
    expect(a).toMatchObject({ method: 'base64', verified: 'md5', bytes: 5000, retries: 0 })
    expect(readFileSync(join(bb.dir, 'few-kb.bin')).equals(Buffer.from(fewKb))).toBe(true)
    expect(statSync(join(bb.dir, 'few-kb.bin')).mode & 0o777).toBe(0o755)
    const b = await pushFile(c.session, join(bb.dir, 'all bytes.bin'), everyByte)
    expect(b.method).toBe('base64')
    expect(readFileSync(join(bb.dir, 'all bytes.bin')).equals(Buffer.from(everyByte))).toBe(true)
    expect(await c.session.run(`ls ${bb.dir}`)).toMatchObject({ output: expect.not.stringMatching(/k230push|k230part/) })
  })

  it('uses printf octal escapes when asked (boards without base64) and still gets every byte right', async () => {
    const { bb, c } = await start()
    const r = await pushFile(c.session, join(bb.dir, 'printf.bin'), everyByte, { encoding: 'printf' })
    expect(r.method).toBe('printf')
    expect(readFileSync(join(bb.dir, 'printf.bin')).equals(Buffer.from(everyByte))).toBe(true)
  })

  it('skips a file whose md5 already matches, and pushes again when it differs', async () => {
    const { bb, c } = await start()
    const path = join(bb.dir, 'same.txt')
    writeFileSync(path, 'user "test" password "test"\n')
    expect((await pushFile(c.session, path, 'user "test" password "test"\n')).method).toBe('skipped')
    expect((await pushFile(c.session, path, 'user "x" password "y"\n')).method).toBe('base64')
    expect(readFileSync(path, 'utf8')).toBe('user "x" password "y"\n')
  })

  it.each([false, true])('retries a batch that arrived damaged (pipelined: %s)', async (pipelined) => {
    const { bb, c } = await start()
    const lossy = lossySession(c.session, 2, pipelined)
    const r = await pushFile(lossy, join(bb.dir, 'retry.bin'), fewKb)
    expect(lossy.corrupted).toBe(2)
    expect(r.retries).toBe(2)
    expect(readFileSync(join(bb.dir, 'retry.bin')).equals(Buffer.from(fewKb))).toBe(true)
  })

  it('leaves the old file untouched when the push cannot be verified, and says why', async () => {
    const { bb, c } = await start()
    const path = join(bb.dir, 'keep.conf')
    writeFileSync(path, 'old content\n')
    const error = await pushFile(lossySession(c.session, 99, true), path, fewKb, { retries: 1 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PushError)
    expect((error as PushError).message).toMatch(/keep\.conf.*did not verify/)
    expect(readFileSync(path, 'utf8')).toBe('old content\n')
    expect((await c.session.run(`ls -a ${bb.dir}`)).output).not.toMatch(/k230push|k230part/)
  })

  it('refuses relative paths and paths with newlines before touching the board', async () => {
    const { c } = await start()
    await expect(pushFile(c.session, 'etc/ppp/x', 'a')).rejects.toThrow(/absolute/)
    await expect(pushFile(c.session, '/tmp/a\nb', 'a')).rejects.toThrow(/newline/)
  })

  it.each(['base64', 'printf'] as const)('a secret file pushed by %s leaves only a placeholder in the journal and the transcript, and the file on the board is exact', async (encoding) => {
    const bb = await startBusyBox()
    const journalPath = join(bb.dir, 'console.jsonl')
    const c = await connect({ port: bb.path, journalPath })
    open.push({ bb, c })
    await c.session.attach({ timeout: 20_000 })
    const content = 'user "test" password "OK"\nQL_PASSWORD=\'OK\'\n'
    const path = join(bb.dir, 'secret-peer')
    await pushFile(c.session, path, content, { encoding, secret: true, force: true })
    const after = await c.session.run('echo OK done')
    expect(after.output).toContain('OK done')
    expect(readFileSync(path, 'utf8')).toBe(content)
    c.transcript.sync()
    const texts = [readFileSync(journalPath, 'latin1'), c.transcript.entries().map((e) => e.text).join('')]
    const payload = encoding === 'base64' ? Buffer.from(content).toString('base64').slice(0, 24) : 'QL_PASSWORD=\\047OK'
    for (const text of texts) {
      expect(text).toContain(`secret file ${path}: payload not recorded`)
      expect(text).not.toContain(payload)
      expect(text).not.toContain('password "OK"')
      expect(text).toContain('OK done')
    }
  })
})
