/**
 * The first bytes of the files people upload by mistake instead of an ISO: web pages, compressed
 * archives, virtual disks, raw disks with a partition table, programs. Each magic number is the one
 * its format's specification puts at the start of the file.
 */

export type MistakeKind = 'html' | 'archive' | 'disk_image' | 'executable';

export interface Signature {
  kind: MistakeKind;
  format: string;
}

interface Magic {
  at: number;
  bytes: readonly number[];
  kind: MistakeKind;
  format: string;
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const MAGICS: readonly Magic[] = [
  { at: 0, bytes: ascii('PK\x03\x04'), kind: 'archive', format: 'zip' },
  { at: 0, bytes: ascii('PK\x05\x06'), kind: 'archive', format: 'zip' },
  { at: 0, bytes: [0x1f, 0x8b], kind: 'archive', format: 'gzip' },
  { at: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], kind: 'archive', format: 'xz' },
  { at: 0, bytes: ascii('BZh'), kind: 'archive', format: 'bzip2' },
  { at: 0, bytes: [0x28, 0xb5, 0x2f, 0xfd], kind: 'archive', format: 'zstd' },
  { at: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], kind: 'archive', format: '7z' },
  { at: 0, bytes: ascii('Rar!\x1a\x07'), kind: 'archive', format: 'rar' },
  { at: 0, bytes: ascii('QFI\xfb'), kind: 'disk_image', format: 'qcow2' },
  { at: 0, bytes: ascii('KDMV'), kind: 'disk_image', format: 'vmdk' },
  { at: 0, bytes: ascii('# Disk DescriptorFile'), kind: 'disk_image', format: 'vmdk' },
  { at: 0, bytes: ascii('vhdxfile'), kind: 'disk_image', format: 'vhdx' },
  { at: 0, bytes: ascii('conectix'), kind: 'disk_image', format: 'vhd' },
  { at: 0x40, bytes: [0x7f, 0x10, 0xda, 0xbe], kind: 'disk_image', format: 'vdi' },
  { at: 0, bytes: ascii('\x7fELF'), kind: 'executable', format: 'elf' },
];

function startsWith(bytes: Uint8Array, at: number, magic: readonly number[]): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

/** The beginnings of an HTML document, after an optional byte-order mark and white space. */
const HTML_START = /^(?:\ufeff)?\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<title|<script|<!--)/i;

export function looksLikeHtml(bytes: Uint8Array): boolean {
  return HTML_START.test(Buffer.from(bytes.subarray(0, 1024)).toString('latin1'));
}

/** A disk's partition table in the first sectors: GPT (its header at LBA 1) or a classic MBR. */
export function partitionTable(bytes: Uint8Array): 'gpt' | 'mbr' | null {
  if (startsWith(bytes, 512, ascii('EFI PART')) || startsWith(bytes, 4096, ascii('EFI PART'))) return 'gpt';
  if (bytes.length < 512 || bytes[510] !== 0x55 || bytes[511] !== 0xaa) return null;
  // A boot sector signature alone is also found on FAT volumes; a table has a typed entry.
  for (let entry = 446; entry < 510; entry += 16) {
    const status = bytes[entry]!;
    const type = bytes[entry + 4]!;
    if ((status === 0x00 || status === 0x80) && type !== 0) return 'mbr';
  }
  return null;
}

/** A FAT file system image (a floppy or USB stick dump), by the type string in its boot sector. */
function fatVolume(bytes: Uint8Array): boolean {
  return startsWith(bytes, 54, ascii('FAT1')) || startsWith(bytes, 82, ascii('FAT32'));
}

/** What the file is when it is not an ISO; null when its first bytes match nothing known. */
export function mistakeSignature(bytes: Uint8Array): Signature | null {
  for (const magic of MAGICS) if (startsWith(bytes, magic.at, magic.bytes)) return { kind: magic.kind, format: magic.format };
  if (looksLikeHtml(bytes)) return { kind: 'html', format: 'html' };
  // Windows programs: "MZ" and a PE header where the DOS header points.
  if (startsWith(bytes, 0, ascii('MZ')) && bytes.length >= 64) {
    const pe = Buffer.from(bytes).readUInt32LE(0x3c);
    if (startsWith(bytes, pe, ascii('PE\0\0'))) return { kind: 'executable', format: 'exe' };
  }
  const table = partitionTable(bytes);
  if (table) return { kind: 'disk_image', format: table };
  if (bytes[510] === 0x55 && bytes[511] === 0xaa && fatVolume(bytes)) return { kind: 'disk_image', format: 'fat' };
  return null;
}
