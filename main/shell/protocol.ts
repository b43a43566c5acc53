/** Serves the built renderer on app://isodesk with the app's security headers. */
import fs from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { APP_SCHEME } from './app-origin.js';
import { contentTypeFor, resolveAppFile } from './app-files.js';
import { securityHeaders } from './csp.js';

/** Must run before the app is ready: a standard, secure scheme gets a real origin and fetch/CORS semantics. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
  ]);
}

export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file || request.method !== 'GET') return new Response('Not found', { status: 404 });
    try {
      const body = await fs.readFile(file);
      return new Response(body, { status: 200, headers: securityHeaders(contentTypeFor(file)) });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
