import { describe, expect, it } from 'vitest'
import {
  AtError,
  luhnValid,
  parseAtOutput,
  parseAti,
  parseCsq,
  parseIccid,
  parseImei,
  parseImsi,
  parseNetdevctl,
  parseOperator,
  parseRegistration,
  parseRegistrationLine,
  parseSimStatus,
  parseUsbnet,
  rssiToDbm,
  usbnetModeName,
  validateAtCommand,
  defaultAtTimeout,
} from '@engine/at'

const reply = (command: string, body: string) =>
  parseAtOutput(command, `${command}\r\r\n${body}`).response

describe('identity helpers', () => {
  it('ATI gives manufacturer, model, revision', () => {
    expect(
      parseAti(reply('ATI', 'Quectel\r\nEC200A\r\nRevision: EC200ACNDAR01A08M16\r\n\r\nOK\r\n')),
    ).toEqual({ manufacturer: 'Quectel', model: 'EC200A', revision: 'EC200ACNDAR01A08M16' })
  })
  it('IMEI: 15 digits with the Luhn check', () => {
    expect(parseImei(reply('AT+CGSN', '490154203237518\r\n\r\nOK\r\n'))).toEqual({
      imei: '490154203237518',
      luhnValid: true,
    })
    expect(parseImei(reply('AT+CGSN', '+CGSN: "490154203237519"\r\nOK\r\n'))).toEqual({
      imei: '490154203237519',
      luhnValid: false,
    })
    expect(() => parseImei(reply('AT+CGSN', '12345\r\nOK\r\n'))).toThrow(/15-digit IMEI/)
  })
  it('ICCID: 19-20 digits, F pad dropped, Luhn reported', () => {
    expect(parseIccid(reply('AT+QCCID', '+QCCID: 89014103211118510720\r\n\r\nOK\r\n'))).toEqual({
      iccid: '89014103211118510720',
      luhnValid: true,
    })
    expect(parseIccid(reply('AT+QCCID', '+QCCID: 8986001234567890123F\r\nOK\r\n')).iccid).toBe(
      '8986001234567890123',
    )
    expect(() => parseIccid(reply('AT+QCCID', '+QCCID: 123\r\nOK\r\n'))).toThrow(AtError)
  })
  it('IMSI and its MCC', () => {
    expect(parseImsi(reply('AT+CIMI', '460001234567890\r\nOK\r\n'))).toEqual({
      imsi: '460001234567890',
      mcc: '460',
      rest: '001234567890',
    })
  })
  it('a SIM error on an identity command is a command failure with its meaning', () => {
    const error = (() => {
      try {
        parseImsi(reply('AT+CIMI', '+CME ERROR: 10\r\n'))
      } catch (e) {
        return e as AtError
      }
    })()
    expect(error).toMatchObject({
      code: 'command-failed',
      message: 'AT+CIMI: +CME ERROR: 10 (SIM not inserted)',
    })
  })
  it('Luhn', () => {
    expect(luhnValid('79927398713')).toBe(true)
    expect(luhnValid('79927398710')).toBe(false)
    expect(luhnValid('12a')).toBe(false)
  })
})

describe('SIM status', () => {
  it.each([
    ['+CPIN: READY\r\nOK\r\n', 'ready'],
    ['+CPIN: SIM PIN\r\nOK\r\n', 'pin-required'],
    ['+CPIN: SIM PUK\r\nOK\r\n', 'puk-required'],
    ['+CME ERROR: 10\r\n', 'not-inserted'],
    ['+CME ERROR: 13\r\n', 'failure'],
    ['+CME ERROR: 14\r\n', 'busy'],
  ])('%j → %s', (body, state) => {
    expect(parseSimStatus(reply('AT+CPIN?', body)).state).toBe(state)
  })
  it('other errors fail the command', () => {
    expect(() => parseSimStatus(reply('AT+CPIN?', 'ERROR\r\n'))).toThrow(/AT\+CPIN\?: ERROR/)
  })
})

describe('signal quality', () => {
  it('converts rssi to dBm', () => {
    expect([0, 1, 2, 15, 30, 31, 99].map(rssiToDbm)).toEqual([
      -113,
      -111,
      -109,
      -83,
      -53,
      -51,
      undefined,
    ])
  })
  it('reads +CSQ: 31,99', () => {
    expect(parseCsq(reply('AT+CSQ', '+CSQ: 31,99\r\n\r\nOK\r\n'))).toEqual({
      rssi: 31,
      ber: 99,
      dbm: -51,
      dbmOrBetter: true,
      known: true,
      berClass: undefined,
    })
    expect(parseCsq(reply('AT+CSQ', '+CSQ: 99,99\r\nOK\r\n'))).toMatchObject({
      known: false,
      dbm: undefined,
    })
    expect(parseCsq(reply('AT+CSQ', '+CSQ: 12,3\r\nOK\r\n'))).toMatchObject({
      dbm: -89,
      berClass: 3,
    })
    expect(() => parseCsq(reply('AT+CSQ', '+CSQ: x\r\nOK\r\n'))).toThrow(/\+CSQ: <rssi>,<ber>/)
  })
})

