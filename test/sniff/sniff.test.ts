/**
 * The sniffer on real images: ISOs built by xorriso and genisoimage with the boot setups found in
 * the wild, archives made by zip, xz and zlib, and byte-exact disk headers. Bytes come from the
 * files through a ByteSource that counts what was read, with and without range support.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAD_BYTES, sniffImage, type ByteSource } from '../../main/sniff/index.js';
import { decDateTime, readVolumeDescriptors } from '../../main/sniff/iso9660.js';
import { readBootCatalog } from '../../main/sniff/el-torito.js';
import { IMAGE_DATE, buildSampleImages, type SampleImages } from '../fixtures/images.js';

let dir: string;
let images: SampleImages;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-sniff-'));
  images = buildSampleImages(dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A file read as a server would serve it: by ranges, or (ranges: false) only its start. */
function fileSource(file: string, ranges = true): ByteSource & { reads: [number, number][] } {
  const bytes = fs.readFileSync(file);
  const source = {
    fileSize: null as number | null,
    bytesRead: 0,
    ranges,
    reads: [] as [number, number][],
    async read(offset: number, length: number) {
      source.reads.push([offset, length]);
      source.fileSize = bytes.length;
      if (!ranges && offset > 0) return null;
      const piece = bytes.subarray(offset, offset + length);
      source.bytesRead += piece.length;
      return piece;
    },
  };
  return source;
}

const sniff = (file: string, ranges = true) => sniffImage(fileSource(file, ranges));

describe('ISO images', () => {
  it('BIOS only: an El Torito entry for platform x86, no MBR', async () => {
    const report = await sniff(images.bios);
    expect(report).toMatchObject({
      kind: 'iso',
      iso9660: true,
      udf: false,
      volume_label: 'BIOS_ONLY',
      created_at: IMAGE_DATE,
      boot: 'bios',
      hybrid: false,
      format: null,
      warnings: [],
    });
    expect(report.volume_size).toBe(fs.statSync(images.bios).size);
  });

  it('UEFI only: one entry for platform 0xEF', async () => {
    expect(await sniff(images.uefi)).toMatchObject({ kind: 'iso', volume_label: 'UEFI_ONLY', boot: 'uefi', hybrid: false, warnings: [] });
  });

  it('hybrid: BIOS and UEFI entries, and an MBR and GPT for USB sticks', async () => {
    const report = await sniff(images.hybrid);
    expect(report).toMatchObject({ kind: 'iso', volume_label: 'HYBRID_24_04', boot: 'both', hybrid: true, format: 'gpt', warnings: [] });
  });

  it('UDF bridge: ISO 9660 and UDF, not bootable', async () => {
    const report = await sniff(images.udf);
    expect(report).toMatchObject({ kind: 'iso', iso9660: true, udf: true, volume_label: 'WIN_UDF', boot: 'none' });
    expect(report.warnings.join(' ')).toMatch(/no El Torito boot record/);
    // genisoimage stamps the build time.
    expect(Math.abs(Date.parse(report.created_at!) - fs.statSync(images.udf).mtimeMs)).toBeLessThan(60_000);
  });

  it('a data disc says a server cannot boot from it', async () => {
    const report = await sniff(images.data);
    expect(report).toMatchObject({ kind: 'iso', boot: 'none', volume_label: 'DRIVERS' });
    expect(report.warnings).toEqual([expect.stringMatching(/cannot boot from it/)]);
  });

  it('reads the first 64 KiB, then just the boot catalog sector', async () => {
    const source = fileSource(images.hybrid);
    await sniffImage(source);
    const catalog = readVolumeDescriptors(fs.readFileSync(images.hybrid).subarray(0, HEAD_BYTES))!.bootCatalogSector!;
    expect(source.reads).toEqual([
      [0, HEAD_BYTES],
      [catalog * 2048, 2048],
    ]);
    expect(source.bytesRead).toBe(HEAD_BYTES + 2048);
  });

  it('without range support: the first 64 KiB only, and boot modes unknown', async () => {
    const report = await sniff(images.bios, false);
    expect(report).toMatchObject({ kind: 'iso', volume_label: 'BIOS_ONLY', boot: 'unknown', ranges: false, bytes_read: HEAD_BYTES });
    expect(report.warnings.join(' ')).toMatch(/does not allow partial downloads.*first 64 KiB/);
  });

  it('says when the file is smaller than its volume (truncated upload source)', async () => {
    const truncated = path.join(dir, 'truncated.iso');
    fs.writeFileSync(truncated, fs.readFileSync(images.bios).subarray(0, 200 * 1024));
    const report = await sniff(truncated);
    expect(report.boot).toBe('bios');
    expect(report.warnings.join(' ')).toMatch(/smaller than the volume.*truncated/);
  });
});

