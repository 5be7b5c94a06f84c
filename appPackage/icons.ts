/**
 * Draws the two Teams icons (a shield with a check mark) into appPackage/. Run it again after changing the design:
 *   npx tsx appPackage/icons.ts
 * color.png: 192×192, opaque, the accent colour behind a white shield. outline.png: 32×32, white on transparent.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

/** The manifest's accentColor; the colour icon's background. */
export const ACCENT = { hex: '#2B5FB4', rgb: [0x2b, 0x5f, 0xb4] as const };

type Shape = (x: number, y: number) => boolean;

/** Shield in unit coordinates: straight sides down to the middle, then curving to a point. */
const shield = (inset: number): Shape => (x, y) => {
  const top = 0.14 + inset, mid = 0.5, bottom = 0.9 - inset * 1.6, half = 0.3 - inset;
  if (y < top || y > bottom) return false;
  const width = y <= mid ? half : half * Math.cos(((y - mid) / (bottom - mid)) * (Math.PI / 2));
  return Math.abs(x - 0.5) <= width;
};

function nearSegment(x: number, y: number, [ax, ay]: number[], [bx, by]: number[], radius: number): boolean {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= radius * radius;
}

const check = (radius: number): Shape => (x, y) =>
  nearSegment(x, y, [0.37, 0.5], [0.47, 0.61], radius) || nearSegment(x, y, [0.47, 0.61], [0.65, 0.37], radius);

/** Fraction of a pixel's 4×4 sub-samples inside the shape (anti-aliasing). */
function coverage(shape: Shape, px: number, py: number, size: number): number {
  let hits = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (shape((px + (i + 0.5) / 4) / size, (py + (j + 0.5) / 4) / size)) hits++;
  return hits / 16;
}

function draw(size: number, pixel: (px: number, py: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) png.data.set(pixel(px, py).map(Math.round), (py * size + px) * 4);
  return PNG.sync.write(png);
}

/** 192×192: accent background, white shield, the check mark cut out in the accent colour. */
export function colorIcon(): Buffer {
  const glyph: Shape = (x, y) => shield(0.06)(x, y) && !check(0.045)(x, y);
  return draw(192, (px, py) => {
    const c = coverage(glyph, px, py, 192);
    return [...ACCENT.rgb.map((v) => v + (255 - v) * c), 255] as [number, number, number, number];
  });
}

/** 32×32: a white shield outline and check mark; every pixel is white, and transparent outside the glyph. */
export function outlineIcon(): Buffer {
  const glyph: Shape = (x, y) => (shield(0)(x, y) && !shield(0.075)(x, y)) || check(0.05)(x, y);
  return draw(32, (px, py) => [255, 255, 255, 255 * coverage(glyph, px, py, 32)]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  writeFileSync(path.join(dir, 'color.png'), colorIcon());
  writeFileSync(path.join(dir, 'outline.png'), outlineIcon());
  console.log(`wrote ${path.join(dir, 'color.png')} and outline.png`);
}
