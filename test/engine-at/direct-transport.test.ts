import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  AtError,
  createDirectAtChannel,
  readImei,
  readOperator,
  readRegistration,
  readSignalQuality,
  readSimStatus,
  type AtChannel,
  type Urc,
} from '@engine/at'
import type { Link } from '@engine/link/link'
import { openPtyPair, type PtyPair } from './support/pty-pair'
import { FakeModem, healthyModem } from './support/fake-modem'
import { openSerialLink } from './support/serial-link'
import { haveTools } from './support/tools'

/** Resolves when `check` holds, polling on the event loop; rejects after the timeout. */
async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setImmediate(resolve))
  }
}

describe.skipIf(!haveTools('socat'))(
  'direct transport: serialport on a socat PTY, the test plays the EC200A (needs socat)',
  () => {
    let pair: PtyPair
    let modem: FakeModem
    let link: Link & { unplug(): Promise<void> }
    let at: AtChannel

    beforeEach(async () => {
      pair = await openPtyPair()
      modem = await FakeModem.open(pair.b)
      link = await openSerialLink(pair.a)
      at = createDirectAtChannel(link)
    })
    afterEach(async () => {
      await at.close()
      await link.close()
      await modem.close()
      await pair.close()
    })

    it('reads typed values of a healthy module', async () => {
      expect(await readImei(at)).toEqual({ imei: '490154203237518', luhnValid: true })
      expect(await readSignalQuality(at)).toMatchObject({ rssi: 31, dbm: -51, dbmOrBetter: true })
      expect(await readOperator(at)).toMatchObject({
        mode: 0,
        format: 0,
        name: 'CHINA MOBILE',
        act: 7,
      })
      expect(await readRegistration(at, 'CREG')).toMatchObject({ stat: 1, registered: true })
      expect(modem.received).toEqual(['AT+CGSN', 'AT+CSQ', 'AT+COPS?', 'AT+CREG?'])
    })

    it('serialises concurrent sends', async () => {
      const [a, b, c] = await Promise.all([at.send('AT+CSQ'), at.send('AT+CPIN?'), at.send('ATI')])
      expect([a.lines, b.lines, c.lines[1]]).toEqual([['+CSQ: 31,99'], ['+CPIN: READY'], 'EC200A'])
    })

    it('hands URCs that arrive between commands to listeners', async () => {
      const urcs: Urc[] = []
      at.onUrc((u) => urcs.push(u))
      modem.send(
        '\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\n+QUSIM: 1\r\n\r\n+QIND: SMS DONE\r\n\r\n+CREG: 2\r\n',
      )
      await waitFor(() => urcs.length === 6)
      expect(urcs.map((u) => u.name)).toEqual(['RDY', '+CFUN', '+CPIN', '+QUSIM', '+QIND', '+CREG'])
      expect((await readSimStatus(at)).state).toBe('ready')
    })

    it('times out a silent command, then ignores its late answer and reads the next one right', async () => {
      await at.send('AT')
      let late = true
      modem.setScript((c) =>
        c === 'AT+CSQ' && late
          ? ((late = false), { lines: ['+CSQ: 5,99'], delayMs: 400 })
          : healthyModem(c),
      )
      const error = (await at.send('AT+CSQ', { timeout: 150 }).catch((e: unknown) => e)) as AtError
      expect(error).toBeInstanceOf(AtError)
      expect(error.code).toBe('timeout')
      expect(error.message).toBe('AT+CSQ: no final result within 150 ms')
      const next = await at.send('AT+CSQ')
      expect(modem.received).toEqual(['AT', 'AT+CSQ', 'AT+CSQ'])
      expect(next.lines).toEqual(['+CSQ: 31,99'])
      expect(next.noise).toEqual(['+CSQ: 5,99', 'OK'])
    })

    it("surfaces the Link's unplug as link-lost, for the pending and every later command", async () => {
      modem.setScript(() => ({ silent: true }))
      const pending = at.send('AT+CSQ', { timeout: 10_000 }).catch((e: unknown) => e)
      await waitFor(() => modem.received.length === 1)
      await link.unplug()
      const error = (await pending) as AtError
      expect(error.code).toBe('link-lost')
      await expect(at.send('AT')).rejects.toMatchObject({ code: 'link-lost' })
    })
  },
)
