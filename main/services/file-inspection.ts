/**
 * What the publisher's server tells before an upload, read from this computer within one time box:
 * the image's first bytes (sniffed) and the checksum listed beside it, fetched at the same time.
 * It only informs: a slow, odd or unreachable server becomes a warning, never a refusal.
 */
import { fetchChecksumLists, pickChecksum, type FetchedList } from '../checksums/discover.js';
import type { ChecksumLookup, ImageReport } from '../ipc/contract.js';
import { fileHostAgent, unsafeUrlReason, type RemoteOptions } from '../remote/https.js';
import { HttpRangeSource } from '../remote/range-source.js';
import { sniffImage } from '../sniff/index.js';
import { fileNameOf } from '../tasks/upload-status.js';

/** The whole look at the file host, sniffing and checksum lists together. */
export const INSPECTION_TIMEOUT_MS = 5_000;

export interface FileHostOptions {
  userAgent: string;
  /** An extra certificate authority (PEM) to trust for file hosts, besides the default ones. */
  ca?: string | undefined;
  timeoutMs?: number | undefined;
}

export interface FileInspection {
  image: ImageReport | null;
  checksum: ChecksumLookup | null;
  warnings: string[];
}

/** The link as a URL ISO Desk may read; null for one the URL check refuses (nothing is sent to it). */
function readableUrl(url: string): URL | null {
  try {
    const target = new URL(url.trim());
    return unsafeUrlReason(target) ? null : target;
  } catch {
    return null;
  }
}

async function withFileHost<T>(opts: FileHostOptions, look: (remote: RemoteOptions) => Promise<T>): Promise<T> {
  const agent = await fileHostAgent(opts.ca);
  try {
    return await look({ signal: AbortSignal.timeout(opts.timeoutMs ?? INSPECTION_TIMEOUT_MS), userAgent: opts.userAgent, dispatcher: agent });
  } finally {
    await agent.destroy();
  }
}

export async function inspectFile(url: string, opts: FileHostOptions): Promise<FileInspection> {
  const target = readableUrl(url);
  if (!target) return { image: null, checksum: null, warnings: [] };
  const warnings: string[] = [];
  return withFileHost(opts, async (remote) => {
    const source = new HttpRangeSource(target, remote);
    const [image, lists] = await Promise.all([
      sniffImage(source).catch((err: unknown) => {
        warnings.push(
          `ISO Desk could not read the start of the file (${err instanceof Error ? err.message : String(err)}); HOSTKEY may still be able to download it.`,
        );
        return null;
      }),
      fetchChecksumLists(target, remote),
    ]);
    return { image, checksum: checksumOf(lists, [target, source.finalUrl]), warnings };
  });
}

/** Only the published checksum, for an upload that was not probed first. */
export async function lookUpChecksum(url: string, opts: FileHostOptions): Promise<ChecksumLookup | null> {
  const target = readableUrl(url);
  if (!target) return null;
  return withFileHost(opts, async (remote) => checksumOf(await fetchChecksumLists(target, remote), [target]));
}

function checksumOf(lists: FetchedList[], urls: URL[]): ChecksumLookup | null {
  const names = [...new Set(urls.map((u) => fileNameOf(u.href)).filter((n): n is string => n !== null))];
  return names.length ? pickChecksum(lists, names) : null;
}
