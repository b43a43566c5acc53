/**
 * What the main process can learn about an upload URL before HOSTKEY is asked to fetch it: is it
 * an https URL with a host and a file, and (by a HEAD request, following https redirects) how big
 * it is, of what type, and where it finally points.
 *
 * The probe only ever talks https, as HOSTKEY does: a plain http link is not contacted, and a
 * redirect to http is reported, not followed. A user name or password written into a URL is
 * never sent anywhere and never repeated back (the answer shows it as ***).
 */
import type { Dispatcher } from 'undici';
import type { UrlProbe } from '../ipc/contract.js';
import { fileNameOf } from '../tasks/upload-status.js';
import { loadUndici } from '../remote/https.js';

const MAX_REDIRECTS = 5;
const CREDENTIALS_PROBLEM = 'The URL contains a user name or password; HOSTKEY would see them. Use a link without credentials.';

/** Problems that make HOSTKEY refuse the URL; empty when it is acceptable. */
export function urlProblems(value: string): string[] {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return ['This is not a complete URL. It should look like https://example.com/images/file.iso.'];
  }
  const problems: string[] = [];
  if (url.protocol !== 'https:') problems.push(`HOSTKEY only downloads ISOs over https; this URL uses ${url.protocol.replace(':', '')}.`);
  if (!url.hostname) problems.push('The URL has no host name.');
  if (url.username || url.password) problems.push(CREDENTIALS_PROBLEM);
  if (!fileNameOf(url.href)) problems.push('The URL does not name a file (it should end with the ISO file, e.g. …/file.iso).');
  return problems;
}

/** The URL with any user name and password replaced by ***, for showing and logging. */
export function withoutCredentials(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // Handled below.
  }
  if (url && (url.protocol === 'https:' || url.protocol === 'http:')) {
    if (!url.username && !url.password) return value;
    url.username = '***';
    url.password = '';
    return url.href;
  }
  // Not a web URL, but it may still look like one with credentials ("user:pw@host/x.iso").
  return value.replace(/^([a-z][\w+.-]*:\/\/)?[^\s/@]+@/i, (_all: string, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

export interface ProbeOptions {
  userAgent: string;
  timeoutMs?: number;
  /** Where the requests go; tests pass an agent that trusts their own certificate. */
  dispatcher?: Dispatcher;
}

export async function probeUrl(value: string, opts: ProbeOptions): Promise<UrlProbe> {
  const url = value.trim();
  const problems = urlProblems(url);
  const probe: UrlProbe = {
    url: withoutCredentials(url),
    final_url: null,
    size: null,
    content_type: null,
    file_name: fileNameOf(url),
    problems,
    warnings: [],
  };
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return probe;
  }
  // Plain http is refused above and not contacted; credentials would be sent with the request.
  if (target.protocol !== 'https:' || problems.includes(CREDENTIALS_PROBLEM)) return probe;
  const { request } = await loadUndici();
  try {
    for (let hop = 0; ; hop++) {
      const res = await request(target, {
        method: 'HEAD',
        headers: { 'user-agent': opts.userAgent },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
      });
      await res.body.dump();
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string' && hop < MAX_REDIRECTS) {
        const next = new URL(location, target);
        next.username = '';
        next.password = '';
        if (next.protocol !== 'https:') {
          probe.final_url = next.href;
          probe.problems.push(`The link redirects to a plain ${next.protocol.replace(':', '')} address (${next.href}); HOSTKEY only downloads over https.`);
          break;
        }
        target = next;
        continue;
      }
      probe.final_url = target.href;
      if (res.statusCode >= 300) {
        probe.warnings.push(`The server answered HTTP ${res.statusCode} to a check; HOSTKEY may not be able to download the file.`);
        break;
      }
      const length = Number(res.headers['content-length']);
      if (Number.isFinite(length) && length > 0) probe.size = length;
      const type = res.headers['content-type'];
      probe.content_type = typeof type === 'string' ? type.split(';')[0]!.trim() : null;
      probe.file_name = dispositionName(res.headers['content-disposition']) ?? fileNameOf(target.href) ?? probe.file_name;
      if (probe.content_type === 'text/html') probe.warnings.push('The link points to a web page, not a file. Use the direct download link of the ISO.');
      break;
    }
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? 'it did not answer in time' : 'it could not be reached from this computer';
    probe.warnings.push(`ISO Desk could not check the file (${reason}); HOSTKEY may still be able to download it.`);
  }
  if (probe.file_name && !/\.(iso|img)$/i.test(probe.file_name)) probe.warnings.push(`"${probe.file_name}" does not end in .iso or .img.`);
  return probe;
}

function dispositionName(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    // A malformed %-escape from the file's server is its name as written, not a failure.
    return match[1];
  }
}
