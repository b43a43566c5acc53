import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeIcns, encodeIco, pngDimensions } from '../../main/build/icon-formats.js';

const resources = path.resolve(import.meta.dirname, '../../main/shell/resources');
const png = (size: number) => ({ data: fs.readFileSync(path.join(resources, 'icons', `${size}x${size}.png`)) });

/** Reads an .ico back: the header, then each directory entry and the PNG it points to. */
function readIco(ico: Buffer) {
  expect(ico.readUInt16LE(0)).toBe(0);
  expect(ico.readUInt16LE(2)).toBe(1);
  const count = ico.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const at = 6 + i * 16;
    const length = ico.readUInt32LE(at + 8);
    const offset = ico.readUInt32LE(at + 12);
    return {
      width: ico.readUInt8(at) || 256,
      height: ico.readUInt8(at + 1) || 256,
      bpp: ico.readUInt16LE(at + 6),
      image: pngDimensions(ico.subarray(offset, offset + length)),
      end: offset + length,
    };
  });
}

/** Reads an .icns back: its declared length and each element's type and PNG size. */
function readIcns(icns: Buffer) {
  expect(icns.toString('latin1', 0, 4)).toBe('icns');
  expect(icns.readUInt32BE(4)).toBe(icns.length);
  const elements: { type: string; size: number }[] = [];
  for (let at = 8; at < icns.length;) {
    const length = icns.readUInt32BE(at + 4);
    elements.push({ type: icns.toString('latin1', at, at + 4), size: pngDimensions(icns.subarray(at + 8, at + length)).width });
    at += length;
  }
  return elements;
}

describe('icon containers', () => {
  it('writes an .ico whose entries point at PNGs of the sizes they declare', () => {
    const ico = encodeIco([16, 32, 48, 256].map(png));
    const entries = readIco(ico);
    expect(entries.map((e) => [e.width, e.height, e.image.width, e.bpp])).toEqual([
      [16, 16, 16, 32],
      [32, 32, 32, 32],
      [48, 48, 48, 32],
      [256, 256, 256, 32],
    ]);
    expect(entries.at(-1)?.end).toBe(ico.length);
  });

  it('writes an .icns with the 1x and retina slots for each size', () => {
    const elements = readIcns(encodeIcns([16, 32, 512, 1024].map(png)));
    expect(elements).toEqual([
      { type: 'icp4', size: 16 },
      { type: 'icp5', size: 32 },
      { type: 'ic11', size: 32 },
      { type: 'ic09', size: 512 },
      { type: 'ic14', size: 512 },
      { type: 'ic10', size: 1024 },
    ]);
  });

  it('refuses images that do not fit the format', () => {
    expect(() => encodeIco([png(512)])).toThrow(/at most 256/);
    expect(() => encodeIcns([png(48)])).toThrow(/no PNG slot for 48/);
    expect(() => encodeIco([{ data: Buffer.from('GIF89a not a png at all....') }])).toThrow(/Not a PNG/);
  });
});

describe('committed icons', () => {
  it('has every PNG size the installers use, each really that size', () => {
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngDimensions(png(size).data)).toEqual({ width: size, height: size });
    }
  });

  it('ships a valid icon.ico and icon.icns up to 256 and 1024 px', () => {
    const ico = readIco(fs.readFileSync(path.join(resources, 'icon.ico')));
    expect(ico.map((e) => e.image.width)).toEqual([16, 32, 48, 64, 128, 256]);
    const icns = readIcns(fs.readFileSync(path.join(resources, 'icon.icns')));
    expect(new Set(icns.map((e) => e.type))).toEqual(new Set(['icp4', 'icp5', 'ic11', 'icp6', 'ic12', 'ic07', 'ic08', 'ic13', 'ic09', 'ic14', 'ic10']));
  });

  it('has tray images at 1x and 2x', () => {
    for (const [name, size] of [
      ['tray.png', 16],
      ['tray@2x.png', 32],
      ['trayTemplate.png', 16],
      ['trayTemplate@2x.png', 32],
    ] as const) {
      expect(pngDimensions(fs.readFileSync(path.join(resources, 'tray', name)))).toEqual({ width: size, height: size });
    }
  });
});
