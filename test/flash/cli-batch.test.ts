import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import type { FlashResult } from '@shared/flash'
import type { RunRecord } from '@shared/record'
import { main } from '../../src-cli/main'
import type { CliIo } from '../../src-cli/command'
import { firmwareImage, put, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.remove())
put(tmp.dir, 'fw.kdimg', firmwareImage('emmc'))

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = Object.assign(new PassThrough(), { isTTY: false, columns: 100 })
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (d) => (out += d))
  stderr.on('data', (d) => (err += d))
  const io: CliIo = { stdout, stderr, env, cwd: tmp.dir }
  const code = await main(args, io)
  return { code, out, err }
}

describe('k230-bringup flash with several boards', () => {
  it('flashes every board at once: each board\'s lines start with its address, --json prints every result in order', async () => {
    const plain = await cli(['flash', '--image', 'fw.kdimg', '--medium', 'emmc', '--sim', 'healthy', '--boards', '3', '--sim-timescale', '0.01'])
    expect(plain.code, plain.err).toBe(0)
    for (const address of ['1-1', '1-2', '1-3']) {
      expect(plain.out).toMatch(new RegExp(`^\\[${address}\\] write uboot_spl`, 'm'))
      expect(plain.out).toMatch(new RegExp(`^\\[${address}\\] medium  eMMC on ${address} `, 'm'))
      expect(plain.out).toMatch(new RegExp(`^\\[${address}\\] result {2}VERIFIED$`, 'm'))
    }
    expect(plain.out.split('\n').filter(Boolean).every((line) => /^\[1-[123]\] /.test(line))).toBe(true)
    const json = await cli(['flash', '--image', 'fw.kdimg', '--medium', 'emmc', '--sim', 'healthy', '--device', '1-2', '--device', '1-1', '--sim-timescale', '0.01', '--json'])
    expect(json.code, json.err).toBe(0)
    const results = JSON.parse(json.out) as FlashResult[]
    expect(results.map((r) => [r.device.address, r.outcome])).toEqual([
      ['1-2', 'verified'],
      ['1-1', 'verified'],
    ])
  })

  it('--then-bringup hands every flashed board to its own slot: one bring-up and one record each, the flash as its first step', async () => {
    const results = join(tmp.dir, 'results')
    const r = await cli(['flash', '--image', 'fw.kdimg', '--medium', 'emmc', '--sim', 'healthy', '--boards', '2', '--sim-timescale', '0.01', '--then-bringup'], { K230_RESULTS_DIR: results, K230_KEY_DIR: join(tmp.dir, 'keys') })
    expect(r.code, r.err).toBe(0)
    expect(r.out).toMatch(/^\[slot 1\] hand-over: bring-up on the virtual console board \(board 1-1\)$/m)
    expect(r.out).toMatch(/^\[slot 2\] hand-over: bring-up on the virtual console board \(board 1-2\)$/m)
    for (const slot of [1, 2]) {
      expect(r.out).toMatch(new RegExp(`^\\[slot ${slot}\\] +1/16 PASS +flash +`, 'm'))
      expect(r.out).toMatch(new RegExp(`^\\[slot ${slot}\\] 16/16 PASS +restore +`, 'm'))
      expect(r.out).toMatch(new RegExp(`^\\[slot ${slot}\\] bring-up PASS, record ${results}/\\S+\\.json$`, 'm'))
    }
    const files = readdirSync(results).filter((f) => f.endsWith('.json') && f !== 'index.json')
    expect(files).toHaveLength(2)
    const records = files.map((f) => JSON.parse(readFileSync(join(results, f), 'utf8')) as RunRecord)
    expect(records.map((rec) => (rec.flash as unknown as FlashResult).device.address).sort()).toEqual(['1-1', '1-2'])
    for (const rec of records) {
      expect(rec.steps[0]).toMatchObject({ id: 'flash', verdict: 'pass' })
      expect(rec.verdict).toBe('pass')
    }
    expect(new Set(records.map((rec) => rec.id)).size).toBe(2)
  })

  it('one board with --then-bringup into a results folder that does not exist yet: the folder is made and the record written (it failed with ENOENT on the journal)', async () => {
    const results = join(tmp.dir, 'fresh', 'results')
    const r = await cli(['flash', '--image', 'fw.kdimg', '--medium', 'emmc', '--sim', 'healthy', '--sim-timescale', '0.01', '--then-bringup'], { K230_RESULTS_DIR: results, K230_KEY_DIR: join(tmp.dir, 'keys') })
    expect(r.code, r.err).toBe(0)
    expect(r.out).toMatch(/^hand-over: bring-up on the virtual console board$/m)
    expect(r.out).toMatch(new RegExp(`^bring-up PASS, record ${results}/\\S+\\.json$`, 'm'))
  })

  it('a board that fails to flash gets no bring-up and the worst board decides the exit code', async () => {
    const r = await cli(['flash', '--image', 'fw.kdimg', '--medium', 'emmc', '--sim', 'vanish-mid-write', '--boards', '2', '--sim-timescale', '0.01', '--then-bringup'], { K230_RESULTS_DIR: join(tmp.dir, 'none') })
    expect(r.code).toBe(3)
    expect(r.err).toMatch(/^\[1-1\] result {2}DEVICE-LOST: The board on USB port 1-1 disconnected/m)
    expect(r.err).toMatch(/^\[1-2\] result {2}DEVICE-LOST: The board on USB port 1-2 disconnected/m)
    expect(r.out).not.toContain('hand-over')
  })

  it('refuses board arguments that cannot be meant', async () => {
    const base = ['flash', '--image', 'fw.kdimg', '--medium', 'emmc']
    const cases: Array<[string[], RegExp]> = [
      [['--sim', 'healthy', '--boards', '2', '--then-bringup', '--port', '/dev/ttyX'], /--port: give one per board \(2 boards, 1 --port\)/],
      [['--sim', 'healthy', '--boards', '2', '--record', 'r.json'], /--record FILE takes one board/],
      [['--device', '1-1', '--boards', '2'], /--boards applies to --sim only/],
      [['--sim', 'healthy', '--boards', '9'], /--boards must be a whole number from 1 to 8, not "9"/],
      [['--sim', 'healthy', '--boards', 'two'], /--boards must be a whole number/],
      [['--device', '1-1', '--device', '1-1'], /--device: a board is given twice/],
    ]
    for (const [args, says] of cases) {
      const r = await cli([...base, ...args])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err).toMatch(says)
    }
  })
})
