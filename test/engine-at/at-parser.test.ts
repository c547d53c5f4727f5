import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  AtResponseParser,
  commandNames,
  describeFinal,
  parseAtOutput,
  parseFinalResult,
  parseUrc,
  type Urc,
} from '@engine/at'

const reference = readFileSync(
  join(__dirname, '..', 'parsers', 'fixtures', 'microcom-3.2.txt'),
  'utf8',
)

describe('final result codes', () => {
  it.each([
    ['OK', { kind: 'ok' }],
    ['ERROR', { kind: 'error' }],
    ['+CME ERROR: 10', { kind: 'cme-error', code: 10, meaning: 'SIM not inserted', text: '10' }],
    ['+CME ERROR: 3', { kind: 'cme-error', code: 3, meaning: 'operation not allowed', text: '3' }],
    [
      '+CME ERROR: 4',
      { kind: 'cme-error', code: 4, meaning: 'operation not supported', text: '4' },
    ],
    ['+CME ERROR: 11', { kind: 'cme-error', code: 11, meaning: 'SIM PIN required', text: '11' }],
    ['+CME ERROR: 13', { kind: 'cme-error', code: 13, meaning: 'SIM failure', text: '13' }],
    ['+CME ERROR: 14', { kind: 'cme-error', code: 14, meaning: 'SIM busy', text: '14' }],
    ['+CME ERROR: 30', { kind: 'cme-error', code: 30, meaning: 'no network service', text: '30' }],
    [
      '+CME ERROR: SIM not inserted',
      { kind: 'cme-error', code: 10, meaning: 'SIM not inserted', text: 'SIM not inserted' },
    ],
    [
      '+CME ERROR: 9999',
      { kind: 'cme-error', code: 9999, meaning: 'unknown error 9999', text: '9999' },
    ],
    ['+CMS ERROR: 310', { kind: 'cms-error', code: 310, meaning: 'SIM not inserted', text: '310' }],
    ['CONNECT', { kind: 'connect' }],
    ['CONNECT 150000000', { kind: 'connect', text: '150000000' }],
    ['NO CARRIER', { kind: 'no-carrier' }],
    ['BUSY', { kind: 'busy' }],
    ['NO DIALTONE', { kind: 'no-dialtone' }],
  ])('%s', (line, expected) => {
    expect(parseFinalResult(line)).toEqual(expected)
  })
  it('is not fooled by lookalikes', () => {
    for (const line of ['OKAY', '+CSQ: 31,99', 'ERRORS', 'CONNECTED', ''])
      expect(parseFinalResult(line)).toBeUndefined()
  })
  it('describes errors with their meaning', () => {
    expect(describeFinal(parseFinalResult('+CME ERROR: 10'))).toBe(
      '+CME ERROR: 10 (SIM not inserted)',
    )
    expect(describeFinal(undefined)).toBe('no final result')
    expect(describeFinal({ kind: 'no-carrier' })).toBe('NO CARRIER')
  })
})

