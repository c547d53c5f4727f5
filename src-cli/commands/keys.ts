import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { CliCommand } from '../command'
import { EXIT, UsageError } from '../command'
import { hasKey } from '@shared/i18n/translate'
import { parseCommandArgs } from '../args'
import { displayWidth } from './run-progress'
import { defaultKeyDir, exportPublicKey, importTrustedKey, KeyStoreError, listTrustedKeys, loadOrCreateStationKey, removeTrustedKey } from '@engine/report/index'

const USAGE = 'k230-bringup keys export [--out FILE] | import FILE | list | remove KEYID   (key folder: --key-dir DIR, else $K230_KEY_DIR)'

/** `k230-bringup keys`: this station's record-signing key (made on first use) and the other stations' public keys it trusts. */
export const keysCommand: CliCommand = {
  name: 'keys',
  summary: "export this station's public key, import another station's as trusted, list or remove trusted keys",
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals, t } = parseCommandArgs(argv, io.env, { 'key-dir': { type: 'string' }, out: { type: 'string' } }, { positionals: 2 })
    const dirText = values['key-dir']
    const outText = values.out
    const dir = dirText ? resolve(io.cwd, dirText) : defaultKeyDir(io.env)
    const [action, ...rest] = positionals
    try {
      if (action === 'export' && rest.length === 0) {
        const text = exportPublicKey(loadOrCreateStationKey(dir, io.env.K230_STATION))
        if (outText) {
          await writeFile(resolve(io.cwd, outText), text)
          io.stdout.write(`${resolve(io.cwd, outText)}\n`)
        } else io.stdout.write(text)
        return EXIT.ok
      }
      if (action === 'import' && rest.length === 1) {
        const file = resolve(io.cwd, rest[0])
        let text: string
        try {
          text = await readFile(file, 'utf8')
        } catch (error) {
          io.stderr.write(`k230-bringup keys: ${t('cli.common.cannotRead', { file, error: (error as Error).message })}\n`)
          return EXIT.usage
        }
        const key = importTrustedKey(dir, text)
        io.stdout.write(`${t('cli.keys.trusted', { station: key.station, keyId: key.keyId })}\n`)
        return EXIT.ok
      }
      if (action === 'list' && rest.length === 0) {
        const own = loadOrCreateStationKey(dir, io.env.K230_STATION)
        const rows = [[t('cli.keys.ownRow'), own] as const, ...listTrustedKeys(dir).map((key) => [t('cli.keys.trustedRow'), key] as const)]
        const width = Math.max(7, ...rows.map(([word]) => displayWidth(word)))
        for (const [word, key] of rows) io.stdout.write(`${word}${' '.repeat(width - displayWidth(word) + 2)}${key.keyId}  ${key.station}\n`)
        io.stdout.write(`${t('cli.keys.folder', { dir })}\n`)
        return EXIT.ok
      }
      if (action === 'remove' && rest.length === 1) {
        removeTrustedKey(dir, rest[0])
        io.stdout.write(`${t('cli.keys.removed', { keyId: rest[0] })}\n`)
        return EXIT.ok
      }
    } catch (error) {
      if (!(error instanceof KeyStoreError)) throw error
      io.stderr.write(`k230-bringup keys: ${hasKey(`cli.keys.error.${error.why}`) ? t(`cli.keys.error.${error.why}`, error.params) : error.message}\n`)
      return EXIT.usage
    }
    throw new UsageError(action ? 'cli.keys.unknownAction' : 'cli.keys.noAction', { action })
  },
}
