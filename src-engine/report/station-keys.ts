/** The station's key folder: its own Ed25519 key pair (made on first use) and the public keys of other stations it trusts. */
import { generateKeyPairSync } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs'
import { homedir, hostname } from 'node:os'
import { join } from 'node:path'
import { writeFileAtomic } from '../files/atomic'
import { keyIdOf, stationKeyFromPem, type StationKey, type TrustedKey, type TrustedKeys } from './signature'

const PRIVATE_FILE = 'station.key'
const OWNER_FILE = 'station.json'
const TRUSTED_DIR = 'trusted'
const EXPORT_KIND = 'k230-bringup station public key'

/** A key folder problem with a code for the message catalogues (`keyStore.<why>` with `params`) and the path or value it concerns; `message` is the English. */
export class KeyStoreError extends Error {
  override name = 'KeyStoreError'
  constructor(
    readonly code: 'bad-export' | 'key-mismatch' | 'unreadable' | 'own-key' | 'not-found',
    message: string,
    readonly why: string = code,
    readonly params: Record<string, string> = {},
  ) {
    super(message)
  }
}

/** The CLI's key folder: `$K230_KEY_DIR`, else `%APPDATA%\k230-bringup\keys` on Windows, else `$XDG_CONFIG_HOME/k230-bringup/keys` (default `~/.config`). */
export function defaultKeyDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.K230_KEY_DIR) return env.K230_KEY_DIR
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'k230-bringup', 'keys')
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'k230-bringup', 'keys')
}

function writePrivate(path: string, text: string): void {
  writeFileAtomic(path, text, { mode: 0o600 })
}

/** The station's key, made (Ed25519, private key readable by the owner only) the first time a folder is used; `station` names a new key (default: the host name) and is ignored afterwards. */
export function loadOrCreateStationKey(dir: string, station: string = hostname()): StationKey {
  const keyFile = join(dir, PRIVATE_FILE)
  const ownerFile = join(dir, OWNER_FILE)
  if (!existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const { privateKey } = generateKeyPairSync('ed25519')
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const name = station.trim() || hostname()
    writeFileAtomic(ownerFile, JSON.stringify({ station: name }, null, 2) + '\n')
    writePrivate(keyFile, pem)
    try {
      chmodSync(keyFile, 0o600)
    } catch {
      /* Windows: the folder's ACL protects it */
    }
  }
  try {
    const owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as { station?: unknown }
    const name = typeof owner.station === 'string' && owner.station ? owner.station : hostname()
    return stationKeyFromPem(readFileSync(keyFile, 'utf8'), name)
  } catch (error) {
    throw new KeyStoreError('unreadable', `the station key in ${dir} cannot be read: ${error instanceof Error ? error.message : String(error)}`, 'unreadable', { dir, error: error instanceof Error ? error.message : String(error) })
  }
}

/** The station's public key as a text file another PC can import. */
export function exportPublicKey(key: StationKey): string {
  return JSON.stringify({ kind: EXPORT_KIND, station: key.station, keyId: key.keyId, publicKey: key.publicKeyPem }, null, 2) + '\n'
}

/** Parses an exported public key; throws KeyStoreError when it is not one or its key id does not match its key. */
export function parsePublicKeyExport(text: string): TrustedKey {
  let value: { kind?: unknown; station?: unknown; keyId?: unknown; publicKey?: unknown }
  try {
    value = JSON.parse(text) as typeof value
  } catch {
    throw new KeyStoreError('bad-export', 'not an exported k230-bringup station key (not JSON)', 'notJson')
  }
  if (!value || value.kind !== EXPORT_KIND || typeof value.station !== 'string' || !value.station.trim() || value.station.length > 200 || typeof value.publicKey !== 'string' || typeof value.keyId !== 'string')
    throw new KeyStoreError('bad-export', 'not an exported k230-bringup station key (kind, station, keyId, publicKey)', 'fields')
  if (/[\x00-\x1f\x7f]/.test(value.station)) throw new KeyStoreError('bad-export', 'the station name holds control characters', 'controlCharacters')
  let keyId: string
  try {
    keyId = keyIdOf(value.publicKey)
  } catch {
    throw new KeyStoreError('bad-export', 'the public key is not a valid PEM key', 'badPem')
  }
  if (!value.publicKey.includes('BEGIN PUBLIC KEY') || keyId !== value.keyId) throw new KeyStoreError('key-mismatch', `the key id ${value.keyId} does not match the key (${keyId})`, 'mismatch', { claimed: String(value.keyId), keyId })
  return { station: value.station, keyId, publicKeyPem: value.publicKey }
}

/** Trusts another station's exported public key in this folder; returns what was imported. */
export function importTrustedKey(dir: string, exported: string): TrustedKey {
  const key = parsePublicKeyExport(exported)
  if (existsSync(join(dir, PRIVATE_FILE)) && loadOrCreateStationKey(dir).keyId === key.keyId) throw new KeyStoreError('own-key', `key ${key.keyId} is this station's own key`, 'ownKey', { keyId: key.keyId })
  mkdirSync(join(dir, TRUSTED_DIR), { recursive: true })
  writeFileAtomic(join(dir, TRUSTED_DIR, `${key.keyId}.json`), JSON.stringify({ kind: EXPORT_KIND, station: key.station, keyId: key.keyId, publicKey: key.publicKeyPem }, null, 2) + '\n')
  return key
}

/** Stops trusting a key id; throws KeyStoreError 'not-found' when it was not trusted. */
export function removeTrustedKey(dir: string, keyId: string): void {
  const file = join(dir, TRUSTED_DIR, `${keyId}.json`)
  if (!/^[0-9a-f]{16}$/.test(keyId) || !existsSync(file)) throw new KeyStoreError('not-found', `key ${keyId} is not trusted here`, 'notFound', { keyId })
  renameSync(file, `${file}.removed-${Date.now()}`)
}

/** Imported keys of a folder (files that do not parse are left out). */
export function listTrustedKeys(dir: string): TrustedKey[] {
  const folder = join(dir, TRUSTED_DIR)
  if (!existsSync(folder)) return []
  const keys: TrustedKey[] = []
  for (const name of readdirSync(folder).filter((n) => /^[0-9a-f]{16}\.json$/.test(n)).sort()) {
    try {
      keys.push(parsePublicKeyExport(readFileSync(join(folder, name), 'utf8')))
    } catch {
      continue
    }
  }
  return keys
}

/** Every key whose signatures this station accepts: its own (made if missing) and the imported ones. */
export function trustedKeys(dir: string): TrustedKeys {
  const own = loadOrCreateStationKey(dir)
  return [{ station: own.station, keyId: own.keyId, publicKeyPem: own.publicKeyPem }, ...listTrustedKeys(dir).filter((k) => k.keyId !== own.keyId)]
}
