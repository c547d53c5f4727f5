import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../src-cli/main'
import type { CliIo } from '../../src-cli/command'
import { firmwareImage, put, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())
const image = put(tmp.dir, 'fw.kdimg', firmwareImage('emmc'))

function io(tty = false): CliIo & { out: () => string; err: () => string } {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty, columns: 100 })
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (d) => (out += d))
  stderr.on('data', (d) => (err += d))
  return { stdout, stderr, env: {}, cwd: tmp.dir, out: () => out, err: () => err }
}

async function cli(args: string[], tty = false) {
  const streams = io(tty)
  const code = await main(args, streams)
  return { code, out: streams.out(), err: streams.err() }
}

describe('k230-bringup flash and devices', () => {
  it('flashes on the virtual board with a progress bar on a terminal, exit 0', async () => {
    const r = await cli(['flash', '--image', 'fw.kdimg', '--medium', 'emmc', '--sim', 'healthy', '--sim-timescale', '0.01', '--record', 'rec.json'], true)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/\rwrite uboot_spl\s+\[[#-]+\]\s+\d+% [\d.]+\/[\d.]+ MB [\d.]+ [kM]B\/s ETA \d+:\d\d/)
    expect(r.out).toMatch(/verify/)
    expect(r.out).toMatch(/result {2}VERIFIED/)
    const record = JSON.parse(readFileSync(join(tmp.dir, 'rec.json'), 'utf8'))
    expect(record.flash.outcome).toBe('verified')
    expect(record.step).toMatchObject({ id: 'flash', verdict: 'pass' })
  })

  it('prints plain phase lines when not on a terminal, and JSON with --json', async () => {
    const plain = await cli(['flash', '--image', image, '--medium', 'spi-nor', '--sim', 'healthy', '--sim-timescale', '0.01'])
    expect(plain.code).toBe(0)
    expect(plain.out).not.toContain('\r')
    expect(plain.out).toMatch(/^write uboot_spl/m)
    expect(plain.out).toMatch(/^result {2}WRITTEN, NOT VERIFIABLE WITH THIS LOADER \(it cannot read the SPI-NOR back\)$/m)
    expect(plain.out).toMatch(/uboot_spl .* unverifiable$/m)
    const json = await cli(['flash', '--image', image, '--medium', 'sd', '--sim', 'healthy', '--sim-timescale', '0.01', '--json'])
    expect(JSON.parse(json.out)).toMatchObject({ outcome: 'verified', medium: 'sd', verify: 'pass' })
  })

  const exits: [string, number, RegExp][] = [
    ['verify-mismatch', 1, /VERIFY-FAILED: Read-back of uboot_spl/],
    ['write-error', 1, /WRITE-FAILED: Writing the medium failed/],
    ['medium-too-small', 1, /WRITE-FAILED: The eMMC is too small/],
    ['vanish-mid-write', 3, /DEVICE-LOST: The board on USB port 1-1 disconnected/],
  ]
  for (const [scenario, code, message] of exits) {
    it(`exits ${code} on ${scenario} with the reason on stderr`, async () => {
      const r = await cli(['flash', '--image', image, '--medium', 'emmc', '--sim', scenario, '--sim-timescale', '0.01'])
      expect(r.code).toBe(code)
      expect(r.err).toMatch(message)
    })
  }

  it('exits 2 on bad usage or a bad image, naming what is wrong', async () => {
    expect(await cli(['flash', '--medium', 'emmc', '--sim', 'healthy'])).toMatchObject({ code: 2, err: expect.stringMatching(/--image FILE is required/) })
    expect(await cli(['flash', '--image', image, '--medium', 'floppy', '--sim', 'healthy'])).toMatchObject({ code: 2, err: expect.stringMatching(/unknown medium "floppy"/) })
    expect(await cli(['flash', '--image', image, '--medium', 'emmc'])).toMatchObject({ code: 2, err: expect.stringMatching(/--device ADDR/) })
    expect(await cli(['flash', '--image', image, '--medium', 'emmc', '--sim', 'nope'])).toMatchObject({ code: 2, err: expect.stringMatching(/Unknown flash scenario "nope"/) })
    expect(await cli(['flash', '--image', image, '--medium', 'emmc', '--sim', 'healthy', '--bogus'])).toMatchObject({ code: 2 })
    const bad = put(tmp.dir, 'bad.kdimg', Buffer.from(firmwareImage('emmc').subarray(0, 70_000)))
    expect(await cli(['flash', '--image', bad, '--medium', 'emmc', '--sim', 'healthy'])).toMatchObject({ code: 2, err: expect.stringMatching(/REFUSED: bad\.kdimg is truncated/) })
    expect(await cli(['flash', '--image', image, '--medium', 'otp', '--sim', 'healthy'])).toMatchObject({ code: 2, err: expect.stringMatching(/OTP is irreversible/) })
  })

  it('exits 3 with a clear message when the real USB cannot be read or has no such board', async () => {
    const r = await cli(['flash', '--image', image, '--medium', 'emmc', '--device', '9-9'])
    expect(r.code).toBe(3)
    expect(r.err).toMatch(/USB devices cannot be read on this computer|No board in burning mode on USB port 9-9/)
  })

  it('lists virtual boards, and says why when real USB cannot be read', async () => {
    const sim = await cli(['devices', '--sim', 'healthy', '--boards', '2'])
    expect(sim.code).toBe(0)
    expect(sim.out).toBe('1-1        K230/K230D  BootROM\n1-2        K230/K230D  BootROM\n')
    const json = await cli(['devices', '--sim', 'healthy', '--json'])
    expect(JSON.parse(json.out)).toMatchObject([{ address: '1-1', stage: 'brom' }])
    const real = await cli(['devices'])
    if (real.code === 3) expect(real.err).toMatch(/USB devices cannot be read on this computer/)
    else expect(real.code).toBe(0)
  })
})
