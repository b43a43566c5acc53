/**
 * Minimal writers for the two icon containers the installers need. Both simply wrap PNG files:
 * - .ico (Windows): ICONDIR header, one 16-byte ICONDIRENTRY per image, then the PNG data
 *   (PNG-compressed entries are valid since Windows Vista).
 * - .icns (macOS): 'icns' + total length, then per image an OSType + length + PNG data.
 */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngImage {
  data: Buffer;
}

/** Width and height from a PNG's IHDR chunk; throws when `data` is not a PNG. */
export function pngDimensions(data: Buffer): { width: number; height: number } {
  if (data.length < 24 || !data.subarray(0, 8).equals(PNG_SIGNATURE) || data.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('Not a PNG image');
  }
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

function squareSize(image: PngImage): number {
  const { width, height } = pngDimensions(image.data);
  if (width !== height) throw new Error(`Icon images must be square, got ${width}x${height}`);
  return width;
}

export function encodeIco(images: readonly PngImage[]): Buffer {
  const sized = images.map((image) => ({ image, size: squareSize(image) }));
  for (const { size } of sized) if (size > 256) throw new Error(`.ico images are at most 256 px, got ${size}`);
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(sized.length, 4);
  const entries = Buffer.alloc(16 * sized.length);
  let offset = header.length + entries.length;
  sized.forEach(({ image, size }, i) => {
    const at = i * 16;
    entries.writeUInt8(size === 256 ? 0 : size, at); // 0 means 256
    entries.writeUInt8(size === 256 ? 0 : size, at + 1);
    entries.writeUInt8(0, at + 2); // no palette
    entries.writeUInt8(0, at + 3); // reserved
    entries.writeUInt16LE(1, at + 4); // colour planes
    entries.writeUInt16LE(32, at + 6); // bits per pixel
    entries.writeUInt32LE(image.data.length, at + 8);
    entries.writeUInt32LE(offset, at + 12);
    offset += image.data.length;
  });
  return Buffer.concat([header, entries, ...sized.map(({ image }) => image.data)]);
}

/** The icns element types that hold PNG data, by pixel size (@1x, then the @2x type of half the size). */
const ICNS_TYPES: Record<number, string[]> = {
  16: ['icp4'],
  32: ['icp5', 'ic11'],
  64: ['icp6', 'ic12'],
  128: ['ic07'],
  256: ['ic08', 'ic13'],
  512: ['ic09', 'ic14'],
  1024: ['ic10'],
};

export function encodeIcns(images: readonly PngImage[]): Buffer {
  const elements: Buffer[] = [];
  for (const image of images) {
    const size = squareSize(image);
    const types = ICNS_TYPES[size];
    if (!types) throw new Error(`.icns has no PNG slot for ${size} px`);
    for (const type of types) {
      const head = Buffer.alloc(8);
      head.write(type, 0, 'latin1');
      head.writeUInt32BE(8 + image.data.length, 4);
      elements.push(head, image.data);
    }
  }
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(8 + elements.reduce((n, b) => n + b.length, 0), 4);
  return Buffer.concat([header, ...elements]);
}
