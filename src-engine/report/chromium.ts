import type { KeyedMessage } from '@shared/i18n/render'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome', 'msedge', 'microsoft-edge']
const COMMON = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
]

function executable(path: string): boolean {
  try {
    accessSync(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Where a Chromium was looked for and what was found; `path` is undefined when none is usable. */
export interface ChromiumLookup {
  path?: string
  source?: 'K230_CHROMIUM' | 'PATH' | 'common location'
  tried: string[]
}

/** Finds a Chromium: `K230_CHROMIUM` first (must be executable), then PATH, then common install locations. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const tried: string[] = []
  const forced = env.K230_CHROMIUM
  if (forced) {
    tried.push(forced)
    return executable(forced) ? { path: forced, source: 'K230_CHROMIUM', tried } : { tried }
  }
  const exts = process.platform === 'win32' ? ['.exe', ''] : ['']
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES)
      for (const ext of exts) {
        const candidate = join(dir, name + ext)
        tried.push(candidate)
        if (executable(candidate)) return { path: candidate, source: 'PATH', tried }
      }
  }
  for (const candidate of COMMON) {
    tried.push(candidate)
    if (executable(candidate)) return { path: candidate, source: 'common location', tried }
  }
  return { tried }
}

/** The catalogue message shown when no Chromium is found, naming what to install or set (and the K230_CHROMIUM path that is not executable). */
export function noChromiumKeyed(lookup: ChromiumLookup): KeyedMessage {
  return lookup.tried.length === 1 && !lookup.path ? { key: 'reportWarning.noChromiumForced', params: { path: lookup.tried[0] } } : { key: 'reportWarning.noChromium', params: {} }
}
