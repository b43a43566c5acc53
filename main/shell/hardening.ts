/**
 * Applies the navigation, window and request policies to the renderer's session and web contents.
 * The decisions live in the pure policy modules; this file only wires them to Electron's events.
 */
import { shell, type Session, type WebContents } from 'electron';
import { navigationDecision, windowOpenDecision, type NavigationDecision } from './navigation-policy.js';
import { isBlockedRequest, isPermissionAllowed } from './request-policy.js';

function act(decision: NavigationDecision, prevent: () => void): void {
  if (decision.action === 'allow') return;
  prevent();
  if (decision.action === 'open-external') void shell.openExternal(decision.url);
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
  contents.on('will-frame-navigate', (details) => act(navigationDecision(details.url), () => details.preventDefault()));
  contents.on('will-redirect', (details) => act(navigationDecision(details.url), () => details.preventDefault()));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.action === 'open-external') void shell.openExternal(decision.url);
    return { action: 'deny' };
  });
}
