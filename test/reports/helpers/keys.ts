import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateStationKey, trustedKeys, type StationKey, type TrustedKeys } from '@engine/report/index'

/** A station key folder in the temp dir: its key, the keys it trusts, and an environment pointing the CLI at it. */
export function testStation(name = 'test-station'): { dir: string; key: StationKey; trusted: TrustedKeys; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'k230-keys-'))
  const key = loadOrCreateStationKey(dir, name)
  return { dir, key, trusted: trustedKeys(dir), env: { ...process.env, K230_KEY_DIR: dir } }
}
