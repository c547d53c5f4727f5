/** Preload: exposes the domain API as `window.api`; channels are checked at runtime against the contract, never raw ipcRenderer. */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { createDomainApi } from '@shared/api'
import { isEventChannel, isInvokeChannel, type Reply } from '@shared/ipc'

const api = createDomainApi({
  invoke(channel, payload) {
    if (!isInvokeChannel(channel)) return Promise.reject(new Error(`Unsupported IPC channel '${String(channel)}'`))
    return ipcRenderer.invoke(channel, payload) as Promise<Reply<unknown>>
  },
  subscribe(channel, listener) {
    if (!isEventChannel(channel)) throw new Error(`Unsupported IPC event channel '${String(channel)}'`)
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, wrapped)
    return () => void ipcRenderer.removeListener(channel, wrapped)
  },
})

contextBridge.exposeInMainWorld('api', api)
