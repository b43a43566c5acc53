/**
 * What the renderer may do with URLs. It never leaves the app: navigations to other origins and
 * every window.open are refused, and http(s) links are handed to the OS browser instead, plain
 * http only after the user agrees (anyone on the network path can change what it shows). Any other
 * scheme (file:, javascript:, custom protocol handlers, ...) is dropped, because openExternal would
 * run whatever program the OS associates with it.
 */
import { isAppUrl } from './app-origin.js';

const MAX_EXTERNAL_URL_LENGTH = 2048;

/** The normalised URL to open in the OS browser, or null when it must not be opened. */
export function externalUrl(url: string): string | null {
  if (url.length > MAX_EXTERNAL_URL_LENGTH) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  // user:password@host links are a phishing trick and never something the app links to.
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return null;
  return parsed.href;
}

/** `confirm`: ask the user before opening (plain http). */
export type NavigationDecision = { action: 'allow' } | { action: 'deny' } | { action: 'open-external'; url: string; confirm: boolean };

/** For will-navigate / will-redirect: stay on app://, send http(s) to the browser, drop the rest. */
export function navigationDecision(url: string): NavigationDecision {
  if (isAppUrl(url)) return { action: 'allow' };
  return windowOpenDecision(url);
}

/** For setWindowOpenHandler: never a new window; http(s) goes to the browser. */
export function windowOpenDecision(url: string): Exclude<NavigationDecision, { action: 'allow' }> {
  const external = externalUrl(url);
  return external ? { action: 'open-external', url: external, confirm: external.startsWith('http:') } : { action: 'deny' };
}

/** The question asked before a plain-http link opens in the browser; Cancel is the default. */
export function insecureLinkPrompt(url: string) {
  return {
    type: 'warning' as const,
    title: 'Open an unencrypted link?',
    message: 'Open this link in your browser?',
    detail: `${url}\n\nThe link uses plain http, so anyone on the network between you and the site can read or change what it shows.`,
    buttons: ['Open in Browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}

/** Index of the button in insecureLinkPrompt that opens the link. */
export const OPEN_INSECURE_LINK = 0;
