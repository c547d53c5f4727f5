import { afterEach, describe, expect, it } from 'vitest'
import { connect, type Console } from '@engine/console'
import {
  createBoardAtChannel,
  readIccid,
  readImei,
  readImsi,
  readModuleInfo,
  readOperator,
  readRegistration,
  readSignalQuality,
  readSimStatus,
  readUsbnet,
  restartModule,
  setUsbnet,
  waitForModule,
  AtError,
} from '@engine/at'
import { SerialPort } from 'serialport'
import { openPtyPair } from './support/pty-pair'
import { haveTools } from './support/tools'

/** 10 board seconds of idle = 100 real ms at time-scale 0.01: room for a loaded CI machine. */
const BOARD_AT = { idleMs: 10_000 }
const open: Console[] = []
const bridges: (() => Promise<void>)[] = []

async function start(scenario: string): Promise<Console> {
  const c = await connect({ sim: { scenario, seed: 3, timeScale: 0.01, lineRate: false } })
  open.push(c)
  await c.session.attach({ timeout: 30_000 })
  return c
}

afterEach(async () => {
  for (const c of open.splice(0)) await c.close()
  for (const close of bridges.splice(0)) await close()
})

describe('typed AT helpers through the real session on the virtual board', () => {
  it('healthy: identity, SIM ready, -51 dBm, CHINA MOBILE on LTE, registered, ECM', async () => {
    const at = createBoardAtChannel((await start('healthy')).session, BOARD_AT)
    expect(await readModuleInfo(at)).toEqual({
      manufacturer: 'Quectel',
      model: 'EC200A',
      revision: 'EC200ACNDAR01A10M16',
    })
    expect(await readImei(at)).toMatchObject({ imei: '868371051234567' })
    expect((await readIccid(at)).iccid).toBe('89860022102050123456')
    expect(await readImsi(at)).toMatchObject({ imsi: '460001234567890', mcc: '460' })
    expect(await readSimStatus(at)).toEqual({ state: 'ready', detail: 'READY' })
    expect(await readSignalQuality(at)).toMatchObject({
      rssi: 31,
      ber: 99,
      dbm: -51,
      dbmOrBetter: true,
    })
    expect(await readOperator(at)).toMatchObject({
      name: 'CHINA MOBILE',
      act: 7,
      actName: 'E-UTRAN',
      selected: true,
    })
    for (const kind of ['CREG', 'CGREG', 'CEREG'] as const)
      expect(await readRegistration(at, kind)).toMatchObject({ stat: 1, registered: true })
    expect(await readUsbnet(at)).toEqual({ value: 1, mode: 'ecm' })
  })

  it('healthy: a batch goes through one microcom per command in one shell round trip', async () => {
    const at = createBoardAtChannel((await start('healthy')).session, BOARD_AT)
    const responses = await at.sendAll(['AT+CSQ', 'AT+CPIN?', 'AT+NOSUCH', 'AT+COPS?'])
    expect(responses.map((r) => r.final?.kind)).toEqual(['ok', 'ok', 'error', 'ok'])
    expect(responses[3].lines).toEqual(['+COPS: 0,0,"CHINA MOBILE",7'])
  })

  it('no-sim: SIM status is not-inserted and the IMSI read fails with the CME meaning', async () => {
    const at = createBoardAtChannel((await start('no-sim')).session, BOARD_AT)
    expect(await readSimStatus(at)).toEqual({ state: 'not-inserted', detail: 'SIM not inserted' })
    const error = (await readImsi(at).catch((e: unknown) => e)) as AtError
    expect(error).toBeInstanceOf(AtError)
    expect(error.code).toBe('command-failed')
    expect(error.message).toMatch(/AT\+CIMI: (\+CME ERROR: 10 \(SIM not inserted\)|ERROR)/)
  })

  it('no-signal: +CSQ: 99,99 reads as unknown signal, not registered', async () => {
    const at = createBoardAtChannel((await start('no-signal')).session, BOARD_AT)
    expect(await readSignalQuality(at)).toMatchObject({ rssi: 99, known: false, dbm: undefined })
    expect(await readRegistration(at, 'CEREG')).toMatchObject({
      registered: false,
      statName: 'searching',
    })
  })

  it('not-registered: good signal, registration denied', async () => {
    const at = createBoardAtChannel((await start('not-registered')).session, BOARD_AT)
    expect(await readSignalQuality(at)).toMatchObject({ rssi: 24, dbm: -65 })
    expect(await readRegistration(at, 'CEREG')).toMatchObject({
      stat: 3,
      registered: false,
      statName: 'registration denied',
    })
  })

  it.skipIf(!haveTools('socat'))(
    'healthy over a real PTY through serialport (needs socat)',
    async () => {
      const { createVirtualBoard } = await import('@board/board')
      const board = createVirtualBoard({
        scenario: 'healthy',
        seed: 3,
        timeScale: 0.01,
        lineRate: true,
      })
      const pair = await openPtyPair({ a: 'console', b: 'board' })
      const port = await new Promise<SerialPort>((resolve, reject) => {
        const p: SerialPort = new SerialPort({ path: pair.b, baudRate: 115200 }, (error) =>
          error ? reject(error) : resolve(p),
        )
      })
      const offBoard = board.onData((chunk) => port.isOpen && port.write(Buffer.from(chunk)))
      port.on('data', (chunk: Buffer) => board.write(new Uint8Array(chunk)))
      bridges.push(async () => {
        offBoard()
        await new Promise<void>((resolve) => port.close(() => resolve()))
        board.close()
        await pair.close()
      })
      const c = await connect({ port: pair.a })
      open.push(c)
      await c.session.attach({ timeout: 30_000 })
      const at = createBoardAtChannel(c.session, BOARD_AT)
      expect(await readSignalQuality(at)).toMatchObject({ rssi: 31, dbm: -51 })
      expect(await readOperator(at)).toMatchObject({ name: 'CHINA MOBILE' })
    },
  )
})

describe('module restart on the virtual board', () => {
  it('healthy: switching to RNDIS restarts the module; waitForModule waits for it instead of a fixed sleep', async () => {
    const at = createBoardAtChannel((await start('healthy')).session, BOARD_AT)
    await setUsbnet(at, 'rndis')
    await restartModule(at)
    const waited = await waitForModule(at, { timeoutMs: 20_000, pollMs: 50 })
    expect(waited.attempts).toBeGreaterThan(1)
    expect(await readUsbnet(at)).toEqual({ value: 3, mode: 'rndis' })
  })

  it('module-stuck-after-reset: waitForModule gives up naming the missing port', async () => {
    const at = createBoardAtChannel((await start('module-stuck-after-reset')).session, BOARD_AT)
    await restartModule(at)
    const error = (await waitForModule(at, { timeoutMs: 1_500, pollMs: 50 }).catch(
      (e: unknown) => e,
    )) as AtError
    expect(error).toBeInstanceOf(AtError)
    expect(error.code).toBe('timeout')
    expect(error.message).toMatch(
      /did not answer AT within 1500 ms \(\d+ attempts; last: cannot open the AT port \/dev\/ttyUSB2: No such file or directory/,
    )
  })
})
