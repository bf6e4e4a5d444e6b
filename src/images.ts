// The image seam: media types from bytes (file-type), SVG rasterised to PNG (resvg, with bundled fonts so
// that the output is the same on every machine), and image types e-readers do not all show (WebP, AVIF,
// TIFF, BMP...) decoded by sharp and written as PNG. Nothing else in quire touches image libraries.
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import pako from 'pako';
import { filterWork, parseSvg, replaceReference, serializeSvg, svgReferences, withoutFilters, type SvgDocument } from './svg.js';

// The libraries are loaded on first use: most builds need none (no images, a cached cover).

// resvg-js allocates with mimalloc, which by default gives pages it has freed back to the system only on a
// later allocation, 10 ms on: after the last drawing of a build (the generated cover, before the chapters)
// there is none, and 30-40 MB of the cover's pixels stayed resident to the end of the build (peak memory,
// 1,000 real-docs articles cold, main thread: 262-272 MB with the cover generated, 233-243 MB with this,
// 216-234 MB with a cover given).
// mimalloc reads its options from the environment when resvg-js is loaded, so they are set first, unless the
// user has; a worker thread's environment is its own, so this takes effect when the main thread loads this
// module first, as a build does.
process.env.MIMALLOC_PURGE_DELAY ??= '0';

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
  if (!/^\s*(<\?xml[^>]*>\s*)?(<!--[^]*?-->\s*)*(<!DOCTYPE svg[^[>]*(\[[^]*?\]\s*)?>\s*)?(<!--[^]*?-->\s*)*<svg[\s>]/i.test(head)) return false;
  return true;
}

