/** The main window with the app's security posture in one place. */
import { BrowserWindow, shell, type WebPreferences } from 'electron'
import { join } from 'node:path'
import { isAllowedExternalUrl, isAllowedNavigation, type RendererOrigin } from './sender'

/** Kept explicit so no edit of the window options can loosen it by accident. */
export const SECURE_WEB_PREFERENCES: Readonly<WebPreferences> = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
})

/** Creates the window: locked navigation, window.open denied, http(s) links to the OS browser only, permissions refused. */
export function createMainWindow(origin: RendererOrigin, preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'K230 Bring-up',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath },
  })
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, origin)) event.preventDefault()
  })
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
  win.webContents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  win.once('ready-to-show', () => win.show())
  if (origin.devUrl) void win.loadURL(origin.devUrl)
  else void win.loadFile(join(__dirname, '../renderer/index.html'))
  return win
}
