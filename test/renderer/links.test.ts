/** Links dropped on the window or pasted: which text opens the upload dialog, and with what URL. */
import { describe, expect, it } from 'vitest';
import { asLink, carriesFiles, carriesLink, linkFromTransfer, pastedLink } from '../../renderer/src/lib/links.js';

/** What a drop's DataTransfer answers: the text of each type, '' for types it does not carry. */
function transfer(data: Record<string, string>): Pick<DataTransfer, 'getData'> {
  return { getData: (type: string) => data[type] ?? '' };
}

describe('what a drag carries', () => {
  it('takes links from uri lists and plain text, files only when no link comes with them', () => {
    expect(carriesLink(['text/uri-list'])).toBe(true);
    expect(carriesLink(['text/plain'])).toBe(true);
    expect(carriesLink(['Files'])).toBe(false);
    expect(carriesLink([])).toBe(false);

    expect(carriesFiles(['Files'])).toBe(true);
    // A link dragged from a browser also carries a file (a shortcut); the link wins.
    expect(carriesFiles(['Files', 'text/uri-list'])).toBe(false);
    expect(carriesFiles(['text/plain'])).toBe(false);
  });
});

describe('linkFromTransfer', () => {
  it('takes the first link of a uri list, skipping comments and blank lines', () => {
    const list = '# dragged from the mirror page\r\n\r\n  https://mirror.example.com/debian-12.iso  \r\nhttps://mirror.example.com/ubuntu.iso\r\n';
    expect(linkFromTransfer(transfer({ 'text/uri-list': list, 'text/plain': 'ignored' }))).toBe('https://mirror.example.com/debian-12.iso');
  });

  it('falls back to the first line of plain text when the uri list has no link', () => {
    const plain = 'https://cdn.example.com/rescue.iso\nhttps://cdn.example.com/other.iso';
    expect(linkFromTransfer(transfer({ 'text/plain': plain }))).toBe('https://cdn.example.com/rescue.iso');
    expect(linkFromTransfer(transfer({ 'text/uri-list': '# only a comment', 'text/plain': plain }))).toBe('https://cdn.example.com/rescue.iso');
  });

  it('finds nothing in prose, empty drops or absurdly long text', () => {
    expect(linkFromTransfer(transfer({ 'text/plain': 'please upload the debian image' }))).toBeNull();
    expect(linkFromTransfer(transfer({}))).toBeNull();
    expect(linkFromTransfer(transfer({ 'text/plain': `https://example.com/${'a'.repeat(2100)}.iso` }))).toBeNull();
  });
});

describe('asLink', () => {
  it('returns one trimmed token, leaving judgement of the URL to the upload dialog', () => {
    expect(asLink('  http://plain.example.com/x.iso \n')).toBe('http://plain.example.com/x.iso');
    expect(asLink('not-a-url')).toBe('not-a-url');
    expect(asLink('two words')).toBeNull();
    expect(asLink('')).toBeNull();
    expect(asLink('   ')).toBeNull();
    expect(asLink(null)).toBeNull();
    expect(asLink(undefined)).toBeNull();
  });

  it('accepts text up to 2048 characters', () => {
    const atLimit = `https://example.com/${'a'.repeat(2048 - 'https://example.com/'.length)}`;
    expect(atLimit).toHaveLength(2048);
    expect(asLink(atLimit)).toBe(atLimit);
    expect(asLink(`${atLimit}b`)).toBeNull();
  });
});

describe('pastedLink', () => {
  it('opens the upload dialog for text that clearly is a link', () => {
    expect(pastedLink('https://mirror.example.com/alma-9.iso')).toBe('https://mirror.example.com/alma-9.iso');
    expect(pastedLink('  HTTP://Mirror.example.com/x.iso\n')).toBe('HTTP://Mirror.example.com/x.iso');
    expect(pastedLink('www.example.com/x.iso')).toBe('www.example.com/x.iso');
    expect(pastedLink('ftp://files.example.com/x.iso')).toBe('ftp://files.example.com/x.iso');
    expect(pastedLink('https://a.example.com/1.iso\nhttps://b.example.com/2.iso')).toBe('https://a.example.com/1.iso');
  });

  it('ignores pasted prose, bare names and links without a host part', () => {
    expect(pastedLink('ubuntu 24.04 please')).toBeNull();
    expect(pastedLink('debian-12.iso')).toBeNull();
    expect(pastedLink('example.com/x.iso')).toBeNull();
    expect(pastedLink('mailto:ops@example.com')).toBeNull();
    expect(pastedLink('javascript:alert(1)')).toBeNull();
    expect(pastedLink('')).toBeNull();
    expect(pastedLink(null)).toBeNull();
  });
});
