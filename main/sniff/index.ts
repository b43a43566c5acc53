/**
 * ISO sniffing: what a file is, from as few bytes as possible. The first 64 KiB hold the system
 * area (an MBR or GPT, or the magic number of whatever else the file is) and the volume
 * descriptors from sector 16; one more sector read gives the El Torito boot catalog. Pure parsing
 * over a ByteSource: where the bytes come from (an HTTP server with range requests, a test's
 * buffer) is the source's business.
 */
import type { ImageReport } from '../ipc/contract.js';
import { bootModes, readBootCatalog } from './el-torito.js';
import { FIRST_DESCRIPTOR, SECTOR, readVolumeDescriptors, type VolumeFacts } from './iso9660.js';
import { mistakeSignature, partitionTable, type Signature } from './signatures.js';

/** The system area and sectors 16–31: enough for every volume descriptor set seen in practice. */
export const HEAD_BYTES = 64 * 1024;

export interface ByteSource {
  /**
   * Up to `length` bytes from `offset`. Null when the source cannot read there (a server that
   * ignores range requests gives only the start of the file); throws when the file cannot be read
   * at all, with a message for people.
   */
  read(offset: number, length: number): Promise<Uint8Array | null>;
  /** What reading taught so far. */
  readonly fileSize: number | null;
  readonly bytesRead: number;
  readonly ranges: boolean;
}

const MISTAKE_WARNINGS: Record<Signature['kind'], (format: string) => string> = {
  html: () => 'The link gives a web page, not an ISO file (probably a download page): open it in a browser and copy the direct link to the .iso file.',
  archive: (format) =>
    `This is a compressed ${format} archive, not an ISO: HOSTKEY cannot mount it. Link to the uncompressed .iso, or unpack it and upload the ISO inside.`,
  disk_image: (format) =>
    `This is a disk image (${DISK_NAMES[format] ?? format}), not an ISO: HOSTKEY mounts ISO images as a virtual CD. Use the .iso edition of this system.`,
  executable: (format) => `This is a program (${format === 'exe' ? 'Windows .exe' : 'Linux ELF'}), not an ISO image.`,
};

const DISK_NAMES: Record<string, string> = {
  qcow2: 'QEMU qcow2',
  vmdk: 'VMware VMDK',
  vdi: 'VirtualBox VDI',
  vhd: 'Hyper-V VHD',
  vhdx: 'Hyper-V VHDX',
  mbr: 'a raw disk with an MBR partition table',
  gpt: 'a raw disk with a GPT partition table',
  fat: 'a FAT file system',
};

export async function sniffImage(source: ByteSource): Promise<ImageReport> {
  const head = (await source.read(0, HEAD_BYTES)) ?? new Uint8Array(0);
  const volume = readVolumeDescriptors(head);
  const report: ImageReport = {
    kind: 'unknown',
    format: null,
    iso9660: false,
    udf: false,
    volume_label: null,
    created_at: null,
    volume_size: null,
    boot: null,
    hybrid: false,
    file_size: null,
    bytes_read: 0,
    ranges: false,
    warnings: [],
  };
  if (volume) await describeVolume(report, volume, head, source);
  else describeOther(report, head, source.fileSize);
  report.file_size = source.fileSize;
  report.bytes_read = source.bytesRead;
  report.ranges = source.ranges;
  if (report.volume_size !== null && report.file_size !== null && report.file_size < report.volume_size) {
    report.warnings.push(
      `The file (${report.file_size} bytes) is smaller than the volume it holds (${report.volume_size} bytes): it looks truncated on the server.`,
    );
  }
  return report;
}

async function describeVolume(report: ImageReport, volume: VolumeFacts, head: Uint8Array, source: ByteSource): Promise<void> {
  report.kind = 'iso';
  report.iso9660 = volume.iso9660;
  report.udf = volume.udf;
  report.volume_label = volume.volumeLabel;
  report.created_at = volume.createdAt;
  report.volume_size = volume.volumeSize;
  const table = partitionTable(head);
  report.hybrid = table !== null;
  report.format = table;
  if (!volume.iso9660) {
    report.warnings.push('A UDF-only image (no ISO 9660 volume): some firmware cannot boot or read it from a virtual CD.');
    return;
  }
  if (volume.bootCatalogSector === null) {
    report.boot = 'none';
    report.warnings.push('The ISO has no El Torito boot record, so a server cannot boot from it (fine for a data disc such as drivers).');
    return;
  }
  report.boot = await readBoot(report, volume.bootCatalogSector, head, source);
}

async function readBoot(report: ImageReport, sector: number, head: Uint8Array, source: ByteSource): Promise<ImageReport['boot']> {
  const start = sector * SECTOR;
  let catalog: Uint8Array | null;
  try {
    catalog = start + SECTOR <= head.length ? head.subarray(start, start + SECTOR) : await source.read(start, SECTOR);
  } catch (err) {
    report.warnings.push(`The boot catalog could not be read (${err instanceof Error ? err.message : String(err)}), so the boot modes are unknown.`);
    return 'unknown';
  }
  if (catalog === null) {
    report.warnings.push(
      'The server does not allow partial downloads, so ISO Desk read only the first 64 KiB and did not reach the boot catalog: the boot modes are unknown.',
    );
    return 'unknown';
  }
  const entries = readBootCatalog(catalog);
  if (!entries) {
    report.warnings.push('The ISO has a boot record but its boot catalog is not valid: servers will probably not boot from it.');
    return 'unknown';
  }
  const modes = bootModes(entries);
  if (modes === 'none') report.warnings.push('The boot catalog lists no bootable entry, so a server cannot boot from this ISO.');
  return modes;
}

function describeOther(report: ImageReport, head: Uint8Array, fileSize: number | null): void {
  if (fileSize === 0 || head.length === 0) {
    report.warnings.push('The file is empty.');
    return;
  }
  const signature = mistakeSignature(head);
  if (signature) {
    report.kind = signature.kind;
    report.format = signature.format;
    report.warnings.push(MISTAKE_WARNINGS[signature.kind](signature.format));
    return;
  }
  report.warnings.push(
    fileSize !== null && fileSize < (FIRST_DESCRIPTOR + 1) * SECTOR
      ? `The file is only ${fileSize} bytes long: too short to be an ISO image.`
      : 'This does not look like an ISO image: there is no ISO 9660 or UDF volume at sector 16.',
  );
}
