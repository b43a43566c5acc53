/**
 * Applies the navigation, window and request policies to the renderer's session and web contents.
 * The decisions live in the pure policy modules; this file only wires them to Electron's events.
 */
import { BrowserWindow, dialog, shell, type Session, type WebContents } from 'electron';
import { insecureLinkPrompt, navigationDecision, OPEN_INSECURE_LINK, windowOpenDecision, type NavigationDecision } from './navigation-policy.js';
import { isBlockedRequest, isPermissionAllowed } from './request-policy.js';

function openExternal(url: string): void {
  shell.openExternal(url).catch((err: unknown) => console.warn(`ISO Desk: could not open ${url}: ${err instanceof Error ? err.message : String(err)}`));
}

/** Opens https links in the browser at once; asks first for plain http (the dialog sits on the app window). */
function openLink(decision: Extract<NavigationDecision, { action: 'open-external' }>, contents: WebContents): void {
  if (!decision.confirm) return openExternal(decision.url);
  const parent = BrowserWindow.fromWebContents(contents);
  const prompt = insecureLinkPrompt(decision.url);
  (parent ? dialog.showMessageBox(parent, prompt) : dialog.showMessageBox(prompt))
    .then(({ response }) => {
      if (response === OPEN_INSECURE_LINK) openExternal(decision.url);
    })
    .catch(() => undefined);
}

function act(decision: NavigationDecision, contents: WebContents, prevent: () => void): void {
  if (decision.action === 'allow') return;
  prevent();
  if (decision.action === 'open-external') openLink(decision, contents);
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: isBlockedRequest(details.url) }));
}

export function hardenWebContents(contents: WebContents): void {
  // will-frame-navigate covers the main frame and any sub-frame (the CSP already forbids frames).
  contents.on('will-frame-navigate', (details) => act(navigationDecision(details.url), contents, () => details.preventDefault()));
  contents.on('will-redirect', (details) => act(navigationDecision(details.url), contents, () => details.preventDefault()));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.action === 'open-external') openLink(decision, contents);
    return { action: 'deny' };
  });
}
