import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeReports } from '@engine/report/index'
import { main } from '../../src-cli/main'
import { passingRecord } from '../reports/fixtures/records'
import { captureIo } from '../reports/helpers/io'
import { testStation } from '../reports/helpers/keys'

const BIN = resolve(__dirname, '../../bin/k230-bringup')

function runBin(args: string[], cwd: string, timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      fail(new Error(`k230-bringup ${args.join(' ')} did not end within ${timeoutMs} ms:\n${stderr}`))
    }, timeoutMs)
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr })
    })
  })
}

const mounts: string[] = []
function mountTmpfs(options: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'k230-mnt-'))
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir])
  if (r.status !== 0) throw new Error(`mount -t tmpfs -o ${options} failed (the test runs as root with mount rights): ${r.stderr}`)
  mounts.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of mounts) spawnSync('umount', ['-l', dir])
})

describe('the CLI refuses bad input with a clear message and an exit code, never a crash or a hang', () => {
  it('--profile that is a device, a FIFO or a huge file is refused with exit 2 before it is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-badprof-'))
    const fifo = join(dir, 'profile.fifo')
    execFileSync('mkfifo', [fifo])
    const huge = join(dir, 'huge.yaml')
    closeSync(openSync(huge, 'w'))
    execFileSync('truncate', ['-s', '2G', huge])
    for (const [path, says] of [
      ['/dev/zero', /not a regular file/],
      [fifo, /not a regular file/],
      [dir, /not a regular file/],
      [huge, /too large/],
    ] as const) {
      const io = captureIo(dir)
      expect(await main(['run', '--sim', 'healthy', '--profile', path, '--out', join(dir, 'out')], io), path).toBe(2)
      expect(io.err()).toMatch(says)
      expect(io.err()).toContain(path)
    }
  })

  it('refuses out-of-range time scales, non-standard baud rates and control characters in --station and --operator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-badargs-'))
    const cases: Array<[string[], RegExp]> = [
      [['--time-scale', '1e-9'], /--time-scale: '1e-9' must be a decimal number from 0.01 to 10/],
      [['--time-scale', '0.001'], /--time-scale/],
      [['--time-scale', 'NaN'], /--time-scale/],
      [['--baud', '0x10'], /--baud: '0x10' is not a standard baud rate/],
      [['--baud', '16'], /--baud/],
      [['--baud', '115200.5'], /--baud/],
      [['--station', 'line\x1b[31m-3\x07'], /--station: 1 to 64 characters without control characters/],
      [['--operator', 'op\r\nforged'], /--operator/],
    ]
    for (const [extra, says] of cases) {
      const io = captureIo(dir)
      expect(await main(['run', '--sim', 'healthy', '--out', join(dir, 'out'), ...extra], io), extra.join(' ')).toBe(2)
      expect(io.err()).toMatch(says)
    }
    expect(existsSync(join(dir, 'out', 'ledger.csv'))).toBe(false)
  })

  it('keeps control characters out of the record and the ledger even when they come from the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-ctrl-'))
    const record = passingRecord()
    record.station = { ...record.station, id: 'st\x1b]0;pwned\x07-1', operator: 'a\x00b' }
    record.unit = { ...record.unit, serial: 'SN\x1b[2J-9' }
    await writeReports(record, dir, ['json', 'csv'])
    const ledger = readFileSync(join(dir, 'ledger.csv'), 'utf8')
    expect(ledger).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/)
    expect(ledger).toContain('st\uFFFD]0;pwned\uFFFD-1')
  })

  it('verify reports a file too large to be a report as unreadable (exit 2) and goes on with the other files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-bigverify-'))
    const station = testStation()
    const { files } = await writeReports(passingRecord(), dir, ['json'], { signer: station.key })
    const big = join(dir, 'big.json')
    closeSync(openSync(big, 'w'))
    execFileSync('truncate', ['-s', '600M', big])
    const io = captureIo(dir, station.env)
    expect(await main(['verify', big, files.json as string], io)).toBe(2)
    expect(io.out()).toMatch(/big\.json: unreadable/)
    expect(io.out()).toMatch(/larger than any report/)
    expect(io.out()).toMatch(/\.json: intact/)
  })

  it('a read-only --out: one line naming the folder and what to do, exit 5, no stack trace', async () => {
    const ro = mountTmpfs('ro,size=1m')
    const r = await runBin(['run', '--sim', 'healthy', '--time-scale', '0.02', '--out', ro], tmpdir())
    expect(r.code, r.stderr).toBe(5)
    expect(r.stderr).toContain(`the output folder ${ro} is on a read-only file system: give a writable --out [EROFS]`)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('a disk that fills up mid-run: one line, exit 5, no stack trace, and the journal kept for recovery', async () => {
    const full = mountTmpfs('size=96k')
    const r = await runBin(['run', '--sim', 'healthy', '--time-scale', '0.02', '--out', full], tmpdir())
    expect(r.code, r.stderr).toBe(5)
    expect(r.stderr).toMatch(new RegExp(`the output folder ${full} is full \\(no space left on the device\\): free space there or give another --out \\[ENOSPC\\]`))
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(readdirSync(full).filter((f) => f.endsWith('.journal.jsonl'))).toHaveLength(1)
  })
})
