/**
 * The checksum lists publishers put beside their ISOs, in the formats in use: GNU coreutils
 * (`<hex>  <file>`, `<hex> *<file>` in binary mode, a leading backslash when the name is escaped),
 * the tagged BSD/OpenSSL form (`SHA256 (<file>) = <hex>`, used by Fedora, Rocky and FreeBSD), and
 * a `<file>.sha256` holding only the digest. Only SHA-256 entries count; other lines are skipped.
 */

export interface ChecksumEntry {
  /** The file name as listed (without "./" or the binary-mode "*"); empty for a lone digest. */
  file: string;
  sha256: string;
}

const GNU = /^(\\?)([0-9a-fA-F]{64}) [ *](.+)$/;
const TAGGED = /^SHA2?-?256 ?\((.+)\) ?= ?([0-9a-fA-F]{64})$/i;
const LONE = /^([0-9a-fA-F]{64})$/;

function unescapeGnu(name: string): string {
  return name.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

export function parseChecksumList(text: string): ChecksumEntry[] {
  const entries: ChecksumEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    const gnu = GNU.exec(line);
    if (gnu) {
      const name = gnu[1] ? unescapeGnu(gnu[3]!) : gnu[3]!;
      entries.push({ file: name.replace(/^\.\//, ''), sha256: gnu[2]!.toLowerCase() });
      continue;
    }
    const tagged = TAGGED.exec(line);
    if (tagged) {
      entries.push({ file: tagged[1]!.replace(/^\.\//, ''), sha256: tagged[2]!.toLowerCase() });
      continue;
    }
    const lone = LONE.exec(line);
    if (lone) entries.push({ file: '', sha256: lone[1]!.toLowerCase() });
  }
  return entries;
}

export type ListedChecksum = { sha256: string } | { conflict: string[] } | null;

/**
 * The SHA-256 a list gives for `fileName`: by exact name, else by the last path segment of a
 * listed path. A lone digest counts only when `loneCounts` (the list is `<file>.sha256`). When
 * the list names the file twice with different digests, neither is believed.
 */
export function checksumIn(entries: ChecksumEntry[], fileName: string, loneCounts: boolean): ListedChecksum {
  const named = entries.filter((e) => e.file === fileName);
  const matches = named.length ? named : entries.filter((e) => (e.file === '' ? loneCounts : e.file.split('/').pop() === fileName));
  const digests = [...new Set(matches.map((e) => e.sha256))];
  if (digests.length > 1) return { conflict: digests };
  return digests[0] ? { sha256: digests[0] } : null;
}