describe('what people upload by mistake', () => {
  it.each([
    ['html', 'html', 'html', /web page/],
    ['zip', 'archive', 'zip', /compressed zip archive/],
    ['xz', 'archive', 'xz', /compressed xz archive/],
    ['gzip', 'archive', 'gzip', /compressed gzip archive/],
    ['qcow2', 'disk_image', 'qcow2', /disk image \(QEMU qcow2\)/],
    ['vmdk', 'disk_image', 'vmdk', /disk image \(VMware VMDK\)/],
    ['mbrDisk', 'disk_image', 'mbr', /raw disk with an MBR partition table/],
    ['gptDisk', 'disk_image', 'gpt', /raw disk with a GPT partition table/],
  ] as const)('%s', async (name, kind, format, warning) => {
    const report = await sniff(images[name]);
    expect(report).toMatchObject({ kind, format, iso9660: false, udf: false, boot: null, hybrid: false });
    expect(report.warnings).toEqual([expect.stringMatching(warning)]);
  });

  it('anything else is "not an ISO", and tiny files say so', async () => {
    const noise = path.join(dir, 'noise.bin');
    fs.writeFileSync(noise, Buffer.alloc(100 * 1024, 0x41));
    expect((await sniff(noise)).warnings).toEqual([expect.stringMatching(/no ISO 9660 or UDF volume at sector 16/)]);
    const tiny = path.join(dir, 'tiny.iso');
    fs.writeFileSync(tiny, 'hello');
    expect((await sniff(tiny)).warnings).toEqual([expect.stringMatching(/only 5 bytes long/)]);
    const empty = path.join(dir, 'empty.iso');
    fs.writeFileSync(empty, '');
    expect((await sniff(empty)).warnings).toEqual(['The file is empty.']);
  });
});

describe('descriptor details', () => {
  it('decodes ECMA-119 dates with their GMT offset, and "not specified"', () => {
    const date = (digits: string, offset: number) => Buffer.concat([Buffer.from(digits, 'latin1'), Buffer.from([offset & 0xff])]);
    expect(decDateTime(date('2024101209300000', 0), 0)).toBe('2024-10-12T09:30:00.000Z');
    // +02:00 is 8 quarters east of GMT; -05:00 is -20.
    expect(decDateTime(date('2024101211300050', 8), 0)).toBe('2024-10-12T09:30:00.500Z');
    expect(decDateTime(date('2024101204300000', -20), 0)).toBe('2024-10-12T09:30:00.000Z');
    expect(decDateTime(date('0000000000000000', 0), 0)).toBeNull();
    expect(decDateTime(date('2024131209300000', 0), 0)).toBeNull();
  });

  it('refuses a boot catalog whose validation entry does not check out', () => {
    const bytes = fs.readFileSync(images.hybrid);
    const sector = readVolumeDescriptors(bytes.subarray(0, HEAD_BYTES))!.bootCatalogSector!;
    const catalog = Buffer.from(bytes.subarray(sector * 2048, sector * 2048 + 2048));
    expect(readBootCatalog(catalog)?.platforms).toEqual([0x00, 0xef]);
    catalog[4] = catalog[4]! ^ 0xff;
    expect(readBootCatalog(catalog)).toBeNull();
  });
});
