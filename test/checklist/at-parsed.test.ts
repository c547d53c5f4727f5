import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseAnswer, parseAtOutput } from '@engine/at/index'
import { main } from '../../src-cli/main'
import { memoryIo } from './support/io'

const io = () => memoryIo(mkdtempSync(join(tmpdir(), 'k230-at-parsed-')))

describe('k230-bringup at prints the parsed view of the typed readers', () => {
  it('--json carries the same parsed view as the AT console screen', async () => {
    const out = io()
    const code = await main(['at', '--sim', 'weak-signal', '--time-scale', '0.01', '--json', 'AT+CSQ', 'AT+COPS?'], out)
    expect(code, out.err()).toBe(0)
    const results = JSON.parse(out.out()) as { command: string; lines: string[]; parsed?: Record<string, unknown> }[]
    expect(results[0].parsed).toMatchObject({ rssi: 8, ber: 99, dbm: -97, known: true })
    expect(results[1].parsed).toMatchObject({ name: 'CHINA MOBILE', selected: true })
    const csq = parseAtOutput('AT+CSQ', `${results[0].lines.join('\r\n')}\r\nOK\r\n`).response
    expect(results[0].parsed).toEqual(parseAnswer('AT+CSQ', csq))
  }, 60_000)
  it('--parsed prints each field under the answer', async () => {
    const out = io()
    const code = await main(['at', '--sim', 'weak-signal', '--time-scale', '0.01', '--parsed', 'AT+CSQ', 'AT'], out)
    expect(code, out.err()).toBe(0)
    expect(out.out()).toMatch(/> AT\+CSQ\n\+CSQ: 8,99\nOK\n {2}rssi: 8\n {2}ber: 99\n {2}dbm: -97\n/)
    expect(out.out().endsWith('\n> AT\nOK\n')).toBe(true)
  }, 60_000)
})
