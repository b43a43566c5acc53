/**
 * Where HOSTKEY's API lives: the known hosts by name, which one is the default, which one sign-in
 * falls back to when the default cannot be reached, and which hosts the login's `invapi` field may
 * move a session to. The docs disagree on the host (shared/docs/hostkey-api.md, "Transport"), so
 * this is one of the open decisions listed in main/api/open-decisions.ts.
 */
import { AppError } from '../domain/errors.js';
import { DEFAULT_BASE_URL } from './fields.js';
import type { KnownHost } from '../domain/diagnostics.js';

/**
 * The table the product uses. Tests hand SessionService another table (loopback URLs) instead;
 * nothing reads this one from the environment, so no setting can point sign-in elsewhere.
 */
export const KNOWN_HOSTS: readonly KnownHost[] = [
  // Current docs (hostkey.com/documentation/apidocs) use this one.
  { id: 'api', label: 'HOSTKEY — api.hostkey.com', url: DEFAULT_BASE_URL, fallback: 'invapi' },
  // Older docs and every official client (Terraform provider, MCP server) default to this one.
  { id: 'invapi', label: 'HOSTKEY — invapi.hostkey.com', url: 'https://invapi.hostkey.com', fallback: null },
  // The Russian portal: never a fallback, it is another company's account base.
  { id: 'invapi-ru', label: 'HOSTKEY Russia — invapi.hostkey.ru', url: 'https://invapi.hostkey.ru', fallback: null },
];

/** The host sign-in offers first. */
export function defaultHost(table: readonly KnownHost[]): KnownHost {
  const first = table[0];
  if (!first) throw new AppError('internal', 'ISO Desk knows no HOSTKEY host.');
  return first;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The known host at this address (scheme, host and port), or null for a custom address. */
export function knownHostAt(url: string, table: readonly KnownHost[]): KnownHost | null {
  const origin = originOf(url);
  return origin === null ? null : (table.find((h) => originOf(h.url) === origin) ?? null);
}

/** The host to try once when `url`, a known host, cannot be reached at all; null for the others. */
export function fallbackFor(url: string, table: readonly KnownHost[]): KnownHost | null {
  const from = knownHostAt(url, table);
  return from?.fallback ? (table.find((h) => h.id === from.fallback) ?? null) : null;
}

/** "HOSTKEY — api.hostkey.com" for a known host, the bare host name otherwise. */
export function describeHost(url: string, table: readonly KnownHost[]): string {
  const known = knownHostAt(url, table);
  if (known) return known.label;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Whether the login's `invapi` field may move the session to `next`: only to hostkey.com or
 * hostkey.ru (or a subdomain), only over https, and never away from https (the Terraform
 * provider's rule).
 */
export function mayMoveToAccountHost(current: URL, next: URL): boolean {
  const host = next.hostname.toLowerCase();
  return /(^|\.)hostkey\.(com|ru)$/.test(host) && next.protocol === 'https:' && current.protocol === 'https:';
}
