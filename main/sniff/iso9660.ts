/**
 * The volume descriptors of an optical disc image (ECMA-119 / ISO 9660 and the ECMA-167 volume
 * recognition sequence that announces UDF). They start at sector 16, one per 2048-byte sector:
 * the primary volume descriptor ("CD001", type 1) names the volume, dates it and sizes it; a boot
 * record (type 0, "EL TORITO SPECIFICATION") points at the boot catalog; "BEA01", "NSR02"/"NSR03"
 * and "TEA01" after the set terminator mean a UDF file system is present too.
 */

export const SECTOR = 2048;
export const FIRST_DESCRIPTOR = 16;

export interface VolumeFacts {
  iso9660: boolean;
  udf: boolean;
  volumeLabel: string | null;
  /** ISO 8601, UTC. */
  createdAt: string | null;
  volumeSize: number | null;
  /** Sector of the El Torito boot catalog; null when the image has no boot record. */
  bootCatalogSector: number | null;
}

const ISO_ID = 'CD001';
const UDF_IDS = new Set(['BEA01', 'NSR02', 'NSR03', 'TEA01', 'BOOT2', 'CDW02']);
const UDF_FILE_SYSTEM = new Set(['NSR02', 'NSR03']);
const TYPE_BOOT_RECORD = 0;
const TYPE_PRIMARY = 1;
const EL_TORITO = 'EL TORITO SPECIFICATION';

function text(bytes: Uint8Array, start: number, length: number): string {
  return Buffer.from(bytes.subarray(start, start + length)).toString('latin1');
}

/** A descriptor's text field: d-characters padded with spaces (or NULs from some tools). */
function field(bytes: Uint8Array, start: number, length: number): string | null {
  const value = text(bytes, start, length)
    .replace(/[\0-\x1f\x7f-\xff]/g, '')
    .trim();
  return value || null;
}

/**
 * ECMA-119 8.4.26.1: sixteen digits YYYYMMDDHHMMSScc and a signed offset from GMT in 15-minute
 * steps. All zeros (or anything that is not digits) means "not specified".
 */
export function decDateTime(bytes: Uint8Array, start: number): string | null {
  const digits = text(bytes, start, 16);
  if (!/^\d{16}$/.test(digits) || /^0{16}$/.test(digits)) return null;
  const n = (from: number, to: number) => Number(digits.slice(from, to));
  const [year, month, day, hour, minute, second, hundredths] = [n(0, 4), n(4, 6), n(6, 8), n(8, 10), n(10, 12), n(12, 14), n(14, 16)];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const offsetQuarters = (bytes[start + 16]! << 24) >> 24;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, hundredths * 10) - offsetQuarters * 15 * 60_000;
  return new Date(utc).toISOString();
}

/**
 * Reads the descriptors present in `bytes` (the image from offset 0). Returns null when sector 16
 * holds neither an ISO 9660 nor a UDF descriptor: then it is not an optical disc image.
 */
export function readVolumeDescriptors(bytes: Uint8Array): VolumeFacts | null {
  const facts: VolumeFacts = { iso9660: false, udf: false, volumeLabel: null, createdAt: null, volumeSize: null, bootCatalogSector: null };
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let recognised = false;
  for (let offset = FIRST_DESCRIPTOR * SECTOR; offset + SECTOR <= bytes.length; offset += SECTOR) {
    const id = text(bytes, offset + 1, 5);
    if (id === ISO_ID) {
      recognised = true;
      const type = bytes[offset]!;
      if (type === TYPE_PRIMARY && !facts.iso9660) {
        facts.iso9660 = true;
        facts.volumeLabel = field(bytes, offset + 40, 32);
        const blocks = view.readUInt32LE(offset + 80);
        const blockSize = view.readUInt16LE(offset + 128);
        facts.volumeSize = blocks > 0 && blockSize > 0 ? blocks * blockSize : null;
        facts.createdAt = decDateTime(bytes, offset + 813);
      } else if (type === TYPE_BOOT_RECORD && text(bytes, offset + 7, EL_TORITO.length) === EL_TORITO) {
        facts.bootCatalogSector = view.readUInt32LE(offset + 71);
      }
    } else if (UDF_IDS.has(id)) {
      recognised = true;
      if (UDF_FILE_SYSTEM.has(id)) facts.udf = true;
    } else {
      // The sequence ends at the first sector that is no descriptor.
      break;
    }
  }
  return recognised ? facts : null;
}
