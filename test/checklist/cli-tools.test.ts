import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src-cli/main'
import { memoryIo } from './support/io'

const dir = mkdtempSync(join(tmpdir(), 'k230-cli-'))

describe('k230-bringup at and ports', () => {
  it('at sends commands to the virtual module and prints the answers', async () => {
    const io = memoryIo(dir)
    const code = await main(['at', '--sim', 'healthy', '--time-scale', '0.01', 'AT+CSQ', 'AT+QCFG="usbnet"'], io)
    expect(code, io.err()).toBe(0)
    expect(io.out()).toContain('> AT+CSQ\n+CSQ: 31,99\nOK')
    expect(io.out()).toContain('+QCFG: "usbnet",1')
  })

  it('at exits 1 when the module answers an error (no SIM)', async () => {
    const io = memoryIo(dir)
    expect(await main(['at', '--sim', 'no-sim', '--time-scale', '0.01', 'AT+CPIN?'], io)).toBe(1)
    expect(io.out()).toContain('+CME ERROR: 10')
  })

  it('at refuses what is not an AT command', async () => {
    const io = memoryIo(dir)
    expect(await main(['at', '--sim', 'healthy', 'reboot'], io)).toBe(2)
    expect(io.err()).toContain("'reboot' is not an AT command")
  })

  it('ports lists ports or says none are there, without failing', async () => {
    const io = memoryIo(dir)
    expect(await main(['ports'], io)).toBe(0)
    expect(io.out().length).toBeGreaterThan(0)
    const json = memoryIo(dir)
    expect(await main(['ports', '--json'], json)).toBe(0)
    expect(Array.isArray(JSON.parse(json.out()))).toBe(true)
  })
})

describe('--help and --version', () => {
  it('every sub-command prints its usage and the exit codes for --help and exits 0; --version prints the version', async () => {
    const { main } = await import('../../src-cli/main')
    const { COMMANDS } = await import('../../src-cli/commands/index')
    const { appVersion } = await import('../../src-cli/commands/console-args')
    for (const command of COMMANDS)
      for (const flag of ['--help', '-h']) {
        let out = ''
        const io = { stdout: { write: (t: string) => ((out += t), true) }, stderr: { write: () => true }, env: {}, cwd: process.cwd() } as never
        expect(await main([command.name, flag], io), `${command.name} ${flag}`).toBe(0)
        expect(out).toContain(`usage: ${command.usage}`)
        expect(out).toContain('4  aborted by the operator')
      }
    let version = ''
    const io = { stdout: { write: (t: string) => ((version += t), true) }, stderr: { write: () => true }, env: {}, cwd: process.cwd() } as never
    expect(await main(['--version'], io)).toBe(0)
    expect(version).toBe(`k230-bringup ${appVersion()}\n`)
  })
})
