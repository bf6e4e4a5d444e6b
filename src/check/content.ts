// quire check, rule family "content": every content document well-formed, with unique ids, a language,
// no scripts, no remote resources, its images there. The same walk applies the Kindle, Kobo and
// accessibility rules that look at single elements (their codes say their family).
import path from 'node:path';
import { isLanguageTag } from '../articles/front-matter.js';
import { sniffImage } from '../images.js';
import { decodeHref, resolveHref, type Book } from './book.js';
import { remoteUrlsInCss } from './css.js';
import type { PackageFacts } from './package-document.js';
import { find, parseXml, textOfNode, walk } from './xml.js';

/** Largest image a reader is asked to decode: 50 megapixels (200 MB as RGBA); a 30,000 x 30,000 PNG is 3.4 GB. */
export const MAX_PIXELS = 50_000_000;

/** Width and height from a PNG's IHDR, a GIF's screen descriptor or a JPEG's frame header: read, never decoded. */
export function imageDimensions(b: Buffer): { width: number; height: number } | undefined {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR') return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length >= 10 && /^GIF8[79]a$/.test(b.toString('latin1', 0, 6))) return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let at = 2;
    while (at + 9 < b.length && b[at] === 0xff) {
      const marker = b[at + 1]!;
      if (marker === 0xff) {
        at++;
        continue;
      }
      // Start of frame (SOF0-SOF15 but DHT, JPG and DAC): height, then width.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { width: b.readUInt16BE(at + 7), height: b.readUInt16BE(at + 5) };
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        at += 2;
        continue;
      }
      at += 2 + b.readUInt16BE(at + 2);
    }
  }
  return undefined;
}

export interface ContentFacts {
  /** The ids of each content document, by path. */
  ids: Map<string, Set<string>>;
  /** The id of each document's <body>, by path. */
  bodyIds: Map<string, string | undefined>;
  /** Documents with Kobo spans, and documents in the reading order with text but no Kobo spans. */
  spanned: string[];
  unspanned: string[];
}

