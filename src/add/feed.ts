// Feeds, parsing stage: the bytes of an RSS 2.0, RSS 1.0 (RDF), Atom or JSON Feed document -> the feed's
// title and its items, each with absolute links, a plain-text title, an ISO date when the feed gives one,
// and the item's full text when it carries it. feedsmith reads the formats; this file is the only one that
// knows it. Nothing here touches the network.
import { decodeHTML } from 'entities';
import { parseFeed } from 'feedsmith';
import { decodeBytes, headerCharset } from './charset.js';

export interface FeedItem {
  /** What tells the item apart across runs: the guid/id, else the link. */
  key: string;
  /** The page of the item, absolute. */
  url?: string;
  title?: string;
  authors: string[];
  /** ISO 8601 (`YYYY-MM-DDThh:mm:ssZ`), when the feed dates the item. */
  date?: string;
  tags: string[];
  /** The item's full HTML (content:encoded, Atom content, JSON Feed content_html / content_text). */
  content?: string;
  /** The summary (RSS description, Atom summary): not taken for the article's text. */
  summary?: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title?: string;
  /** The site the feed belongs to. */
  link?: string;
  items: FeedItem[];
}

export class FeedError extends Error {}

/** Parse a feed read from `feedUrl` (relative links are resolved against it, or against xml:base). */
export function parseFeedDocument(bytes: Buffer, feedUrl: string, contentType?: string): ParsedFeed {
  const text = decodeFeed(bytes, contentType);
  if (text.trim() === '') throw new FeedError('the feed is empty');
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(text);
  } catch (e) {
    const name = (e as Error).constructor?.name;
    if (/^\s*<(!doctype\s+html|html)[\s>]/i.test(text)) throw new FeedError('this is an HTML page, not a feed (give the address of its RSS or Atom feed)');
    if (name === 'MalformedError') throw new FeedError('the feed is not well-formed XML or JSON');
    throw new FeedError('not an RSS, Atom or JSON feed');
  }
  // The formats' shapes differ; each is read through the few fields quire needs.
  const feed = parsed.feed as Record<string, unknown>;
  const base = absolute(str((feed.xml as Record<string, unknown> | undefined)?.base), feedUrl) ?? feedUrl;
  const items: FeedItem[] = [];
  let title: string | undefined;
  let link: string | undefined;
  if (parsed.format === 'atom') {
    title = plainText(textValue(feed.title));
    link = atomLink(feed.links, base);
    for (const e of list(feed.entries)) {
      const entryBase = absolute(str((e.xml as Record<string, unknown> | undefined)?.base), base) ?? base;
      const url = atomLink(e.links, entryBase);
      const content = e.content as Record<string, unknown> | undefined;
      const src = str(content?.src);
      items.push(
        item({
          guid: str(e.id),
          url: url ?? (src ? absolute(src, entryBase) : undefined),
          title: textValue(e.title),
          titleIsHtml: true,
          authors: list(e.authors).map((a) => str(a.name)),
          dates: [str(e.published), str(e.updated), ...dcDates(e)],
          tags: list(e.categories).map((c) => str(c.label) ?? str(c.term)),
          content: content && !src ? htmlOf(str(content.value), str(content.type)) : undefined,
          summary: htmlOf(textValue(e.summary), str((e.summary as Record<string, unknown> | undefined)?.type)),
          base: entryBase,
        }),
      );
    }
  } else if (parsed.format === 'json') {
    title = plainText(str(feed.title), false);
    link = absolute(str(feed.home_page_url), base);
    const feedAuthors = [...list(feed.authors), ...(feed.author ? [feed.author as Record<string, unknown>] : [])].map((a) => str(a.name));
    for (const e of list(feed.items)) {
      const authors = [...list(e.authors), ...(e.author ? [e.author as Record<string, unknown>] : [])].map((a) => str(a.name));
      const contentText = str(e.content_text);
      items.push(
        item({
          guid: e.id === undefined || e.id === null ? undefined : String(e.id),
          url: absolute(str(e.url) ?? str(e.external_url), base),
          title: str(e.title),
          titleIsHtml: false,
          authors: authors.length ? authors : feedAuthors,
          dates: [str(e.date_published), str(e.date_modified)],
          tags: Array.isArray(e.tags) ? (e.tags as unknown[]).map((t) => (typeof t === 'string' ? t : undefined)) : [],
          content: str(e.content_html) ?? (contentText ? textToHtml(contentText) : undefined),
          summary: str(e.summary),
          base,
        }),
      );
    }
  } else {
    // RSS 2.0 (and 0.9x) and RSS 1.0 / RDF share their item fields.
    title = plainText(str(feed.title));
    link = absolute(str(feed.link), base);
    for (const e of list(feed.items)) {
      const guid = e.guid as Record<string, unknown> | undefined;
      const guidValue = str(guid?.value);
      const permalink = guidValue && guid?.isPermaLink !== false && /^https?:\/\//i.test(guidValue) ? guidValue : undefined;
      const dc = e.dc as Record<string, unknown> | undefined;
      const rdfAbout = str((e.rdf as Record<string, unknown> | undefined)?.about);
      items.push(
        item({
          guid: guidValue ?? rdfAbout,
          url: absolute(str(e.link), base) ?? permalink,
          title: str(e.title),
          titleIsHtml: true,
          authors: [...list(e.authors).map((a) => (typeof a === 'string' ? a : str((a as Record<string, unknown>).name))), ...strings(dc?.creators), ...strings(dc?.creator)],
          dates: [str(e.pubDate), ...dcDates(e)],
          tags: [...list(e.categories).map((c) => str(c.name)), ...strings(dc?.subjects), ...strings(dc?.subject)],
          content: str((e.content as Record<string, unknown> | undefined)?.encoded),
          summary: str(e.description),
          base: base,
        }),
      );
    }
  }
  return { format: parsed.format, title, link, items: items.filter((i) => i.key !== '') };
}

