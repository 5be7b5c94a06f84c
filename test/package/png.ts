import { PNG } from 'pngjs';

/** Width and height from the IHDR chunk, which must come first after the 8-byte signature. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!png.subarray(0, 8).equals(signature)) throw new Error('not a PNG');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('IHDR is not the first chunk');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Every pixel as [r, g, b, a], decoded whatever the PNG's colour type and filters. */
export function pngPixels(png: Buffer): Array<[number, number, number, number]> {
  const { data } = PNG.sync.read(png);
  const pixels: Array<[number, number, number, number]> = [];
  for (let i = 0; i < data.length; i += 4) pixels.push([data[i], data[i + 1], data[i + 2], data[i + 3]]);
  return pixels;
}
