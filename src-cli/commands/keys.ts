import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { CliCommand } from '../command'
import { EXIT, UsageError } from '../command'
import { defaultKeyDir, exportPublicKey, importTrustedKey, KeyStoreError, listTrustedKeys, loadOrCreateStationKey, removeTrustedKey } from '@engine/report/index'

const USAGE = 'k230-bringup keys export [--out FILE] | import FILE | list | remove KEYID   (key folder: --key-dir DIR, else $K230_KEY_DIR)'

function takeOption(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name)
  if (i < 0) return undefined
  const value = argv[i + 1]
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`)
  argv.splice(i, 2)
  return value
}

/** `k230-bringup keys`: this station's record-signing key (made on first use) and the other stations' public keys it trusts. */
export const keysCommand: CliCommand = {
  name: 'keys',
  summary: "export this station's public key, import another station's as trusted, list or remove trusted keys",
  usage: USAGE,
  async run(argv, io) {
    const args = [...argv]
    const dirText = takeOption(args, '--key-dir')
    const outText = takeOption(args, '--out')
    const dir = dirText ? resolve(io.cwd, dirText) : defaultKeyDir(io.env)
    const [action, ...rest] = args
    const unknown = rest.filter((a) => a.startsWith('--'))
    if (unknown.length) throw new UsageError(`unknown option ${unknown[0]}`)
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
          io.stderr.write(`k230-bringup keys: cannot read ${file}: ${(error as Error).message}\n`)
          return EXIT.usage
        }
        const key = importTrustedKey(dir, text)
        io.stdout.write(`trusted station '${key.station}' key ${key.keyId}\n`)
        return EXIT.ok
      }
      if (action === 'list' && rest.length === 0) {
        const own = loadOrCreateStationKey(dir, io.env.K230_STATION)
        io.stdout.write(`own      ${own.keyId}  ${own.station}\n`)
        for (const key of listTrustedKeys(dir)) io.stdout.write(`trusted  ${key.keyId}  ${key.station}\n`)
        io.stdout.write(`key folder ${dir}\n`)
        return EXIT.ok
      }
      if (action === 'remove' && rest.length === 1) {
        removeTrustedKey(dir, rest[0])
        io.stdout.write(`no longer trusted: key ${rest[0]}\n`)
        return EXIT.ok
      }
    } catch (error) {
      if (!(error instanceof KeyStoreError)) throw error
      io.stderr.write(`k230-bringup keys: ${error.message}\n`)
      return EXIT.usage
    }
    throw new UsageError(action ? `unknown or incomplete keys action '${action}'` : 'no keys action given (export, import, list, remove)')
  },
}