describe('operator and registration', () => {
  it('reads +COPS: 0,0,"CHINA MOBILE",7 and the bare +COPS: 0', () => {
    expect(parseOperator(reply('AT+COPS?', '+COPS: 0,0,"CHINA MOBILE",7\r\n\r\nOK\r\n'))).toEqual({
      mode: 0,
      modeName: 'automatic',
      format: 0,
      name: 'CHINA MOBILE',
      act: 7,
      actName: 'E-UTRAN',
      selected: true,
    })
    expect(parseOperator(reply('AT+COPS?', '+COPS: 0\r\nOK\r\n'))).toMatchObject({
      mode: 0,
      selected: false,
      name: undefined,
    })
    expect(parseOperator(reply('AT+COPS?', '+COPS: 0,2,"46000",7\r\nOK\r\n'))).toMatchObject({
      format: 2,
      name: '46000',
    })
  })
  it.each([
    [
      'CREG',
      '+CREG: 0,1',
      { n: 0, stat: 1, registered: true, roaming: false, statName: 'registered, home network' },
    ],
    [
      'CGREG',
      '+CGREG: 2,5,"1A2B","01C3D4E5",7',
      {
        n: 2,
        stat: 5,
        registered: true,
        roaming: true,
        area: '1A2B',
        cellId: '01C3D4E5',
        actName: 'E-UTRAN',
      },
    ],
    ['CEREG', '+CEREG: 0,2', { stat: 2, registered: false, statName: 'searching' }],
    ['CREG', '+CREG: 0,3', { stat: 3, registered: false, statName: 'registration denied' }],
    ['CREG', '+CREG: 0,0', { stat: 0, statName: 'not registered' }],
    ['CREG', '+CREG: 0,4', { stat: 4, statName: 'unknown' }],
  ] as const)('%s %s', (kind, line, expected) => {
    expect(parseRegistration(reply(`AT+${kind}?`, `${line}\r\nOK\r\n`), kind)).toMatchObject(
      expected,
    )
  })
  it('reads unsolicited registration lines (stat first)', () => {
    expect(parseRegistrationLine('+CREG: 1,"1A2B","01C3D4E5",7', false)).toMatchObject({
      n: undefined,
      stat: 1,
      area: '1A2B',
      act: 7,
    })
    expect(parseRegistrationLine('+CREG: x', false)).toBeUndefined()
  })
})

describe('Quectel usbnet and QNETDEVCTL', () => {
  it('reads +QCFG: "usbnet",1 as ECM and 3 as RNDIS', () => {
    expect(parseUsbnet(reply('AT+QCFG="usbnet"', '+QCFG: "usbnet",1\r\n\r\nOK\r\n'))).toEqual({
      value: 1,
      mode: 'ecm',
    })
    expect(parseUsbnet(reply('AT+QCFG="usbnet"', '+QCFG: "usbnet",3\r\nOK\r\n'))).toEqual({
      value: 3,
      mode: 'rndis',
    })
    expect(usbnetModeName(0)).toBe('rmnet')
    expect(usbnetModeName(9)).toBe('unknown')
  })
  it('reads +QNETDEVCTL', () => {
    expect(parseNetdevctl(reply('AT+QNETDEVCTL?', '+QNETDEVCTL: 3,1,1,1\r\nOK\r\n'))).toEqual({
      values: [3, 1, 1, 1],
      op: 3,
      cid: 1,
      urcEnabled: true,
      connected: true,
    })
    expect(parseNetdevctl(reply('AT+QNETDEVCTL?', 'OK\r\n'))).toEqual({ values: [] })
  })
})

describe('command validation and timeouts', () => {
  it('refuses what could break the transport, naming the fault', () => {
    expect(() => validateAtCommand('AT+CSQ\rAT')).toThrow(
      /control or non-ASCII character \(code 13\) at position 6/,
    )
    expect(() => validateAtCommand('AT\x18')).toThrow(/code 24/)
    expect(() => validateAtCommand('reboot')).toThrow(/must start with "AT"/)
    expect(() => validateAtCommand(42)).toThrow(/must be text/)
    expect(() => validateAtCommand('AT' + 'X'.repeat(600))).toThrow(/at most 556/)
    expect(validateAtCommand(' at+csq ')).toBe('at+csq')
  })
  it('gives network commands minutes and the rest seconds', () => {
    expect(defaultAtTimeout('AT+COPS=?')).toBe(180_000)
    expect(defaultAtTimeout('AT+CSQ')).toBe(3_000)
  })
})