function item(raw: {
  guid?: string;
  url?: string;
  title?: string;
  titleIsHtml: boolean;
  authors: (string | undefined)[];
  dates: (string | undefined)[];
  tags: (string | undefined)[];
  content?: string;
  summary?: string;
  base: string;
}): FeedItem {
  const url = raw.url && /^https?:\/\//i.test(raw.url) ? raw.url : undefined;
  const tags = unique(raw.tags.map((t) => t?.replace(/\s+/g, ' ').trim()).filter((t): t is string => !!t));
  const authors = unique(raw.authors.map((a) => a?.replace(/\s+/g, ' ').trim()).filter((a): a is string => !!a));
  const date = raw.dates.map(isoDate).find((d) => d !== undefined);
  const content = raw.content?.trim() ? raw.content : undefined;
  return { key: raw.guid?.trim() || url || '', url, title: plainText(raw.title, raw.titleIsHtml), authors, date, tags, content, summary: raw.summary?.trim() || undefined };
}

/** A title as text: tags dropped, entities decoded (feeds often escape HTML in titles, some twice). */
export function plainText(value: string | undefined, html = true): string | undefined {
  if (value === undefined) return undefined;
  let t = value;
  if (html) {
    t = decodeHTML(t.replace(/<[^>]*>/g, ''));
    // `&amp;mdash;` decoded once leaves `&mdash;`: a title never means the entity's spelling.
    if (/&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(t)) t = decodeHTML(t.replace(/<[^>]*>/g, ''));
  }
  t = t.replace(/\s+/g, ' ').trim();
  return t || undefined;
}

/** A date as `YYYY-MM-DDThh:mm:ssZ`; undefined when it cannot be read. */
export function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  const t = /^\d{4}-\d\d-\d\d$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  const d = new Date(t);
  if (d.getUTCFullYear() < 1900 || d.getUTCFullYear() > 9999) return undefined;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function htmlOf(value: string | undefined, type: string | undefined): string | undefined {
  if (!value?.trim()) return undefined;
  return type === 'text' ? textToHtml(value) : value;
}

function textToHtml(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p>${esc(p.trim())}</p>`)
    .join('\n');
}

function textValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') return str((v as Record<string, unknown>).value);
  return undefined;
}

function atomLink(links: unknown, base: string): string | undefined {
  const all = list(links);
  const alternate = all.find((l) => !l.rel || l.rel === 'alternate') ?? all.find((l) => l.rel !== 'self' && l.rel !== 'enclosure');
  return absolute(str(alternate?.href), base);
}

function dcDates(e: Record<string, unknown>): (string | undefined)[] {
  const dc = e.dc as Record<string, unknown> | undefined;
  const dcterms = e.dcterms as Record<string, unknown> | undefined;
  return [...strings(dc?.dates), ...strings(dc?.date), ...strings(dcterms?.created), ...strings(dcterms?.issued), ...strings(dcterms?.modified)];
}

function absolute(href: string | undefined, base: string): string | undefined {
  if (!href?.trim()) return undefined;
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return undefined;
  }
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(str).filter((s): s is string => s !== undefined);
  const s = str(v);
  return s === undefined ? [] : [s];
}

function list(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.filter((x) => x && typeof x === 'object') as Record<string, unknown>[];
  return v && typeof v === 'object' ? [v as Record<string, unknown>] : [];
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Decode by a byte-order mark, else the charset of the HTTP header or the XML declaration; UTF-8 otherwise. */
function decodeFeed(bytes: Buffer, contentType: string | undefined): string {
  const head = bytes.subarray(0, 512).toString('latin1');
  const label = headerCharset(contentType) ?? /<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(head)?.[1];
  return decodeBytes(bytes, label, true);
}
