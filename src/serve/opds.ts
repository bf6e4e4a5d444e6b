// Serve, stage 2: book records -> OPDS catalog documents. OPDS 1.2 (Atom): a navigation feed at the root,
// acquisition feeds (newest first, by title, search results) in pages, and an OpenSearch description;
// OPDS 2.0 (JSON) with the same books. Pure functions: the server decides URLs' base and the token.
import type { BookRecord } from './books.js';
import { EPUB_TYPE, KEPUB_TYPE } from './books.js';

export const NAVIGATION_TYPE = 'application/atom+xml;profile=opds-catalog;kind=navigation';
export const ACQUISITION_TYPE = 'application/atom+xml;profile=opds-catalog;kind=acquisition';
export const OPENSEARCH_TYPE = 'application/opensearchdescription+xml';
export const OPDS2_TYPE = 'application/opds+json';
export const OPDS2_PUBLICATION_TYPE = 'application/opds-publication+json';
export const REL = {
  acquisition: 'http://opds-spec.org/acquisition',
  image: 'http://opds-spec.org/image',
  thumbnail: 'http://opds-spec.org/image/thumbnail',
  sortNew: 'http://opds-spec.org/sort/new',
} as const;

/** Makes the href of a path on this server (the token is added when the client gave it in the URL). */
export type Href = (path: string, query?: Record<string, string>) => string;

export interface Page {
  /** 1-based. */
  number: number;
  size: number;
}

/** A book's path as URL segments. */
export function encodePath(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}

const escapeXml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

const collator = new Intl.Collator('und', { sensitivity: 'base', numeric: true });

export function byTitle(books: BookRecord[]): BookRecord[] {
  return [...books].sort((a, b) => collator.compare(a.title, b.title) || collator.compare(a.key, b.key));
}

export function newestFirst(books: BookRecord[]): BookRecord[] {
  return [...books].sort((a, b) => b.updated.getTime() - a.updated.getTime() || collator.compare(a.title, b.title) || collator.compare(a.key, b.key));
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('und');

/** Books whose title or authors hold every word of the query (case and accents aside), by title. */
export function search(books: BookRecord[], query: string): BookRecord[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  return byTitle(books.filter((b) => {
    const hay = fold([b.title, ...b.authors].join('\n'));
    return words.every((w) => hay.includes(w));
  }));
}

function latest(books: BookRecord[]): Date {
  return books.reduce((d, b) => (b.updated > d ? b.updated : d), new Date(0));
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The entry's Atom id: the book's own identifier when it is a URI, else one made from its path. */
function entryId(book: BookRecord): string {
  return book.identifier && /^[a-z][a-z0-9+.-]*:/i.test(book.identifier) ? book.identifier : `urn:quire:book:${encodePath(book.key)}`;
}

function feedHead(id: string, title: string, updated: Date, links: string[]): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/terms/" xmlns:opds="http://opds-spec.org/2010/catalog" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">\n' +
    `  <id>${escapeXml(id)}</id>\n  <title>${escapeXml(title)}</title>\n  <updated>${iso(updated)}</updated>\n` +
    '  <author><name>quire</name></author>\n' +
    links.map((l) => `  ${l}\n`).join('')
  );
}

function link(rel: string, href: string, type: string, title?: string): string {
  return `<link rel="${escapeXml(rel)}" href="${escapeXml(href)}" type="${escapeXml(type)}"${title ? ` title="${escapeXml(title)}"` : ''}/>`;
}

function commonLinks(href: Href, self: string, selfType: string): string[] {
  return [
    link('self', self, selfType),
    link('start', href('/opds'), NAVIGATION_TYPE),
    link('search', href('/opds/opensearch.xml'), OPENSEARCH_TYPE, 'Search by title or author'),
  ];
}

export const FEEDS = {
  new: { path: '/opds/new', title: 'Newest first', sort: newestFirst },
  title: { path: '/opds/title', title: 'By title', sort: byTitle },
} as const;

