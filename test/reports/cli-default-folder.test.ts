/** `run`, `history` and `sync status` use one default results folder (the app's: K230_RESULTS_DIR, else Documents/K230 Bring-up results), so a unit run from the CLI is found by history without naming a folder. */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src-cli/main'
import { RESULTS_FOLDER_NAME } from '@engine/record/default-folder'
import { captureIo } from './helpers/io'

async function cli(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const io = captureIo(cwd, { K230_LINE_DB: '', ...env })
  const code = await main(args, io)
  return { code, out: io.out(), err: io.err() }
}

describe('one default results folder for the CLI', () => {
  it('run without --out writes into the documents folder’s results folder, and history and sync status without --results read it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'k230-cwd-'))
    const documents = mkdtempSync(join(tmpdir(), 'k230-docs-'))
    const keys = mkdtempSync(join(tmpdir(), 'k230-keys-'))
    const env = { XDG_DOCUMENTS_DIR: documents, K230_KEY_DIR: keys }
    const run = await cli(['run', '--sim', 'healthy', '--time-scale', '0.01', '--unit', 'SN-DEFAULT-1'], env, cwd)
    expect(run.code, run.err).toBe(0)
    const folder = join(documents, RESULTS_FOLDER_NAME)
    expect(readdirSync(folder).some((f) => f.endsWith('.json'))).toBe(true)
    expect(existsSync(join(cwd, 'k230-records'))).toBe(false)
    const found = await cli(['history', 'find', 'SN-DEFAULT-1', '--include-simulated'], env, cwd)
    expect(found.code, found.err).toBe(0)
    expect(found.out).toContain('SN-DEFAULT-1')
    const record = JSON.parse(readFileSync(join(folder, readdirSync(folder).find((f) => f.endsWith('.json') && !f.startsWith('.'))!), 'utf8')) as { id: string }
    const waiting = await cli(['sync', 'status'], env, cwd)
    expect(waiting.out).toContain(record.id)
  }, 120_000)

  it('K230_RESULTS_DIR moves that folder for all three', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'k230-cwd-'))
    const results = join(mkdtempSync(join(tmpdir(), 'k230-res-')), 'line results')
    const env = { K230_RESULTS_DIR: results, XDG_DOCUMENTS_DIR: mkdtempSync(join(tmpdir(), 'k230-docs-')), K230_KEY_DIR: mkdtempSync(join(tmpdir(), 'k230-keys-')) }
    expect((await cli(['run', '--sim', 'healthy', '--time-scale', '0.01', '--unit', 'SN-DEFAULT-2'], env, cwd)).code).toBe(0)
    expect(readdirSync(results).some((f) => f.endsWith('.json'))).toBe(true)
    expect((await cli(['history', 'find', 'SN-DEFAULT-2', '--include-simulated'], env, cwd)).out).toContain('SN-DEFAULT-2')
  }, 120_000)
})