describe('response parser', () => {
  it('separates echo, information lines and the final result (Quectel format)', () => {
    const { response } = parseAtOutput('AT+CSQ', 'AT+CSQ\r\r\n+CSQ: 31,99\r\n\r\nOK\r\n')
    expect(response).toEqual({
      command: 'AT+CSQ',
      final: { kind: 'ok' },
      lines: ['+CSQ: 31,99'],
      echoed: true,
      urcs: [],
      noise: [],
    })
  })
  it('reads the reference microcom capture: echo joined to +CSQ, then the SIM error ends it', () => {
    const { response, trailing } = parseAtOutput('at+cpin?;+csq;+cops?', reference)
    expect(response.echoed).toBe(true)
    expect(response.lines).toEqual(['+CSQ: 31,99'])
    expect(response.final).toEqual({
      kind: 'cme-error',
      code: 10,
      meaning: 'SIM not inserted',
      text: '10',
    })
    expect(trailing.map((u) => u.raw)).toEqual(['+COPS: 0'])
  })
  it('keeps URCs apart, even the ones that look like the answer of another command', () => {
    const stream =
      'AT+CSQ\r\r\nRDY\r\n+CFUN: 1\r\n+CPIN: READY\r\n+QUSIM: 1\r\n+QIND: SMS DONE\r\n+CSQ: 18,99\r\n+CREG: 1,"1A2B","01C3D4E5",7\r\n\r\nOK\r\n+QNETDEVSTATUS: 1\r\n'
    const parser = new AtResponseParser()
    const seen: Urc[] = []
    parser.onUrc((u) => seen.push(u))
    parser.expect('AT+CSQ')
    const [response] = parser.feed(stream)
    expect(response.lines).toEqual(['+CSQ: 18,99'])
    expect(response.urcs.map((u) => u.name)).toEqual([
      'RDY',
      '+CFUN',
      '+CPIN',
      '+QUSIM',
      '+QIND',
      '+CREG',
    ])
    expect(seen.map((u) => u.name)).toEqual([
      'RDY',
      '+CFUN',
      '+CPIN',
      '+QUSIM',
      '+QIND',
      '+CREG',
      '+QNETDEVSTATUS',
    ])
    expect(parser.idleUrcs).toEqual([
      { name: '+QNETDEVSTATUS', params: ['1'], raw: '+QNETDEVSTATUS: 1' },
    ])
    expect(response.urcs[5].params).toEqual(['1', '1A2B', '01C3D4E5', '7'])
  })
  it('takes +CPIN: and +CREG: as the answer when they were asked for', () => {
    expect(parseAtOutput('AT+CPIN?', '\r\n+CPIN: READY\r\n\r\nOK\r\n').response.lines).toEqual([
      '+CPIN: READY',
    ])
    expect(parseAtOutput('AT+CREG?', '+CREG: 0,1\r\nOK\r\n').response).toMatchObject({
      lines: ['+CREG: 0,1'],
      urcs: [],
    })
  })
  it('handles a command that was not echoed (ATE0) and bare information lines (ATI)', () => {
    const { response } = parseAtOutput(
      'ATI',
      '\r\nQuectel\r\nEC200A\r\nRevision: EC200ACNDAR01A08M16\r\n\r\nOK\r\n',
    )
    expect(response).toMatchObject({
      echoed: false,
      lines: ['Quectel', 'EC200A', 'Revision: EC200ACNDAR01A08M16'],
      final: { kind: 'ok' },
    })
  })
  it('puts kernel lines and ANSI escapes aside', () => {
    const { response } = parseAtOutput(
      'AT+CSQ',
      'AT+CSQ\r\n[   12.345678] usb 1-1: reset high-speed USB device\r\n\x1b[1m+CSQ: 20,99\x1b[0m\r\nOK\r\n',
    )
    expect(response).toMatchObject({
      lines: ['+CSQ: 20,99'],
      noise: ['[   12.345678] usb 1-1: reset high-speed USB device'],
    })
  })
  it('leaves a response without final result incomplete', () => {
    const { response } = parseAtOutput('AT+COPS=?', 'AT+COPS=?\r\n')
    expect(response.final).toBeUndefined()
    expect(response.echoed).toBe(true)
  })
  it('reads CONNECT as the end of a dial', () => {
    expect(
      parseAtOutput('ATD*99#', 'ATD*99#\r\r\nCONNECT 150000000\r\n~\x7e').response.final,
    ).toEqual({ kind: 'connect', text: '150000000' })
  })
  it('completes byte by byte exactly as in one piece', () => {
    const stream = new TextEncoder().encode(
      'AT+QCCID\r\r\n+QCCID: 89860012345678901234\r\n\r\nOK\r\n',
    )
    const parser = new AtResponseParser()
    parser.expect('AT+QCCID')
    const done = [...stream].flatMap((byte) => parser.feed(Uint8Array.of(byte)))
    expect(done).toHaveLength(1)
    expect(done[0].lines).toEqual(['+QCCID: 89860012345678901234'])
  })
  it('names the extended commands of a command line', () => {
    expect(commandNames('at+cpin?;+csq;+cops?')).toEqual(['+CPIN', '+CSQ', '+COPS'])
    expect(commandNames('AT+QCFG="usbnet",1')).toEqual(['+QCFG'])
  })
  it('recognises the EC200A URCs and nothing else', () => {
    expect(parseUrc('+QIND: PB DONE')).toEqual({
      name: '+QIND',
      params: ['PB DONE'],
      raw: '+QIND: PB DONE',
    })
    expect(parseUrc('+QIND: "csq",20,99')?.params).toEqual(['csq', '20', '99'])
    expect(parseUrc('RDY')?.name).toBe('RDY')
    expect(parseUrc('+CSQ: 1,2')).toBeUndefined()
  })
})
