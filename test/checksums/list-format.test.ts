/** Checksum lists as publishers write them, and which entry counts for a file. */
import { describe, expect, it } from 'vitest';
import { checksumIn, parseChecksumList } from '../../main/checksums/list-format.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('parseChecksumList', () => {
  it('reads GNU lines in text and binary mode, "./" paths and escaped names', () => {
    const text = [`${A}  ubuntu.iso`, `${B} *./desktop.iso`, `\\${A}  odd\\\\name\\n.iso`, ''].join('\n');
    expect(parseChecksumList(text)).toEqual([
      { file: 'ubuntu.iso', sha256: A },
      { file: 'desktop.iso', sha256: B },
      { file: 'odd\\name\n.iso', sha256: A },
    ]);
  });

  it('reads tagged lines (CRLF, upper-case hex) and skips comments and other algorithms', () => {
    const text = `# Fedora.iso: 123 bytes\r\nSHA512 (Fedora.iso) = ${'c'.repeat(128)}\r\nSHA256 (Fedora.iso) = ${A.toUpperCase()}\r\nMD5 (Fedora.iso) = ${'d'.repeat(32)}\r\n`;
    expect(parseChecksumList(text)).toEqual([{ file: 'Fedora.iso', sha256: A }]);
  });

  it('reads a lone digest, and ignores SHA-512 lists and HTML', () => {
    expect(parseChecksumList(`${A}\n`)).toEqual([{ file: '', sha256: A }]);
    expect(parseChecksumList(`${'e'.repeat(128)}  ubuntu.iso\n`)).toEqual([]);
    expect(parseChecksumList('<html><body>Not found</body></html>')).toEqual([]);
  });
});

describe('checksumIn', () => {
  it('matches the exact name, else the last segment of a listed path', () => {
    expect(checksumIn(parseChecksumList(`${B}  other.iso\n${A}  x.iso\n`), 'x.iso', false)).toEqual({ sha256: A });
    expect(checksumIn(parseChecksumList(`${A}  images/x.iso\n`), 'x.iso', false)).toEqual({ sha256: A });
    expect(checksumIn(parseChecksumList(`${A}  X.ISO\n`), 'x.iso', false)).toBeNull();
  });

  it('believes a lone digest only in <file>.sha256', () => {
    const lone = parseChecksumList(A);
    expect(checksumIn(lone, 'x.iso', true)).toEqual({ sha256: A });
    expect(checksumIn(lone, 'x.iso', false)).toBeNull();
  });

  it('reports a list that names the file twice with different digests', () => {
    expect(checksumIn(parseChecksumList(`${A}  x.iso\n${B}  x.iso\n`), 'x.iso', false)).toEqual({ conflict: [A, B] });
    expect(checksumIn(parseChecksumList(`${A}  x.iso\n${A}  x.iso\n`), 'x.iso', false)).toEqual({ sha256: A });
  });
});
