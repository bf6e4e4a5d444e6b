// Stage: load. Images embedded in an article as `data:` URLs are lifted out of its text as it is read:
// each base64 URL in an image's place (`](data:…` in Markdown, `src="data:…` in HTML) becomes a short
// reference to its decoded bytes, so that the text every later stage copies (Markdown tokens, HTML,
// the parsed tree, the worker threads, the cache) never carries the base64, and the bytes are held once.
// 200 such images in 8 articles (a 50 MB book) took 428 MB with the base64 in the text.
import { createHash } from 'node:crypto';
import type { Article, Lifted } from '../model.js';
import { placeOf, type Place } from '../diagnostics.js';

// `data:` + media type (with parameters) + `;base64,` + the payload, in an image's place, and ending
// where a URL ends in Markdown or HTML. Anything else (percent-encoded URLs, spaces inside the payload)
// stays in the text and is read as before, and so does a payload under 1,024 characters (its reference
// would save little).
const DATA_URL = /(\]\(\s*<?|\bsrc\s*=\s*["']?)(data:[\w.+-]+\/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,)([A-Za-z0-9+/]{1024,}={0,2})(?=[\s)"'>]|$)/gi;

/**
 * Lift the `data:` image URLs out of `body`. The text keeps its lines and everything around each URL;
 * each URL's payload becomes the marker and the hash of its bytes. Undefined when there is none.
 */
export function liftDataUrls(body: string): Required<Pick<Article, 'body' | 'lifted' | 'data'>> | undefined {
  if (!/data:/i.test(body)) return undefined;
  let marker = 'QUIREDATA';
  for (let n = 2; body.includes(marker); n++) marker = `QUIREDATA${n}X`;
  const data = new Map<string, Buffer>();
  const spans: Lifted['spans'] = [];
  const parts: string[] = [];
  let last = 0;
  let out = 0;
  for (const m of body.matchAll(DATA_URL)) {
    const [, before, prefix, payload] = m as unknown as [string, string, string, string];
    const bytes = Buffer.from(payload, 'base64');
    // Only a payload that reads back as written: anything else is read as it always was.
    if (bytes.toString('base64') !== payload) continue;
    // A new string: one made of `prefix`, a slice of the text, would keep the whole text alive.
    const reference = Buffer.from(`${prefix}${marker}${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}`, 'latin1').toString('latin1');
    const start = m.index + before.length;
    parts.push(body.slice(last, start), reference);
    out += start - last;
    spans.push({ at: out, length: reference.length, shorter: prefix.length + payload.length - reference.length });
    out += reference.length;
    last = start + prefix.length + payload.length;
    if (!data.has(reference)) data.set(reference, bytes);
  }
  if (spans.length === 0) return undefined;
  parts.push(body.slice(last));
  return { body: parts.join(''), lifted: { marker, spans }, data };
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