/** The root: one navigation entry for each acquisition feed. */
export function navigationFeed(books: BookRecord[], href: Href, title: string): string {
  const updated = latest(books);
  const entry = (id: string, name: string, content: string, rel: string, path: string) =>
    `  <entry>\n    <title>${escapeXml(name)}</title>\n    <id>${id}</id>\n    <updated>${iso(updated)}</updated>\n` +
    `    <content type="text">${escapeXml(content)}</content>\n    ${link(rel, href(path), ACQUISITION_TYPE)}\n  </entry>\n`;
  const count = `${books.length} book${books.length === 1 ? '' : 's'}`;
  return (
    feedHead('urn:quire:root', title, updated, [...commonLinks(href, href('/opds'), NAVIGATION_TYPE), link('alternate', href('/opds/v2'), OPDS2_TYPE, 'OPDS 2.0')]) +
    entry('urn:quire:new', FEEDS.new.title, `${count}, the most recently written first`, REL.sortNew, FEEDS.new.path) +
    entry('urn:quire:title', FEEDS.title.title, `${count} in the order of their titles`, 'subsection', FEEDS.title.path) +
    '</feed>\n'
  );
}

/** One page of an acquisition feed; `path` and `query` say where the feed lives (for self and paging links). */
export function acquisitionFeed(all: BookRecord[], page: Page, href: Href, feed: { id: string; title: string; path: string; query?: Record<string, string> }): string {
  const pages = Math.max(1, Math.ceil(all.length / page.size));
  const at = (n: number) => href(feed.path, { ...feed.query, ...(n > 1 ? { page: String(n) } : {}) });
  const books = all.slice((page.number - 1) * page.size, page.number * page.size);
  const links = commonLinks(href, at(page.number), ACQUISITION_TYPE);
  links.push(link('up', href('/opds'), NAVIGATION_TYPE));
  if (pages > 1) {
    links.push(link('first', at(1), ACQUISITION_TYPE), link('last', at(pages), ACQUISITION_TYPE));
    if (page.number > 1) links.push(link('previous', at(Math.min(page.number - 1, pages)), ACQUISITION_TYPE));
    if (page.number < pages) links.push(link('next', at(page.number + 1), ACQUISITION_TYPE));
  }
  links.push(
    `<opensearch:totalResults>${all.length}</opensearch:totalResults>`,
    `<opensearch:itemsPerPage>${page.size}</opensearch:itemsPerPage>`,
    `<opensearch:startIndex>${(page.number - 1) * page.size + 1}</opensearch:startIndex>`,
  );
  return feedHead(feed.id, feed.title, latest(all), links) + books.map((b) => acquisitionEntry(b, href)).join('') + '</feed>\n';
}

function acquisitionEntry(book: BookRecord, href: Href): string {
  const lines = [`<title>${escapeXml(book.title)}</title>`, `<id>${escapeXml(entryId(book))}</id>`, `<updated>${iso(book.updated)}</updated>`];
  for (const a of book.authors) lines.push(`<author><name>${escapeXml(a)}</name></author>`);
  if (book.lang) lines.push(`<dc:language>${escapeXml(book.lang)}</dc:language>`);
  if (book.publisher) lines.push(`<dc:publisher>${escapeXml(book.publisher)}</dc:publisher>`);
  if (book.issued && /^\d{4}(-\d\d(-\d\d)?)?/.test(book.issued)) lines.push(`<dc:issued>${escapeXml(book.issued.slice(0, 10))}</dc:issued>`);
  if (book.identifier) lines.push(`<dc:identifier>${escapeXml(book.identifier)}</dc:identifier>`);
  if (book.summary) lines.push(`<summary type="text">${escapeXml(book.summary)}</summary>`);
  if (book.cover) {
    lines.push(link(REL.image, href(`/covers/${encodePath(book.key)}`), book.cover.type));
    lines.push(link(REL.thumbnail, href(`/thumbnails/${encodePath(book.key)}`), 'image/jpeg'));
  }
  for (const f of book.files) {
    const type = f.kind === 'kepub' ? KEPUB_TYPE : EPUB_TYPE;
    lines.push(`<link rel="${REL.acquisition}" href="${escapeXml(href(`/books/${encodePath(f.rel)}`))}" type="${type}" title="${f.kind === 'kepub' ? 'KEPUB (Kobo)' : 'EPUB'}" length="${f.size}"/>`);
  }
  return `  <entry>\n${lines.map((l) => `    ${l}\n`).join('')}  </entry>\n`;
}

