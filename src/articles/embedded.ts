// Stage: load. Images embedded in an article as `data:` URLs are lifted out of its bytes as it is read,
// before they are decoded to text: each base64 URL in an image's place (`](data:…` in Markdown,
// `src="data:…` in HTML) becomes a short reference to its decoded bytes, so that the text every later
// stage copies (Markdown tokens, HTML, the parsed tree, the worker threads, the cache) never carries the
// base64, and the bytes are held once. 200 such images in 8 articles (a 53 MB book) took 428 MB with the
// base64 in the text, 264 MB without.
import { createHash } from 'node:crypto';
import type { Article, Lifted } from '../model.js';
import { placeOf, type Place } from '../diagnostics.js';

/** The bytes of an article with its `data:` image URLs lifted out, before it is decoded to text. */
export interface LiftedBytes {
  bytes: Buffer;
  marker: string;
  /** Each reference, in file order, with the length of the URL it stands for. */
  references: { reference: string; urlLength: number }[];
  data: Map<string, Buffer>;
}

const PREFIX = /^data:[\w.+-]+\/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,/i;
// Where an image's URL starts: after `](` in Markdown (spaces and `<` allowed), after `src=` in HTML.
const IMAGE_PLACE = /(?:\]\([ \t\r\n]*<?|\bsrc[ \t\r\n]*=[ \t\r\n]*["']?)$/i;
const BASE64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64[c.charCodeAt(0)] = 1;
const URL_END = new Set([...' \t\r\n)"\'>'].map((c) => c.charCodeAt(0)));
/** A payload shorter than this stays in the text: its reference would save little. */
const MIN_PAYLOAD = 1024;

/**
 * Lift the `data:` image URLs out of an article's bytes (UTF-8, so the URLs are ASCII): each base64 URL in
 * an image's place whose payload reads back as written becomes `data:<type>;base64,<marker><hash>`; its
 * bytes are decoded here, and the text is never made with the base64 in it. Undefined when there is none.
 */
export function liftDataBytes(bytes: Buffer): LiftedBytes | undefined {
  if (bytes.indexOf('data:') === -1) return undefined;
  let marker = 'QUIREDATA';
  for (let n = 2; bytes.indexOf(marker) !== -1; n++) marker = `QUIREDATA${n}X`;
  const data = new Map<string, Buffer>();
  const references: LiftedBytes['references'] = [];
  const parts: Buffer[] = [];
  let last = 0;
  for (let at = bytes.indexOf('data:'); at !== -1; at = bytes.indexOf('data:', at + 1)) {
    if (!IMAGE_PLACE.test(bytes.toString('latin1', Math.max(last, at - 40), at))) continue;
    const prefix = PREFIX.exec(bytes.toString('latin1', at, Math.min(bytes.length, at + 256)))?.[0];
    if (!prefix) continue;
    const start = at + prefix.length;
    let end = start;
    while (end < bytes.length && BASE64[bytes[end]!]) end++;
    for (let pad = 0; pad < 2 && bytes[end] === 0x3d; pad++) end++;
    if (end - start < MIN_PAYLOAD || (end < bytes.length && !URL_END.has(bytes[end]!))) continue;
    const payload = bytes.toString('latin1', start, end);
    const decoded = Buffer.from(payload, 'base64');
    // Only a payload that reads back as written: anything else is read as it always was.
    if (decoded.toString('base64') !== payload) continue;
    const reference = `${prefix}${marker}${createHash('sha256').update(decoded).digest('hex').slice(0, 32)}`;
    parts.push(bytes.subarray(last, at), Buffer.from(reference, 'latin1'));
    references.push({ reference, urlLength: end - at });
    if (!data.has(reference)) data.set(reference, decoded);
    last = end;
    at = end - 1;
  }
  if (references.length === 0) return undefined;
  parts.push(bytes.subarray(last));
  return { bytes: Buffer.concat(parts), marker, references, data };
}

/**
 * Where the references of `lifted` stand in the article's body (decoded, front matter blanked); undefined
 * when one of them is not there, in file order (it was in the front matter): the article is then read
 * without lifting anything.
 */
export function placeReferences(body: string, lifted: LiftedBytes): Lifted | undefined {
  const spans: Lifted['spans'] = [];
  let from = 0;
  for (const { reference, urlLength } of lifted.references) {
    const at = body.indexOf(reference, from);
    if (at === -1) return undefined;
    spans.push({ at, length: reference.length, shorter: urlLength - reference.length });
    from = at + reference.length;
  }
  // The marker anywhere else (the front matter's values are checked by the caller) means a reference was not where it was put.
  if (body.split(lifted.marker).length - 1 !== spans.length) return undefined;
  return { marker: lifted.marker, spans };
}

/** The article's text as written: every lifted URL put back (for the rare chapter that needs it, see renderChapters). */
export function restoreArticle(article: Article): Article {
  const { lifted, data } = article;
  if (!lifted) return article;
  const parts: string[] = [];
  let last = 0;
  for (const s of lifted.spans) {
    const reference = article.body.slice(s.at, s.at + s.length);
    const bytes = data?.get(reference);
    if (!bytes) throw new Error(`the bytes of a data: URL of ${article.name} are missing`);
    const comma = reference.indexOf(',') + 1;
    parts.push(article.body.slice(last, s.at), reference.slice(0, comma), bytes.toString('base64'));
    last = s.at + s.length;
  }
  parts.push(article.body.slice(last));
  const { lifted: _l, data: _d, ...rest } = article;
  return { ...rest, body: parts.join('') };
}

/** Line and column in the article's file of an offset in its (lifted) text. */
export function placeIn(article: Pick<Article, 'body' | 'lifted'>, offset: number): Place {
  const place = placeOf(article.body, offset);
  const spans = article.lifted?.spans;
  if (!spans?.length) return place;
  const lineStart = offset - (place.column - 1);
  // Each reference before the offset on its line is that much shorter than the URL the file holds; an
  // offset inside a reference stands for the same place in the URL.
  let column = place.column;
  for (const s of spans) {
    if (s.at >= offset) break;
    if (s.at + s.length <= lineStart) continue;
    if (s.at + s.length <= offset) column += s.shorter;
  }
  return { line: place.line, column };
}

/**
 * Whether a rendered chapter holds a lifted reference anywhere but as the exact `src` of an image (in its
 * images, its tree of notes): then it must be rendered from the text as written (a URL shown as code, an
 * image's name made of its URL...). Looks into every string of the chapter, into the base64 of SVG
 * drawings made from it, and for references cut short (a diagnostic's excerpt).
 */
export function leaksReference(chapter: { images: readonly { target: string; attrs: Map<string, string> }[] }, lifted: Lifted, references: ReadonlySet<string>): boolean {
  const { marker } = lifted;
  const cut = new RegExp(`;base64,([A-Za-z0-9]+)(?![A-Za-z0-9])`, 'gi');
  const leaks = (s: string): boolean => {
    if (s.includes(marker)) return true;
    for (const m of s.matchAll(cut)) if (marker.startsWith(m[1]!)) return true;
    const drawing = /^data:image\/svg\+xml;base64,([A-Za-z0-9+/=]*)$/i.exec(s);
    return drawing !== null && Buffer.from(drawing[1]!, 'base64').toString('latin1').includes(marker);
  };
  const seen = new Set<unknown>();
  // An image's attributes (an entry of `images`, an `<img>` of the notes' tree): their `src` may be a reference.
  const attributes = (attrs: Map<string, string>): boolean => {
    seen.add(attrs);
    for (const [k, x] of attrs) if (!(k === 'src' && references.has(x)) && (leaks(k) || leaks(x))) return true;
    return false;
  };
  const visit = (v: unknown): boolean => {
    if (typeof v === 'string') return leaks(v);
    if (v === null || typeof v !== 'object' || seen.has(v)) return false;
    seen.add(v);
    if (v instanceof Map) {
      for (const [k, x] of v) if (visit(k) || visit(x)) return true;
      return false;
    }
    if (v instanceof Set || Array.isArray(v)) {
      for (const x of v) if (visit(x)) return true;
      return false;
    }
    const e = v as { tag?: unknown; ns?: unknown; attrs?: unknown };
    if (e.tag === 'img' && e.ns === 'html' && e.attrs instanceof Map && attributes(e.attrs as Map<string, string>)) return true;
    for (const x of Object.values(v)) if (visit(x)) return true;
    return false;
  };
  const { images, ...rest } = chapter;
  for (const image of images) {
    if (!references.has(image.target) && leaks(image.target)) return true;
    if (attributes(image.attrs)) return true;
  }
  return visit(rest);
}

/** The references that stand for lifted URLs in the article's text. */
export function liftedReferences(article: Pick<Article, 'body' | 'lifted'>): Set<string> {
  return new Set(article.lifted?.spans.map((s) => article.body.slice(s.at, s.at + s.length)));
}
