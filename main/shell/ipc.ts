/** Registers one ipcMain handler per contract channel, each guarded by the sender check. */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, INVOKE_PREFIX, type Channel } from '../ipc/contract.js';
import type { Dispatch } from '../ipc/dispatch.js';
import { createInvokeHandler } from './ipc-guard.js';
import type { SenderInfo } from './sender-trust.js';

function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  const main = event.sender.mainFrame;
  return {
    webContentsId: event.sender.id,
    isMainFrame: frame ? frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId : null,
    frameUrl: frame?.url ?? '',
  };
}

/** `trustedWebContentsId` answers the main window's webContents id (null while there is none). */
export function registerIpc(dispatch: Dispatch, trustedWebContentsId: () => number | null): () => void {
  const handle = createInvokeHandler(dispatch, trustedWebContentsId);
  const channels = Object.keys(CHANNELS) as Channel[];
  for (const channel of channels) {
    ipcMain.handle(INVOKE_PREFIX + channel, (event, payload: unknown) => handle(senderInfo(event), channel, payload));
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(INVOKE_PREFIX + channel));
}
