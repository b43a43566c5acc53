/**
 * The renderer is served from a custom, privileged `app://isodesk` origin rather than `file://`:
 * it gives the page a real origin, so the CSP's 'self', the IPC sender check and the navigation
 * rules can all compare against one exact string.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'isodesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True when `url` parses and belongs to the app's own origin. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
