/** Serves the built renderer on app://isodesk with the app's security headers. */
import { protocol, type Session } from 'electron';
import { APP_SCHEME, isAppUrl } from './app-origin.js';
import { securityHeaders } from './csp.js';
import { readRendererFile } from './renderer-files.js';

/** Must run before the app is ready: a standard, secure scheme gets a real origin and fetch/CORS semantics. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
  ]);
}

export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const found = isAppUrl(request.url) && request.method === 'GET' ? await readRendererFile(rendererDir, new URL(request.url).pathname) : null;
    if (!found) return new Response('Not found', { status: 404 });
    return new Response(found.body, { status: 200, headers: securityHeaders(found.contentType) });
  });
}
