/** Finds the Electron binary and the built app, or says why the Electron-level specs cannot run here. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')

/** Why Electron specs must skip on this machine, or null when they can run. */
export function electronSkipReason(): string | null {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return 'Electron binary not installed (node_modules/electron/path.txt missing; the download is impossible offline). Install Electron to run the Electron-level specs.'
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(binary)) return `Electron binary missing at ${binary}`
  if (!existsSync(join(root, 'out', 'main', 'index.js'))) return 'The app is not built: run `npx electron-vite build` first'
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'No display: run under xvfb-run'
  return null
}

/** Entry of the built main process. */
export const MAIN_ENTRY = join(root, 'out', 'main', 'index.js')
/** Built preload, for the foreign-window test. */
export const PRELOAD_ENTRY = join(root, 'out', 'preload', 'index.js')
