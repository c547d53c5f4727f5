import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConsoleService } from '../../src-services/console'
import { EventHub, type SlotEventPayloads } from '../../src-services/events'
import { until } from '../engine-session/helpers/busybox-pty'

const SECRET = 'Hunter2-Secret'
const folders: string[] = []
const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function folder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  folders.push(dir)
  return dir
}

describe('the console log file goes through the one masker', () => {
  it('keeps the board output, masks the password where the PPP script prints it, and leaves out a redacted secret-file push', async () => {
    const events = new EventHub<SlotEventPayloads>()
    let screen = ''
    events.on('console:data', (t) => (screen += t))
    const svc = new ConsoleService(events, folder('k230-console-journal-'), { timeScale: 0.01 }, () => false)
    closers.push(() => svc.close())
    await svc.open({ kind: 'sim', scenario: 'healthy' })
    const logging = await svc.log(folder('k230-console-log-'))
    const connection = svc.peek()!
    connection.transcript.addSecret(SECRET)
    await svc.write('echo before-marker\r')
    await until(() => screen.includes('before-marker\r\n'), 10_000, 'the first echo')
    connection.transcript.redact('secret file /etc/ppp/peers/quectel-pppd')
    await svc.write(`echo ${Buffer.from(`password "${SECRET}"\n`).toString('base64')}\r`)
    await svc.write(`echo QL_PASSWORD=${SECRET}x\r`)
    await until(() => screen.includes(`QL_PASSWORD=${SECRET}x\r\n`), 10_000, 'the redacted echo')
    connection.transcript.redact(null)
    await svc.write("echo 'password  OKAY   # (default)'; echo after-marker\r")
    await until(() => screen.includes('after-marker\r\n'), 10_000, 'the last echo')
    await svc.log(null)
    const logged = readFileSync(logging.logFile as string, 'utf8')
    expect(logged).toContain('before-marker')
    expect(logged).toContain('after-marker')
    expect(logged).toContain('password  ********   # (default)')
    expect(logged).not.toContain(SECRET)
    expect(logged).not.toContain(Buffer.from(`password "${SECRET}"`).toString('base64').slice(0, 16))
    expect(logged).not.toContain('OKAY')
  })
})