/** The OpenSearch description that tells a reading app how to search; `base` is the server's absolute URL. */
export function openSearchDescription(base: string, href: Href, title: string): string {
  // The template's {searchTerms} must survive as is: it is added after the href is made.
  const template = href('/opds/search', { q: '__TERMS__' }).replace('__TERMS__', '{searchTerms}');
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">\n' +
    `  <ShortName>${escapeXml(title.slice(0, 16))}</ShortName>\n` +
    `  <Description>${escapeXml(`Search ${title} by title or author`)}</Description>\n` +
    '  <InputEncoding>UTF-8</InputEncoding>\n  <OutputEncoding>UTF-8</OutputEncoding>\n' +
    `  <Url type="${ACQUISITION_TYPE}" template="${escapeXml(base + template)}"/>\n` +
    '</OpenSearchDescription>\n'
  );
}

/** OPDS 2.0: the whole catalog, or one page of it, newest first. */
export function opds2Feed(all: BookRecord[], page: Page, href: Href, title: string): object {
  const pages = Math.max(1, Math.ceil(all.length / page.size));
  const at = (n: number) => href('/opds/v2', n > 1 ? { page: String(n) } : {});
  const links: object[] = [
    { rel: 'self', href: at(page.number), type: OPDS2_TYPE },
    { rel: 'start', href: href('/opds'), type: NAVIGATION_TYPE },
    { rel: 'search', href: href('/opds/v2/search', { q: '__TERMS__' }).replace('__TERMS__', '{searchTerms}'), type: OPDS2_TYPE, templated: true },
  ];
  if (page.number > 1) links.push({ rel: 'previous', href: at(page.number - 1), type: OPDS2_TYPE });
  if (page.number < pages) links.push({ rel: 'next', href: at(page.number + 1), type: OPDS2_TYPE });
  if (pages > 1) links.push({ rel: 'first', href: at(1), type: OPDS2_TYPE }, { rel: 'last', href: at(pages), type: OPDS2_TYPE });
  const publications = newestFirst(all)
    .slice((page.number - 1) * page.size, page.number * page.size)
    .map((b) => ({
      metadata: {
        '@type': 'http://schema.org/Book',
        identifier: entryId(b),
        title: b.title,
        ...(b.authors.length ? { author: b.authors.map((name) => ({ name })) } : {}),
        ...(b.lang ? { language: b.lang } : {}),
        ...(b.publisher ? { publisher: b.publisher } : {}),
        ...(b.summary ? { description: b.summary } : {}),
        ...(b.issued && /^\d{4}/.test(b.issued) ? { published: b.issued.slice(0, 10) } : {}),
        modified: iso(b.updated),
      },
      links: b.files.map((f) => ({ rel: REL.acquisition, href: href(`/books/${encodePath(f.rel)}`), type: f.kind === 'kepub' ? KEPUB_TYPE : EPUB_TYPE, title: f.kind === 'kepub' ? 'KEPUB (Kobo)' : 'EPUB' })),
      images: b.cover ? [{ href: href(`/covers/${encodePath(b.key)}`), type: b.cover.type }, { href: href(`/thumbnails/${encodePath(b.key)}`), type: 'image/jpeg' }] : [],
    }));
  return { metadata: { title, numberOfItems: all.length, itemsPerPage: page.size, currentPage: page.number }, links, publications };
}
