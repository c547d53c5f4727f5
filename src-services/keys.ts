/** The station's record-signing key and the other stations' keys it trusts, for the UI (Settings) over IPC. */
import type { StationKeyView, StationKeysView } from '@shared/ipc'
import { exportPublicKey, importTrustedKey, KeyStoreError, listTrustedKeys, loadOrCreateStationKey, removeTrustedKey, trustedKeys, type StationKey, type TrustedKeys } from '@engine/report/index'
import { ServiceError } from './errors'
import { thrownDetail } from '@shared/thrown'

/** Key folder of the app (`<data>/keys`); the station key is made on first use, named after the station id of the settings. */
export class KeysService {
  constructor(
    private readonly dir: string,
    private readonly stationName: () => string | undefined,
  ) {}

  /** The station's own key (made on first use). */
  stationKey(): StationKey {
    try {
      return loadOrCreateStationKey(this.dir, this.stationName() || undefined)
    } catch (error) {
      if (error instanceof KeyStoreError) throw ServiceError.catalogued('key-unreadable', `cli.keys.error.${error.why}`, error.params)
      throw ServiceError.keyed('key-unreadable', 'keyUnreadable', thrownDetail(error))
    }
  }

  /** Every key whose signatures this station accepts. */
  trusted(): TrustedKeys {
    this.stationKey()
    return trustedKeys(this.dir)
  }

  /** The own key and the imported ones, for display. */
  list(): StationKeysView {
    const own = this.stationKey()
    return { own: { station: own.station, keyId: own.keyId }, trusted: listTrustedKeys(this.dir).map((k): StationKeyView => ({ station: k.station, keyId: k.keyId })), folder: this.dir }
  }

  /** The station's public key as the text another PC imports. */
  exportPublic(): string {
    return exportPublicKey(this.stationKey())
  }

  /** Trusts another station's exported public key; ServiceError `key-bad-export`, `key-key-mismatch` or `key-own-key` when it cannot. */
  importTrusted(text: string): StationKeyView {
    try {
      this.stationKey()
      const key = importTrustedKey(this.dir, text)
      return { station: key.station, keyId: key.keyId }
    } catch (error) {
      if (error instanceof KeyStoreError) throw ServiceError.catalogued(`key-${error.code}`, `cli.keys.error.${error.why}`, error.params)
      throw error
    }
  }

  /** Stops trusting a key. */
  remove(keyId: string): StationKeysView {
    try {
      removeTrustedKey(this.dir, keyId)
    } catch (error) {
      if (error instanceof KeyStoreError) throw ServiceError.catalogued(`key-${error.code}`, `cli.keys.error.${error.why}`, error.params)
      throw error
    }
    return this.list()
  }
}
