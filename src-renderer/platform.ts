/** Host hook before the app starts: in Electron the preload has already installed `window.api`, so nothing to do. */
export async function ensureApi(): Promise<void> {
  if (!(window as { api?: unknown }).api) throw new Error('The preload did not install window.api')
}
