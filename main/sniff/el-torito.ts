/**
 * The El Torito boot catalog (the "El Torito" Bootable CD-ROM Format Specification 1.0): 32-byte
 * entries in the sector the boot record points at. A validation entry (header 0x01, key bytes
 * 0x55 0xAA, words summing to zero) names the platform of the initial entry; section headers
 * (0x90, the last one 0x91) name the platform of the entries that follow them. A bootable entry
 * starts with 0x88. Platform 0x00 is an x86 PC booting through BIOS; 0xEF is UEFI.
 */

const ENTRY = 32;
const VALIDATION = 0x01;
const BOOTABLE = 0x88;
const SECTION_HEADER = 0x90;
const LAST_SECTION_HEADER = 0x91;
/** Extension entries continue the entry before them; they do not count as section entries. */
const EXTENSION = 0x44;

export const PLATFORM_BIOS = 0x00;
export const PLATFORM_UEFI = 0xef;

export interface BootEntries {
  /** Platform ids of the bootable entries, in catalog order. */
  platforms: number[];
}

function validationEntryOk(catalog: Uint8Array): boolean {
  if (catalog.length < ENTRY * 2 || catalog[0] !== VALIDATION || catalog[30] !== 0x55 || catalog[31] !== 0xaa) return false;
  let sum = 0;
  for (let i = 0; i < ENTRY; i += 2) sum = (sum + catalog[i]! + (catalog[i + 1]! << 8)) & 0xffff;
  return sum === 0;
}

/** The bootable entries of a catalog sector; null when it is not a valid boot catalog. */
export function readBootCatalog(catalog: Uint8Array): BootEntries | null {
  if (!validationEntryOk(catalog)) return null;
  const platforms: number[] = [];
  if (catalog[ENTRY] === BOOTABLE) platforms.push(catalog[1]!);
  let offset = ENTRY * 2;
  let more = true;
  while (more && offset + ENTRY <= catalog.length) {
    const header = catalog[offset]!;
    if (header !== SECTION_HEADER && header !== LAST_SECTION_HEADER) break;
    more = header === SECTION_HEADER;
    const platform = catalog[offset + 1]!;
    let entries = catalog[offset + 2]! | (catalog[offset + 3]! << 8);
    offset += ENTRY;
    while (entries > 0 && offset + ENTRY <= catalog.length) {
      const indicator = catalog[offset]!;
      if (indicator === EXTENSION) {
        offset += ENTRY;
        continue;
      }
      if (indicator === BOOTABLE) platforms.push(platform);
      offset += ENTRY;
      entries--;
    }
  }
  return { platforms };
}

export function bootModes(entries: BootEntries): 'bios' | 'uefi' | 'both' | 'none' {
  const bios = entries.platforms.includes(PLATFORM_BIOS);
  const uefi = entries.platforms.includes(PLATFORM_UEFI);
  if (bios && uefi) return 'both';
  if (bios) return 'bios';
  if (uefi) return 'uefi';
  return 'none';
}
