/**
 * What the main process can learn about an upload URL before HOSTKEY is asked to fetch it: is it
 * an https URL with a host and a file, and (by a HEAD request, following redirects) how big it
 * is, of what type, and where it finally points.
 */
import { request } from 'undici';
import type { UrlProbe } from '../ipc/contract.js';
import { fileNameOf } from '../tasks/upload-status.js';

const MAX_REDIRECTS = 5;

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
  if (url.username || url.password) problems.push('The URL contains a user name or password; HOSTKEY would see them. Use a link without credentials.');
  if (!fileNameOf(url.href)) problems.push('The URL does not name a file (it should end with the ISO file, e.g. …/file.iso).');
  return problems;
}

export async function probeUrl(value: string, opts: { timeoutMs?: number; userAgent: string }): Promise<UrlProbe> {
  const url = value.trim();
  const problems = urlProblems(url);
  const probe: UrlProbe = { url, final_url: null, size: null, content_type: null, file_name: fileNameOf(url), problems, warnings: [] };
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return probe;
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return probe;
  try {
    for (let hop = 0; ; hop++) {
      const res = await request(target, {
        method: 'HEAD',
        headers: { 'user-agent': opts.userAgent },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      await res.body.dump();
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string' && hop < MAX_REDIRECTS) {
        target = new URL(location, target);
        continue;
      }
      probe.final_url = target.href;
      if (res.statusCode >= 400) {
        probe.warnings.push(`The server answered HTTP ${res.statusCode} to a check; HOSTKEY may not be able to download the file.`);
        break;
      }
      const length = Number(res.headers['content-length']);
      if (Number.isFinite(length) && length > 0) probe.size = length;
      const type = res.headers['content-type'];
      probe.content_type = typeof type === 'string' ? type.split(';')[0]!.trim() : null;
      probe.file_name = dispositionName(res.headers['content-disposition']) ?? fileNameOf(target.href) ?? probe.file_name;
      if (probe.content_type === 'text/html') probe.warnings.push('The link points to a web page, not a file. Use the direct download link of the ISO.');
      if (target.protocol !== 'https:' && !problems.some((p) => p.includes('https'))) {
        probe.problems.push('The link redirects to a plain http address; HOSTKEY only downloads over https.');
      }
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
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}
