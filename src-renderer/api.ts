/** The domain API as installed by the preload or the browser bridge; the renderer's only way to the main side. */
import type { DomainApi } from '@shared/api'

/** `window.api`, or a clear error when no host installed it. */
export function api(): DomainApi {
  const a = (window as { api?: DomainApi }).api
  if (!a) throw new Error('No host API: the app must run inside the desktop app or the browser host')
  return a
}
