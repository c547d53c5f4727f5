import { resolve } from 'node:path'
import type { CliCommand } from '../command'
import { EXIT, UsageError } from '../command'
import { parseCommandArgs } from '../args'
import { stat } from 'node:fs/promises'
import { defaultKeyDir, trustedKeys, verifyFile, verifyNoteText, type TrustedKeys, type VerifyNote, type VerifyResult } from '@engine/report/index'

/** Largest file verify reads: a record with a full transcript is a few MB; anything this big is not one of ours. */
export const VERIFY_MAX_BYTES = 256 * 1024 * 1024

function unreadable(note: VerifyNote): VerifyResult {
  return { status: 'unreadable', notes: [note], details: [verifyNoteText(note)] }
}

async function verifyOne(path: string, trusted: TrustedKeys): Promise<VerifyResult> {
  try {
    const info = await stat(path)
    if (!info.isFile()) return unreadable({ code: 'notFile', params: { file: path } })
    if (info.size > VERIFY_MAX_BYTES) return unreadable({ code: 'tooLarge', params: { file: path, size: (info.size / 2 ** 20).toFixed(0), max: VERIFY_MAX_BYTES / 2 ** 20 } })
    return await verifyFile(path, trusted)
  } catch (error) {
    return unreadable({ code: 'cannotRead', params: { file: path, error: error instanceof Error ? error.message : String(error) } })
  }
}

const CODES: Record<VerifyResult['status'], number> = { intact: EXIT.ok, altered: EXIT.failed, untrusted: EXIT.untrusted, unreadable: EXIT.usage }

/** `k230-bringup verify FILE...`: says whether each report is intact and which station signed it (exit 0), altered (1), unreadable (2) or not signed by a trusted station (6); the worst one decides. Trusted keys come from the key folder ($K230_KEY_DIR). */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check that a report (JSON, HTML, PDF, JUnit, ledger) was not altered and which station signed it',
  usage: 'k230-bringup verify FILE... [--json]',
  async run(argv, io) {
    const { values, positionals: files, t } = parseCommandArgs(argv, io.env, { json: { type: 'boolean' } }, { positionals: Infinity })
    const json = values.json === true
    if (!files.length) throw new UsageError('cli.verify.noFile')
    const trusted = trustedKeys(defaultKeyDir(io.env))
    let worst: number = EXIT.ok
    const results = []
    for (const file of files) {
      const { notes, ...result } = await verifyOne(resolve(io.cwd, file), trusted)
      results.push({ file, ...result })
      worst = Math.max(worst, CODES[result.status])
      if (!json) {
        const signer = result.station ? ` ${t(result.status === 'intact' ? 'cli.verify.signedBy' : 'cli.verify.claims', { station: result.station, keyId: result.keyId })}` : ''
        io.stdout.write(`${file}: ${t(`cli.verify.status.${result.status}`)}${result.format ? ` (${result.format})` : ''}${signer}${result.digest ? ` ${t('cli.verify.record', { digest: result.digest })}` : ''}\n`)
        for (const note of notes) io.stdout.write(`  ${verifyNoteText(note, t)}\n`)
      }
    }
    if (json) io.stdout.write(JSON.stringify(results, null, 2) + '\n')
    return worst
  },
}
