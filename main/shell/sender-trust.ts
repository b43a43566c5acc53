/**
 * Who may call the IPC API: only the top frame of the app's own window, showing the app's own
 * origin. Sub-frames, other windows and pages that somehow navigated elsewhere are refused before
 * their payload is looked at.
 */
import { isAppUrl } from './app-origin.js';

/** What Electron tells us about an IPC call's origin, reduced to plain data. */
export interface SenderInfo {
  /** webContents id of the sender. */
  webContentsId: number;
  /** Whether the sending frame is its webContents' main frame (false for iframes; null when the frame is gone). */
  isMainFrame: boolean | null;
  /** The sending frame's URL ('' when unknown). */
  frameUrl: string;
}

/** `trustedWebContentsId` is the main window's webContents id, or null when there is no window. */
export function isTrustedSender(sender: SenderInfo, trustedWebContentsId: number | null): boolean {
  return trustedWebContentsId !== null && sender.webContentsId === trustedWebContentsId && sender.isMainFrame === true && isAppUrl(sender.frameUrl);
}