const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_FILES = ['DejaVuSerif.ttf', 'DejaVuSerif-Bold.ttf', 'DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => path.join(fontDir, f));

/** Largest side, in pixels, of an SVG rasterised for the book (a cover given a width may be taller). */
const MAX_SIDE = 2000;
const MAX_DRAWN_SIDE = 4096;
/**
 * Filter work an SVG may take, in pixels times filter primitives: a blur over a full 2000 x 2000 drawing
 * is about 6 million (2 s on a busy two-core machine); one blur over a region 11 times the drawing's size
 * took 36 s. Beyond this, the SVG is drawn without its filters.
 */
export const MAX_FILTER_WORK = 16_000_000;
/** Pixels of the raster images one SVG may embed, all together (a small PNG can decode to gigabytes). */
export const MAX_SVG_IMAGE_PIXELS = 50_000_000;
/** How deep SVG images may hold SVG images. */
const MAX_SVG_NESTING = 3;

const FONT_OPTIONS = { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Serif', serifFamily: 'DejaVu Serif', sansSerifFamily: 'DejaVu Sans' };

/**
 * How many pixels an SVG image gets for each of its CSS pixels: e-ink screens have about 300 dots per inch,
 * three times the 96 of a CSS inch, and an SVG drawn at 1x looked soft on them.
 */
export const SVG_SCALE = 3;

/** Something drawing an SVG changed or left out: the caller reports it against the image. */
export interface DrawingNote {
  code: 'image-refused' | 'image-too-complex';
  message: string;
}

export interface DrawOptions {
  /** Width in pixels (default: SVG_SCALE pixels for each of the SVG's CSS pixels, at most MAX_SIDE a side). */
  width?: number;
  /**
   * Reads a file a local SVG refers to (a relative path), or says why it may not; without it, an SVG
   * draws only what it embeds as `data:` URLs.
   */
  readFile?: (href: string) => Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: string }>;
  /** The fonts its text is drawn with (default: DejaVu; the generated cover needs none, its text is glyph outlines already). */
  fontFiles?: readonly string[];
}

/**
 * Rasterise an untrusted SVG document to PNG. Nothing outside it is read but what `readFile` allows;
 * other references are removed (each with a note), raster images it embeds are limited in pixels, and
 * filters that would take too long to draw are left out (with a note). Throws on an SVG that cannot be read.
 */
export async function drawSvg(svg: Uint8Array | string, options: DrawOptions = {}): Promise<{ png: Buffer; notes: DrawingNote[]; width: number; height: number }> {
  const { Resvg } = await import('@resvg/resvg-js');
  const notes: DrawingNote[] = [];
  const doc = await settleSvg(typeof svg === 'string' ? svg : Buffer.from(svg).toString('utf8'), options.readFile, 0, notes, { pixels: 0 });
  let text = serializeSvg(doc);
  const font = options.fontFiles ? { ...FONT_OPTIONS, fontFiles: [...options.fontFiles] } : FONT_OPTIONS;
  const probe = new Resvg(text, { font });
  const { width, height } = probe;
  let out = options.width ? { width: options.width, height: (height * options.width) / width } : { width: width * SVG_SCALE, height: height * SVG_SCALE };
  const cap = options.width ? MAX_DRAWN_SIDE : MAX_SIDE;
  if (Math.max(out.width, out.height) > cap) out = out.width >= out.height ? { width: cap, height: (out.height * cap) / out.width } : { width: (out.width * cap) / out.height, height: cap };
  const fitTo = out.width >= out.height ? { mode: 'width' as const, value: Math.max(1, Math.round(out.width)) } : { mode: 'height' as const, value: Math.max(1, Math.round(out.height)) };
  // Elements may reach far beyond the canvas: their filters are as costly as their extent.
  const box = probe.getBBox();
  const extent = { width: Math.max(width, box?.width ?? 0), height: Math.max(height, box?.height ?? 0) };
  const work = filterWork(doc, extent, out.width / width);
  if (work > MAX_FILTER_WORK) {
    withoutFilters(doc);
    text = serializeSvg(doc);
    notes.push({ code: 'image-too-complex', message: `its filters would take too long to draw (${Math.round(work / 1e6)} million pixels of filter work, more than ${MAX_FILTER_WORK / 1e6} million): drawn without them` });
  }
  // The size in CSS pixels the SVG asks to be shown at, whatever it was drawn at.
  return { png: new Resvg(text, { font, fitTo }).render().asPng(), notes, width: Math.round(width), height: Math.round(height) };
}

/** Rasterise an SVG quire made itself (the generated cover) to PNG. */
export async function svgToPng(svg: Uint8Array | string, width?: number, fontFiles?: readonly string[]): Promise<Buffer> {
  return (await drawSvg(svg, { width, fontFiles })).png;
}

/** Parse an SVG and settle every reference it makes: kept as a `data:` URL that is safe to draw, or removed. */
async function settleSvg(text: string, readFile: DrawOptions['readFile'], depth: number, notes: DrawingNote[], budget: { pixels: number }): Promise<SvgDocument> {
  const doc = parseSvg(text.replace(/^\uFEFF/, ''));
  for (const ref of svgReferences(doc)) {
    const shown = ref.href.length > 60 ? `${ref.href.slice(0, 57)}...` : ref.href;
    const refuse = (why: string) => {
      replaceReference(doc, ref, undefined);
      notes.push({ code: 'image-refused', message: `its reference to \`${shown}\` was not followed: ${why}` });
    };
    let bytes: Buffer;
    if (/^data:/i.test(ref.href)) {
      const m = /^data:([^,]*?)(;base64)?,(.*)$/is.exec(ref.href);
      try {
        if (!m) throw new Error('no comma');
        bytes = m[2] ? Buffer.from(m[3]!, 'base64') : Buffer.from(decodeURIComponent(m[3]!), 'utf8');
      } catch {
        refuse('the data: URL cannot be read');
        continue;
      }
    } else if (readFile && !/^[a-z][a-z0-9+.-]*:/i.test(ref.href) && !ref.href.startsWith('/') && !ref.href.startsWith('\\')) {
      const got = await readFile(ref.href);
      if (!got.ok) {
        refuse(got.reason);
        continue;
      }
      bytes = got.bytes;
    } else {
      refuse(readFile ? 'an SVG draws only images it embeds or images inside the articles folder' : 'an SVG draws only what it embeds (data: URLs)');
      continue;
    }
    const type = await sniffImage(bytes);
    if (!type) {
      refuse('it is not an image');
      continue;
    }
    if (type.mediaType === 'image/svg+xml') {
      if (depth + 1 >= MAX_SVG_NESTING) {
        refuse(`SVG images nested more than ${MAX_SVG_NESTING} deep`);
        continue;
      }
      let inner: string;
      try {
        inner = serializeSvg(await settleSvg(bytes.toString('utf8'), undefined, depth + 1, notes, budget));
      } catch (e) {
        refuse(`the SVG it names cannot be read (${(e as Error).message})`);
        continue;
      }
      replaceReference(doc, ref, `data:image/svg+xml;base64,${Buffer.from(inner).toString('base64')}`);
      continue;
    }
    let pixels: number;
    try {
      const sharp = (await import('sharp')).default;
      const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
      pixels = (meta.width ?? 0) * (meta.height ?? 0) * Math.max(1, meta.pages ?? 1);
    } catch {
      refuse('the image it names cannot be read');
      continue;
    }
    budget.pixels += pixels;
    if (budget.pixels > MAX_SVG_IMAGE_PIXELS) {
      refuse(`the images of one SVG may hold at most ${MAX_SVG_IMAGE_PIXELS / 1e6} million pixels`);
      continue;
    }
    replaceReference(doc, ref, `data:${type.mediaType};base64,${bytes.toString('base64')}`);
  }
  return doc;
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