export async function checkContent(book: Book, opfPath: string, facts: PackageFacts): Promise<ContentFacts> {
  const { byName, read, add } = book;
  const { items } = facts;
  const readingOrder = new Set(facts.readingOrder);
  const ids = new Map<string, Set<string>>();
  const bodyIds = new Map<string, string | undefined>();
  // Kobo: which content documents have Kobo spans, and which have text without them.
  const spanned: string[] = [];
  const unspanned: string[] = [];
  // Links to other documents, checked once every document's ids are known.
  const links: { from: string; href: string; target: string; fragment?: string; line: number; column: number }[] = [];
  for (const item of items) {
    const p = item.path;
    if (p === undefined) continue;
    const bytes = byName.has(p) ? read(p) : undefined;
    if (!bytes) continue;
    if (item.type.startsWith('image/')) {
      const type = await sniffImage(bytes);
      if (type && type.mediaType !== item.type) add({ severity: 'error', code: 'check-media-type', message: `${item.href} is listed as ${item.type} but its bytes are ${type.mediaType}`, entry: opfPath, line: item.node.line });
      const size = imageDimensions(bytes);
      if (size && size.width * size.height > MAX_PIXELS) {
        add({ severity: 'error', code: 'check-image-pixels', message: `${item.href} is ${size.width} x ${size.height} pixels (${Math.round((size.width * size.height) / 1e6)} megapixels, more than ${MAX_PIXELS / 1e6}): decoding it takes ${Math.round((size.width * size.height * 4) / 2 ** 20)} MB (a decompression bomb?)`, entry: p });
      }
      if (!['image/jpeg', 'image/png', 'image/gif', 'image/svg+xml'].includes(item.type)) add({ severity: 'error', code: 'kindle-image-type', message: `${item.href}: ${item.type} is not shown by Kindle`, entry: p, by: 'kindle' });
    }
    if (item.type !== 'application/xhtml+xml') continue;
    if (!/^\s*<\?xml[^>]+encoding=["']utf-8["']/i.test(bytes.subarray(0, 200).toString('utf8').replace(/^\ufeff/, ''))) {
      add({ severity: 'warning', code: 'kindle-xml-declaration', message: 'no XML declaration with encoding="UTF-8": Send-to-Kindle may misread the text', entry: p, by: 'kindle' });
    }
    const doc = parseXml(bytes, p, add);
    if (!doc.root) continue;
    const seen = new Set<string>();
    let koboSpans = 0;
    walk(doc.root, (n) => {
      if (n.local === 'span' && (n.attrs.class ?? '').split(/\s+/).includes('koboSpan')) {
        koboSpans++;
        if (!/^kobo\.\d+\.\d+$/.test(n.attrs.id ?? '')) add({ severity: 'error', code: 'kobo-span-id', message: `a Kobo span whose id ${n.attrs.id === undefined ? 'is missing' : `\`${n.attrs.id}\``} is not kobo.<block>.<sentence>`, entry: p, line: n.line, column: n.column, by: 'kobo' });
      }
      const id = n.attrs.id;
      if (id !== undefined) {
        if (seen.has(id)) add({ severity: 'error', code: 'check-duplicate-id', message: `id \`${id}\` is used twice`, entry: p, line: n.line, column: n.column });
        seen.add(id);
      }
      if (n.local === 'script' || Object.keys(n.attrs).some((a) => /^on/i.test(a))) add({ severity: 'error', code: 'check-script', message: `scripting (${n.local === 'script' ? '<script>' : 'an event handler'}) in the book`, entry: p, line: n.line, column: n.column });
      for (const a of ['src', 'href', 'xlink:href', 'poster', 'data']) {
        const v = n.attrs[a];
        if (v === undefined) continue;
        if (/^\s*javascript:/i.test(v)) add({ severity: 'error', code: 'check-script', message: `a javascript: URL`, entry: p, line: n.line, column: n.column });
        const isResource = n.local !== 'a' || a !== 'href';
        if (isResource && /^(https?:)?\/\//i.test(v)) add({ severity: 'error', code: 'check-remote', message: `<${n.local}> loads a remote resource: ${v}`, entry: p, line: n.line, column: n.column });
      }
      // The navigation document's links are checked with the table of contents (navigation.ts).
      if (!item.properties.includes('nav') && n.local === 'a' && n.attrs.href !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(n.attrs.href.trim()) && !n.attrs.href.startsWith('//')) {
        const href = n.attrs.href.trim();
        const target = href.startsWith('#') ? p : resolveHref(book, path.posix.dirname(p), href, { entry: p, line: n.line, column: n.column });
        const hash = href.indexOf('#');
        if (target !== undefined && href !== '') links.push({ from: p, href, target, fragment: hash >= 0 && hash < href.length - 1 ? decodeHref(href.slice(hash + 1)) : undefined, line: n.line, column: n.column });
      }
      if (n.attrs.style !== undefined) for (const u of remoteUrlsInCss(n.attrs.style)) add({ severity: 'error', code: 'check-remote', message: `a style attribute loads a remote resource: ${u}`, entry: p, line: n.line, column: n.column });
      if (n.local === 'style') for (const u of remoteUrlsInCss(textOfNode(n))) add({ severity: 'error', code: 'check-remote', message: `<style> loads a remote resource: ${u}`, entry: p, line: n.line, column: n.column });
      if (n.local === 'img') {
        if (!n.attrs.src) add({ severity: 'error', code: 'kindle-img-src', message: '<img> without src', entry: p, line: n.line, column: n.column, by: 'kindle' });
        else if (!/^(https?:)?\/\//i.test(n.attrs.src) && !byName.has(resolveHref(book, path.posix.dirname(p), n.attrs.src, { entry: p, line: n.line, column: n.column }) ?? n.attrs.src)) add({ severity: 'error', code: 'check-missing-resource', message: `image ${n.attrs.src} is not in the book`, entry: p, line: n.line, column: n.column });
        if (n.attrs.alt === undefined) {
          add({ severity: 'error', code: 'a11y-alt', message: '<img> without alt text', entry: p, line: n.line, column: n.column, by: 'accessibility' });
        }
      }
      if (n.local === 'table' && !find(n, (c) => c.local === 'th')) add({ severity: 'warning', code: 'a11y-table-headers', message: 'a table without header cells', entry: p, line: n.line, column: n.column, by: 'accessibility' });
    });
    ids.set(p, seen);
    const html = doc.root;
    if (koboSpans > 0) spanned.push(p);
    else if (!item.properties.includes('nav') && readingOrder.has(p) && textOfNode(find(html, (n) => n.local === 'body')).trim()) unspanned.push(p);
    const lang = html.attrs['xml:lang'] ?? html.attrs.lang;
    // EPUB 3 asks each document for its language; an EPUB 2 document may take it from the package.
    if (!lang && !facts.epub2) add({ severity: 'error', code: 'check-language', message: 'the document has no lang / xml:lang', entry: p, line: html.line, by: 'accessibility' });
    else if (lang && !isLanguageTag(lang)) add({ severity: 'error', code: 'check-language', message: `lang \`${lang}\` is not a language tag`, entry: p, line: html.line });
    bodyIds.set(p, find(html, (n) => n.local === 'body')?.attrs.id);
    // Headings go down one level at a time (h1 then h2, not h1 then h4).
    let level = 0;
    walk(html, (n) => {
      const m = /^h([1-6])$/.exec(n.local);
      if (!m) return;
      const l = Number(m[1]);
      if (level && l > level + 1) add({ severity: 'warning', code: 'a11y-heading-order', message: `<h${l}> follows <h${level}>: a heading level is skipped`, entry: p, line: n.line, column: n.column, by: 'accessibility' });
      level = l;
    });
  }
  for (const l of links) {
    if (!byName.has(l.target)) add({ severity: 'error', code: 'check-broken-link', message: `the link ${l.href} leads to a file that is not in the book`, entry: l.from, line: l.line, column: l.column });
    else if (l.fragment !== undefined && ids.has(l.target) && !ids.get(l.target)!.has(l.fragment)) add({ severity: 'error', code: 'check-broken-link', message: `the link ${l.href} leads to #${l.fragment}, which ${l.target === l.from ? 'this document' : l.target} does not have`, entry: l.from, line: l.line, column: l.column });
  }
  return { ids, bodyIds, spanned, unspanned };
}
