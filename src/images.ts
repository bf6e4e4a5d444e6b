// The image seam: media types from bytes (file-type), SVG rasterised to PNG (resvg, with bundled fonts so
// that the output is the same on every machine), and image types e-readers do not all show (WebP, AVIF,
// TIFF, BMP...) decoded by sharp and written as PNG. Nothing else in quire touches image libraries.
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import pako from 'pako';

// The libraries are loaded on first use: most builds need none (no images, a cached cover).

export interface ImageType {
  mediaType: string;
  extension: string;
  /** Whether every EPUB reading system shows it (EPUB 3 core media types quire embeds as they are). */
  core: boolean;
}

const CORE: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif' };

/** The type of an image, judged by its bytes; undefined when the bytes are not an image. */
export async function sniffImage(bytes: Uint8Array): Promise<ImageType | undefined> {
  if (looksLikeSvg(bytes)) return { mediaType: 'image/svg+xml', extension: 'svg', core: false };
  const { fileTypeFromBuffer } = await import('file-type');
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !type.mime.startsWith('image/')) return undefined;
  const ext = CORE[type.mime];
  return ext ? { mediaType: type.mime, extension: ext, core: true } : { mediaType: type.mime, extension: type.ext, core: false };
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8').replace(/^\uFEFF/, '');
  if (!/^\s*(<\?xml[^>]*>\s*)?(<!--[^]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?(<!--[^]*?-->\s*)*<svg[\s>]/i.test(head)) return false;
  return true;
}

const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_FILES = ['DejaVuSerif.ttf', 'DejaVuSerif-Bold.ttf', 'DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => path.join(fontDir, f));

/** Largest side, in pixels, of an SVG rasterised for the book. */
const MAX_SIDE = 2000;

const FONT_OPTIONS = { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Serif', serifFamily: 'DejaVu Serif', sansSerifFamily: 'DejaVu Sans' };

/**
 * Rasterise an SVG document to PNG, `width` pixels wide (default: its own size, at most MAX_SIDE).
 * Throws on an SVG that cannot be read. External files and URLs inside the SVG are never loaded.
 */
export async function svgToPng(svg: Uint8Array | string, width?: number): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const data = typeof svg === 'string' ? svg : Buffer.from(svg);
  let fitTo: { mode: 'original' } | { mode: 'width' | 'height'; value: number } = width ? { mode: 'width', value: width } : { mode: 'original' };
  if (!width) {
    const probe = new Resvg(data, { font: FONT_OPTIONS });
    if (Math.max(probe.width, probe.height) > MAX_SIDE) fitTo = probe.width >= probe.height ? { mode: 'width', value: MAX_SIDE } : { mode: 'height', value: MAX_SIDE };
  }
  return new Resvg(data, { font: FONT_OPTIONS, fitTo }).render().asPng();
}

/**
 * Decode an image e-readers may not show and write it as PNG. The pixels come from sharp; the PNG is
 * written here with pako, because sharp's zlib may compress differently on other CPUs and the book must
 * be the same bytes everywhere.
 */
export async function toPng(bytes: Uint8Array): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: 100_000_000, animated: false })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return encodePng(data, info.width, info.height);
}

/** A PNG of RGBA pixels: no filters, one IDAT chunk. */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  const chunk = (type: string, body: Uint8Array) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type, 'latin1'), body])) >>> 0, 0);
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', pako.deflate(raw, { level: 9 })), chunk('IEND', new Uint8Array())]);
}

/** A JPEG at most `side` pixels on its longer side, for catalog thumbnails (served, never put in a book). */
export async function thumbnailJpeg(bytes: Uint8Array, side = 400): Promise<Buffer> {
  if (looksLikeSvg(bytes)) bytes = await svgToPng(bytes, side);
  const sharp = (await import('sharp')).default;
  return sharp(bytes, { failOn: 'error', limitInputPixels: 100_000_000, animated: false })
    .resize(side, side, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 80 })
    .toBuffer();
}
