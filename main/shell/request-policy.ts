/**
 * Network and permission rules for the renderer's session. Everything the renderer needs comes
 * from app:// or over IPC, so requests to the network or the file system are cancelled (on top of
 * the CSP), and web permissions are refused except writing to the clipboard (copy buttons).
 */
import { isAppUrl } from './app-origin.js';

const BLOCKED_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

export function isBlockedRequest(url: string): boolean {
  try {
    return BLOCKED_SCHEMES.has(new URL(url).protocol);
  } catch {
    return true;
  }
}

const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** `requestingUrl` is the frame's URL (or origin) as Electron reports it. */
export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}
