/**
 * Finds the checksum a publisher lists for a file, in the same https folder: `<file>.sha256`, then
 * the folder's SHA256SUMS, SHA256SUMS.txt, CHECKSUM and sha256sums.txt (Arch Linux). What it finds
 * is what the publisher expects, never a verification: ISO Desk does not download the ISO. A list
 * from the same server catches a corrupted or truncated download, not a tampered mirror.
 */
import { VERIFY_COMMAND, type ChecksumLookup } from '../ipc/contract.js';
import { httpsGet, readAtMost, type RemoteOptions } from '../remote/https.js';
import { checksumIn, parseChecksumList, type ChecksumEntry } from './list-format.js';

export const CHECKSUM_LISTS = ['SHA256SUMS', 'SHA256SUMS.txt', 'CHECKSUM', 'sha256sums.txt'] as const;
/** Real lists are a few KiB; anything larger is not one. */
const MAX_LIST_BYTES = 1024 * 1024;

interface Candidate {
  url: URL;
  /** `<file>.sha256` may hold the digest alone. */
  perFile: boolean;
}

/** Where to look, most specific first; only beside an https URL. */
export function checksumCandidates(fileUrl: URL): Candidate[] {
  if (fileUrl.protocol !== 'https:') return [];
  const perFile = new URL(fileUrl.href);
  perFile.pathname += '.sha256';
  perFile.search = '';
  perFile.hash = '';
  return [{ url: perFile, perFile: true }, ...CHECKSUM_LISTS.map((name) => ({ url: new URL(name, `${fileUrl.origin}${fileUrl.pathname}`), perFile: false }))];
}

/** One candidate as read: its entries, or null when it was not there (or not a list). */
export interface FetchedList {
  url: string;
  perFile: boolean;
  entries: ChecksumEntry[] | null;
}

async function readList(candidate: Candidate, opts: RemoteOptions): Promise<FetchedList> {
  const fetched: FetchedList = { url: candidate.url.href, perFile: candidate.perFile, entries: null };
  try {
    const res = await httpsGet(candidate.url, { accept: 'text/plain, */*' }, opts);
    if (res.status !== 200) {
      await res.body.dump();
      return fetched;
    }
    const { bytes, complete } = await readAtMost(res.body, MAX_LIST_BYTES, opts.signal);
    if (complete) fetched.entries = parseChecksumList(bytes.toString('utf8'));
  } catch {
    // A list that cannot be read is a list that is not there; the lookup says where it looked.
  }
  return fetched;
}

/** Reads every candidate beside `fileUrl` at once (they are small, and the time box is short). */
export function fetchChecksumLists(fileUrl: URL, opts: RemoteOptions): Promise<FetchedList[]> {
  return Promise.all(checksumCandidates(fileUrl).map((c) => readList(c, opts)));
}

/**
 * The publisher's SHA-256 for the file, known by any of `names` (the name in the link, and the one
 * it redirects to). The most specific list wins; lists that disagree are all disbelieved.
 */
export function pickChecksum(lists: FetchedList[], names: string[]): ChecksumLookup {
  const lookup: ChecksumLookup = { sha256: null, source_url: null, tried: lists.map((l) => l.url), verify_command: VERIFY_COMMAND, warnings: [] };
  const found: { url: string; sha256: string }[] = [];
  const shown = names.join(' / ');
  for (const list of lists) {
    if (!list.entries) continue;
    const result = names.map((name) => checksumIn(list.entries!, name, list.perFile)).find((r) => r !== null) ?? null;
    if (result && 'conflict' in result) lookup.warnings.push(`${list.url} lists ${shown} more than once with different SHA-256 values; ISO Desk ignores it.`);
    else if (result) found.push({ url: list.url, sha256: result.sha256 });
  }
  if (new Set(found.map((f) => f.sha256)).size > 1) {
    lookup.warnings.push(
      `The publisher's checksum lists disagree about ${shown} (${found.map((f) => `${f.url}: ${f.sha256}`).join('; ')}); ISO Desk shows none of them.`,
    );
  } else if (found[0]) {
    lookup.sha256 = found[0].sha256;
    lookup.source_url = found[0].url;
  }
  return lookup;
}
