import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { recoverJournals } from '@engine/record/index'
import { writeReports } from '@engine/report/index'
import { recordProblems, runUnit, station } from './harness'

const tiny = mkdtempSync(join(tmpdir(), 'k230-full-disk-'))
const mounted =
  process.getuid?.() === 0 &&
  spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', tiny]).status === 0

describe('a full disk and an unwritable results folder', () => {
  afterAll(() => {
    if (mounted) expect(spawnSync('umount', ['-l', tiny]).status).toBe(0)
  })

  it.skipIf(!mounted)(
    'a results folder that fills up mid-run: ENOSPC is reported, no truncated record, the journal survives and recovers after a restart on a roomier disk',
    async () => {
      const error = await runUnit({
        scenario: 'healthy',
        outDir: tiny,
        serial: 'SN-FULL',
        timeScale: 0.01,
      }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(
        error,
        'the run should not claim its record was written to a full disk',
      ).toBeInstanceOf(Error)
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC')
      expect(
        readdirSync(tiny).filter((f) => f.endsWith('.json')),
        'a truncated record was left behind',
      ).toEqual([])
      const journals = readdirSync(tiny).filter((f) => f.endsWith('.journal.jsonl'))
      expect(journals).toHaveLength(1)
      const roomy = mkdtempSync(join(tmpdir(), 'k230-recover-'))
      const exited = spawnSync('true').pid
      const text = readFileSync(join(tiny, journals[0]), 'utf8')
      writeFileSync(
        join(roomy, journals[0]),
        text.replace(`"pid":${process.pid},`, `"pid":${exited},`),
      )
      const [recovered] = recoverJournals(roomy, station.key)
      expect(recovered.error).toBeUndefined()
      expect(recovered.record?.unit.serial).toBe('SN-FULL')
      expect(recovered.record?.steps.filter((s) => s.verdict === 'pass').length).toBeGreaterThan(10)
      const { startedAt, endedAt } = recovered.record!
      expect(endedAt, 'the recovered record says when the run ended').toBeTruthy()
      expect(Date.parse(endedAt!)).toBeGreaterThanOrEqual(Date.parse(startedAt))
      expect(
        await recordProblems(recovered.recordPath, recovered.record!, { recovered: true }),
      ).toEqual([])
    },
  )

  it('a results folder that is a file: writeReports fails naming the folder, the run record already on disk is kept', async () => {
    const runs = mkdtempSync(join(tmpdir(), 'k230-runs-'))
    const run = await runUnit({
      scenario: 'healthy',
      outDir: runs,
      serial: 'SN-NODIR',
      timeScale: 0.01,
    })
    const blocker = join(mkdtempSync(join(tmpdir(), 'k230-blocker-')), 'results')
    writeFileSync(blocker, 'not a folder')
    await expect(
      writeReports(run.record, join(blocker, 'station-1'), ['json', 'html', 'junit'], {
        ledger: true,
      }),
    ).rejects.toThrow(/results/)
    expect(await recordProblems(run.recordPath, run.record)).toEqual([])
    mkdirSync(join(runs, 'ok'))
    const written = await writeReports(run.record, join(runs, 'ok'), ['json', 'html', 'junit'], {
      ledger: true,
    })
    expect(Object.keys(written.files).sort()).toEqual(['csv', 'html', 'json', 'junit'])
  })
})
