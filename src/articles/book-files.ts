// Stage: load. The book's own files besides its articles: the style sheet (cleaned of what would pull
// in other files) and the cover image (an SVG drawn as PNG), each checked, problems as diagnostics.
import path from 'node:path';
import type { BookConfig } from '../config.js';
import { cleanStyleSheet } from '../css.js';
import { placeOf, type Diagnostics } from '../diagnostics.js';
import { drawSvg, sniffImage } from '../images.js';
import { MAX_IMAGE_BYTES, readRegularFile } from '../read.js';
import { decodeText } from './decode.js';

/** Largest style sheet quire reads. */
export const MAX_CSS_BYTES = 2 * 1024 * 1024;

/** The book's style sheet, to go after quire's own (see epub/styles.ts); '' without one. */
export async function loadStyleSheet(config: BookConfig, diagnostics: Diagnostics): Promise<string> {
  if (!config.css) return '';
  const read = readRegularFile(config.css, MAX_CSS_BYTES);
  if (!read.ok) {
    diagnostics.error('css-unreadable', `style sheet cannot be read: ${read.reason}`, config.css);
    return '';
  }
  const decoded = decodeText(read.bytes, config.css);
  diagnostics.addAll(decoded.diagnostics);
  if (decoded.text === undefined) return '';
  // Style sheets may not pull in other files or remote resources (the book would refer to files it does
  // not hold, or call a server when read): only allowed properties and functions are kept.
  const text = decoded.text;
  const cleaned = cleanStyleSheet(text);
  for (const p of cleaned.problems) diagnostics.warning('css-resource', p.message, config.css, placeOf(text, p.at));
  const css = cleaned.css;
  return `\n/* ${path.basename(config.css).replace(/\*\//g, '')} */\n${css.replace(/<\/?style[^>]*>/gi, '')}\n`;
}

export async function loadCover(config: BookConfig, diagnostics: Diagnostics): Promise<Buffer | undefined> {
  if (!config.cover) return undefined;
  const read = readRegularFile(config.cover, MAX_IMAGE_BYTES);
  if (!read.ok) {
    diagnostics.error('cover-unreadable', read.code === 'ENOENT' ? 'cover image not found' : `cover image cannot be read: ${read.reason}`, config.cover);
    return undefined;
  }
  const bytes = read.bytes;
  const type = await sniffImage(bytes);
  if (type?.mediaType === 'image/svg+xml') {
    try {
      // A cover SVG draws only what it embeds: it may come from anywhere.
      const { png, notes } = await drawSvg(bytes, { width: 1600 });
      for (const n of notes) diagnostics.warning(n.code, `cover SVG: ${n.message}`, config.cover);
      return png;
    } catch (e) {
      diagnostics.error('cover-unreadable', `cover SVG cannot be drawn: ${(e as Error).message}`, config.cover);
      return undefined;
    }
  }
  if (!type || !type.core) {
    diagnostics.error('cover-type', `cover must be a JPEG, PNG, GIF or SVG image${type ? ` (this is ${type.mediaType})` : ''}`, config.cover);
    return undefined;
  }
  return bytes;
}


