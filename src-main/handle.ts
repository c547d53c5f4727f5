/** The one IPC entry point: channel allowlist, sender check and payload schema, then the service handler. */
import { ipcMain, type IpcMainInvokeEvent } from 'electron'
import { INVOKE_CHANNELS, type Reply } from '@shared/ipc'
import { dispatch } from '../src-services/dispatch'
import type { Handlers } from '../src-services/index'
import { isTrustedSender, type RendererOrigin } from './sender'

/** Refusal sent to a sender that is not our renderer's main frame. */
export const UNTRUSTED_SENDER: Reply<never> = { ok: false, error: { code: 'untrusted-sender', message: 'IPC refused: the sender is not the app window' } }

/** Validates one call (sender, channel, payload) and runs it; never throws across IPC. */
export async function handleCall(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, channel: string, payload: unknown, handlers: Handlers, origin: RendererOrigin): Promise<Reply<unknown>> {
  if (!isTrustedSender(event.senderFrame, origin)) return UNTRUSTED_SENDER
  return dispatch(handlers, channel, payload)
}

/** Registers every allowlisted channel with `ipcMain.handle`; returns a function that removes them. */
export function handle(handlers: Handlers, origin: RendererOrigin): () => void {
  for (const channel of INVOKE_CHANNELS) ipcMain.handle(channel, (event, payload: unknown) => handleCall(event, channel, payload, handlers, origin))
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel)
  }
}
