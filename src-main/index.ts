/** Electron main: services on the station's folders, one window, IPC through handle(), events forwarded to the window. */
import { app, BrowserWindow, shell } from 'electron'
import { pickPath } from './dialogs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { EVENT_CHANNELS } from '@shared/ipc'
import { createServices } from '../src-services/index'
import { handle } from './handle'
import { printReportPdf } from './pdf'
import { isAllowedExternalUrl, type RendererOrigin } from './sender'
import { createMainWindow } from './window'

if (process.env.K230_USER_DATA) app.setPath('userData', process.env.K230_USER_DATA)
if (!app.requestSingleInstanceLock()) app.quit()

app.whenReady().then(() => {
  const origin: RendererOrigin = { devUrl: process.env.ELECTRON_RENDERER_URL, fileUrl: pathToFileURL(join(__dirname, '../renderer/index.html')).href }
  const dataDir = app.getPath('userData')
  const services = createServices({
    dataDir,
    resultsDir: process.env.K230_RESULTS_DIR ?? join(app.getPath('documents'), 'K230 Bring-up results'),
    simTimeScale: Number(process.env.K230_SIM_TIME_SCALE ?? 1) || 1,
    appVersion: app.getVersion(),
    host: 'electron',
    systemLanguages: () => app.getPreferredSystemLanguages(),
    printPdf: printReportPdf,
    pick: (kind) => pickPath(BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0], kind),
    showItemInFolder: async (path) => {
      shell.showItemInFolder(path)
      return true
    },
    openExternal: async (url) => {
      if (!isAllowedExternalUrl(url)) return false
      await shell.openExternal(url)
      return true
    },
  })
  const unhandle = handle(services.handlers, origin)
  const win = createMainWindow(origin, join(__dirname, '../preload/index.js'))
  const unsubscribe = EVENT_CHANNELS.map((channel) =>
    services.events.on(channel, (payload) => {
      if (!win.isDestroyed()) win.webContents.send(channel, payload)
    }),
  )
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  app.on('window-all-closed', () => {
    for (const u of unsubscribe) u()
    unhandle()
    void services.dispose().finally(() => app.quit())
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) app.quit()
  })
})
