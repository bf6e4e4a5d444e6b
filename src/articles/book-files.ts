// Stage: load. The book's own files besides its articles: the style sheet (cleaned of what would pull
// in other files) and the cover image (an SVG drawn as PNG), each checked, problems as diagnostics.
import fs from 'node:fs';
import path from 'node:path';
import type { BookConfig } from '../config.js';
import type { Diagnostics } from '../diagnostics.js';
import { sniffImage, svgToPng } from '../images.js';
import { decodeText } from './decode.js';

/** The book's style sheet, to go after quire's own (see epub/styles.ts); '' without one. */
export async function loadStyleSheet(config: BookConfig, diagnostics: Diagnostics): Promise<string> {
  if (!config.css) return '';
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(config.css);
  } catch (e) {
    diagnostics.error('css-unreadable', `style sheet cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, config.css);
    return '';
  }
  const decoded = decodeText(bytes, config.css);
  diagnostics.addAll(decoded.diagnostics);
  if (decoded.text === undefined) return '';
  let css = decoded.text;
  // Style sheets may not pull in other files or remote resources: the book would refer to files it does not hold.
  const lines = css.split('\n');
  lines.forEach((line, i) => {
    const m = /@import|url\s*\(/i.exec(line);
    if (m) diagnostics.warning('css-resource', `\`${m[0].replace(/\s+/g, '')}\` removed: quire's books hold no files from style sheets`, config.css, { line: i + 1, column: m.index + 1 });
  });
  css = css.replace(/@import[^;]*;?/gi, '').replace(/url\s*\([^)]*\)/gi, 'none');
  return `\n/* ${path.basename(config.css).replace(/\*\//g, '')} */\n${css.replace(/<\/?style[^>]*>/gi, '')}\n`;
}

export async function loadCover(config: BookConfig, diagnostics: Diagnostics): Promise<Buffer | undefined> {
  if (!config.cover) return undefined;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(config.cover);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    diagnostics.error('cover-unreadable', code === 'ENOENT' ? 'cover image not found' : `cover image cannot be read: ${code}`, config.cover);
    return undefined;
  }
  const type = await sniffImage(bytes);
  if (type?.mediaType === 'image/svg+xml') {
    try {
      return await svgToPng(bytes, 1600);
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


