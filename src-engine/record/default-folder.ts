/** The fixed per-user folders: results (`Documents/K230 Bring-up results`) and app data (the OS's per-user app data place). */
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Name of the results folder inside the user's documents. */
export const RESULTS_FOLDER_NAME = 'K230 Bring-up results'

/** The user's results folder, the same for the app, the browser host, `run` and `history`; `K230_RESULTS_DIR` overrides it. Trusts the environment. */
export function defaultResultsFolder(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.K230_RESULTS_DIR) return env.K230_RESULTS_DIR
  const documents = env.XDG_DOCUMENTS_DIR || join(env.USERPROFILE && process.platform === 'win32' ? env.USERPROFILE : home, 'Documents')
  return join(documents, RESULTS_FOLDER_NAME)
}

/** The per-user app data folder (settings, profiles, journals, audit log) the browser host uses, where Electron's userData would be; `K230_DATA_DIR` overrides it. */
export function defaultDataFolder(env: NodeJS.ProcessEnv = process.env, home: string = homedir(), platform: NodeJS.Platform = process.platform): string {
  if (env.K230_DATA_DIR) return env.K230_DATA_DIR
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'K230 Bring-up')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'K230 Bring-up')
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'K230 Bring-up')
}
