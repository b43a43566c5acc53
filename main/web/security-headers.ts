/**
 * Headers on every harness response. The CSP is the desktop app's (main/shell/csp.ts) with one
 * change: the page may connect to its own origin, because the bridge talks HTTP instead of IPC.
 * CORP same-origin stops other sites from even loading /bridge.js with a <script> tag.
 */
import { CONTENT_SECURITY_POLICY } from '../shell/csp.js';

function withConnectSelf(policy: string): string {
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '' && !d.startsWith('connect-src'));
  return [...directives, "connect-src 'self'"].join('; ');
}

export const HARNESS_CSP = withConnectSelf(CONTENT_SECURITY_POLICY);

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': HARNESS_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // bridge.js carries the run's secret and answers change with every call: nothing is cached.
  'Cache-Control': 'no-store',
};
