import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import {
  AtError,
  createBoardAtChannel,
  dialNetdev,
  readIccid,
  readImei,
  readImsi,
  readModuleInfo,
  readNetdevctl,
  readOperator,
  readRegistration,
  readSignalQuality,
  readSimStatus,
  readUsbnet,
  setUsbnet,
  type BoardAtChannel,
  type Urc,
} from '@engine/at'
import { openPtyPair, type PtyPair } from './support/pty-pair'
import { FakeModem, healthyModem } from './support/fake-modem'
import { busyboxSession } from './support/busybox-session'
import { haveTools } from './support/tools'

const tools = haveTools('socat', 'busybox')
/** microcom's idle window in these tests: long enough for a loaded CI machine to schedule the scripted modem. */
const IDLE = 600

describe.skipIf(!tools)(
  'board transport: real BusyBox printf | microcom against a modem on a PTY (needs socat and busybox)',
  () => {
    let pair: PtyPair
    let modem: FakeModem
    let session: ReturnType<typeof busyboxSession>
    let at: BoardAtChannel
    const name = `ttyUSB2-${randomBytes(4).toString('hex')}`

    beforeAll(async () => {
      pair = await openPtyPair({ a: name })
      modem = await FakeModem.open(pair.b)
    })
    afterAll(async () => {
      await modem?.close()
      await pair?.close()
    })
    beforeEach(async () => {
      await modem.whenIdle()
      modem.setScript(healthyModem)
      modem.received.length = 0
      session = busyboxSession()
      at = createBoardAtChannel(session, { device: pair.a, idleMs: IDLE })
    })

    it('reads the identity, SIM, signal, operator and registration of a healthy module', async () => {
      expect(await readModuleInfo(at)).toEqual({
        manufacturer: 'Quectel',
        model: 'EC200A',
        revision: 'EC200ACNDAR01A08M16',
      })
      expect(await readImei(at)).toEqual({ imei: '490154203237518', luhnValid: true })
      expect((await readIccid(at)).iccid).toBe('89014103211118510720')
      expect((await readImsi(at)).mcc).toBe('460')
      expect((await readSimStatus(at)).state).toBe('ready')
      expect(await readSignalQuality(at)).toMatchObject({ rssi: 31, dbm: -51 })
      expect(await readOperator(at)).toMatchObject({ name: 'CHINA MOBILE', actName: 'E-UTRAN' })
      expect(await readRegistration(at, 'CEREG')).toMatchObject({ registered: true })
      expect(await readUsbnet(at)).toEqual({ value: 1, mode: 'ecm' })
      expect(modem.received).toEqual([
        'ATI',
        'AT+CGSN',
        'AT+QCCID',
        'AT+CIMI',
        'AT+CPIN?',
        'AT+CSQ',
        'AT+COPS?',
        'AT+CEREG?',
        'AT+QCFG="usbnet"',
      ])
      expect(session.lines[0]).toBe(
        `printf '%s\\r' 'ATI' | microcom -t ${IDLE} -s 115200 '${pair.a}'; printf '\\n%s%s\\n' ATSEP ${/ATSEP ([0-9A-F]+)/.exec(session.lines[0])![1]}`,
      )
    })

    it('sends a batch in one shell round trip and keeps the answers in order', async () => {
      const responses = await at.sendAll(['AT+CSQ', 'AT+CPIN?', 'AT+XYZ', 'AT+COPS?'])
      expect(session.lines).toHaveLength(1)
      expect(responses.map((r) => [r.command, r.final?.kind, r.lines])).toEqual([
        ['AT+CSQ', 'ok', ['+CSQ: 31,99']],
        ['AT+CPIN?', 'ok', ['+CPIN: READY']],
        ['AT+XYZ', 'error', []],
        ['AT+COPS?', 'ok', ['+COPS: 0,0,"CHINA MOBILE",7']],
      ])
    })

    it('splits a long batch under the session line limit', async () => {
      session = busyboxSession(300)
      at = createBoardAtChannel(session, { device: pair.a, idleMs: IDLE })
      const responses = await at.sendAll(Array.from({ length: 5 }, () => 'AT+CSQ'))
      expect(responses.every((r) => r.final?.kind === 'ok')).toBe(true)
      expect(session.lines.length).toBeGreaterThan(1)
      expect(session.lines.every((l) => l.length <= 300)).toBe(true)
    })

    it('reports a missing SIM as a status and keeps URCs apart', async () => {
      modem.setScript((c) =>
        c === 'AT+CPIN?'
          ? { final: '+CME ERROR: 10', urcsBefore: ['+QUSIM: 1', '+CPIN: NOT READY'] }
          : healthyModem(c),
      )
      const urcs: Urc[] = []
      at.onUrc((u) => urcs.push(u))
      expect(await readSimStatus(at)).toEqual({ state: 'not-inserted', detail: 'SIM not inserted' })
      expect(urcs.map((u) => u.raw)).toEqual(['+QUSIM: 1'])
    })

    it('delivers the URC that follows a dial', async () => {
      const urcs: Urc[] = []
      at.onUrc((u) => urcs.push(u))
      await dialNetdev(at)
      expect(modem.received).toEqual(['AT+QNETDEVCTL=3,1,1'])
      expect(urcs.map((u) => u.raw)).toEqual(['+QNETDEVSTATUS: 1'])
      expect((await readNetdevctl(at)).connected).toBe(true)
      await setUsbnet(at, 'rndis')
      expect(modem.received.at(-1)).toBe('AT+QCFG="usbnet",3')
    })

    it('passes hostile text to the modem verbatim and runs nothing on the board', async () => {
      const marker = `/tmp/k230-at-pwned-${randomBytes(4).toString('hex')}`
      const command = `AT+CGDCONT=1,"IP","it's;$(touch ${marker})\`touch ${marker}\`%s\\n"`
      modem.setScript(() => ({}))
      const response = await at.send(command)
      expect(response.final?.kind).toBe('ok')
      expect(modem.received).toEqual([command])
      expect(existsSync(marker)).toBe(false)
    })

    it('waits out a slow answer when the idle window covers it, and names the silence when it does not', async () => {
      modem.setScript((c) =>
        c === 'AT+COPS=?'
          ? { lines: ['+COPS: (1,"CHINA MOBILE","CMCC","46000",7),,(0-4),(0-2)'], delayMs: 900 }
          : healthyModem(c),
      )
      const slow = await at.send('AT+COPS=?', { idleMs: 2_000 })
      expect(slow.lines[0]).toMatch(/^\+COPS: \(1,"CHINA MOBILE"/)
      await modem.whenIdle()
      const error = await at.send('AT+COPS=?', { idleMs: 100 }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AtError)
      expect(error).toMatchObject({ code: 'timeout' })
      expect((error as AtError).message).toContain(
        'no final result before microcom went idle (100 ms of silence',
      )
    })

    it('names a hung modem as a timeout with the echo it got', async () => {
      modem.setScript(() => ({ silent: true }))
      const error = (await at.send('AT+CSQ').catch((e: unknown) => e)) as AtError
      expect(error.code).toBe('timeout')
      expect(error.response?.echoed).toBe(true)
      expect(error.response?.final).toBeUndefined()
    })

    it('names a missing port', async () => {
      const missing = createBoardAtChannel(busyboxSession(), {
        device: '/dev/ttyUSB-k230-absent',
        idleMs: 100,
      })
      await expect(missing.send('AT')).rejects.toMatchObject({
        code: 'port-missing',
        message: expect.stringContaining(
          'cannot open the AT port /dev/ttyUSB-k230-absent: No such file or directory',
        ),
      })
    })

    it('names a port locked by another program (pppd holds LCK..)', async () => {
      const lock = `/var/lock/LCK..${name}`
      const canLock = existsSync('/var/lock') || (mkdirSync('/var/lock', { recursive: true }), true)
      expect(canLock).toBe(true)
      writeFileSync(lock, '  4242\n')
      try {
        await expect(at.send('AT')).rejects.toMatchObject({
          code: 'port-busy',
          message: expect.stringContaining('locked by another program'),
        })
      } finally {
        rmSync(lock, { force: true })
      }
    })

    it('refuses a command with a line break before touching the board', async () => {
      await expect(at.send('AT+CSQ\r\nrm -rf /')).rejects.toMatchObject({ code: 'invalid-command' })
      expect(session.lines).toEqual([])
    })
  },
)
