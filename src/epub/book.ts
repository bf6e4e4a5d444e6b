// Stage: book. Pure: a volume's settled chapters and the book's settings -> every document of the EPUB
// (package document, NCX, navigation, cover page, chapters, notes) and the list of its files, ready for
// the packager (package.ts). No I/O, no clock: the same input gives the same documents.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { BookConfig } from '../config.js';
import { labelsFor } from '../labels.js';
import type { BookChapter } from '../model.js';
import { NOTES_FILE } from '../render/footnotes.js';
import type { EmbeddedImage } from '../settle/images.js';
import { gatherNotes, NOTES_TITLE_ID } from '../settle/notes.js';
import { chapterFileName, type SettledVolume } from '../settle/volume.js';
import { VERSION } from '../version.js';
import { chapterDocument, coverDocument, COVER_PAGE_HREF, navDocument, ncxDocument, opfDocument, type BookMetadata, type ManifestItem, type TocEntry } from './documents.js';
import { BOOK_CSS } from './styles.js';

export interface BookInput {
  config: BookConfig;
  /** The volume's title, and its label (`1`, `2023`) when the book is split. */
  title: string;
  label?: string;
  chapters: readonly BookChapter[];
  settled: SettledVolume;
  /** The book's own style sheet, to go after quire's (see articles/book-files.ts). */
  css: string;
  cover: { data: Buffer; extension: string; mediaType: string };
  kobo: boolean;
  /** SOURCE_DATE_EPOCH, when set. */
  sourceDateEpoch?: string;
  /**
   * In a long-running process (watch mode), the chapter documents of this volume's last book, and where
   * this book's go for the next: a chapter whose rendered body, settled links and images and heading are
   * the same is given its last document instead of a new one.
   */
  documents?: { last?: DocumentMemory; next: DocumentMemory };
}

/** Chapter documents by path, each with what it was made from. */
export type DocumentMemory = Map<string, { rendered: string; key: string; file: PackageFile }>;

export interface PackageFile {
  /** Path inside OEBPS/. */
  path: string;
  /** Its content, or what makes it when the packager reads it (chapters: see bookFiles). */
  data: string | Buffer | (() => Buffer);
  /** Already-compressed data (images) is stored, not deflated again. */
  store?: boolean;
  /** The digest of its content, once the packager has taken it (see package.ts). */
  digest?: string;
}

/** A chapter's document, or the same document from the last book when it would be made the same. */
function chapterFile(c: BookChapter, i: number, input: BookInput): PackageFile {
  const { settled, kobo, documents } = input;
  const href = chapterFileName(c);
  const doc = { title: c.title, titleId: c.titleId, lang: c.lang ?? input.config.lang, dir: c.dir, kobo };
  const file: PackageFile = { path: href, data: () => Buffer.from(chapterDocument({ ...doc, body: settled.body(i) }), 'utf8') };
  const rendered = c.body.peek();
  if (!documents || rendered === undefined) return file;
  const key = JSON.stringify([doc.title, doc.titleId, doc.lang, doc.dir ?? null, kobo, settled.fillings(i)]);
  const last = documents.last?.get(href);
  // The same string object when the chapter came from the memory cache: compared in no time.
  const same = last && typeof last.file.data !== 'function' && last.key === key && last.rendered === rendered;
  const kept = same ? last : { rendered, key, file };
  documents.next.set(href, kept);
  return kept.file;
}

/** Every document and file of one volume: what the packager (package.ts) needs. */
export interface BookPackage {
  identifier: string;
  title: string;
  lang: string;
  opf: string;
  ncx: string;
  nav: string;
  css: string;
  /** Every other file of the book, in the order they go in the zip (after the package documents). */
  files: PackageFile[];
  /** The time written on every zip entry. */
  modified: Date;
}

/** Every document and file of one volume, for packageEpub. */
export function bookFiles(input: BookInput): BookPackage {
  const { config, title, chapters, settled, kobo } = input;
  const images: EmbeddedImage[] = settled.images;
  const notesTitle = labelsFor(config.lang).notes;
  const gathered = gatherNotes(chapters, settled.notes, notesTitle, kobo, config.lang);
  const notes = gathered && { xhtml: chapterDocument({ title: notesTitle, titleId: NOTES_TITLE_ID, lang: config.lang, body: gathered.body, type: 'endnotes', kobo }), properties: gathered.properties };
  const coverHref = `cover.${input.cover.extension}`;

  const identifier =
    config.identifier !== undefined
      ? input.label === undefined
        ? config.identifier
        : `${config.identifier}-${input.label}`
      : bookIdentifier(title, config, chapters.map((c) => c.article.name));
  const allImagesHaveAlt = chapters.every((c) => c.images.every((r) => (r.attrs.get('alt') ?? '').trim() !== ''));
  const meta: BookMetadata = {
    identifier,
    title,
    authors: config.authors,
    lang: config.lang,
    publisher: config.publisher,
    description: config.description,
    date: config.date,
    modified: modifiedDate(input.sourceDateEpoch, config, chapters.map((c) => c.article.meta.date)),
    generator: `quire ${VERSION}`,
    accessibility: { visual: images.length > 0, allImagesHaveAlt, mathml: chapters.some((c) => c.mathml) || (notes?.properties ?? '').includes('mathml') },
  };
  const toc = tableOfContents(chapters, config.tocDepth);
  if (notes) toc.push({ text: notesTitle, href: NOTES_FILE, children: [] });
  const firstHref = chapterFileName(chapters[0]!);
  const manifest: ManifestItem[] = [
    { id: 'cover-image', href: coverHref, mediaType: input.cover.mediaType, properties: 'cover-image' },
    { id: 'cover', href: COVER_PAGE_HREF, mediaType: 'application/xhtml+xml' },
    { id: 'toc', href: 'toc.xhtml', mediaType: 'application/xhtml+xml', properties: 'nav' },
    { id: 'ncx', href: 'toc.ncx', mediaType: 'application/x-dtbncx+xml' },
    { id: 'css', href: 'style.css', mediaType: 'text/css' },
    ...chapters.map((c) => ({
      id: `chapter-${c.article.slug}`,
      href: chapterFileName(c),
      mediaType: 'application/xhtml+xml',
      properties: [c.svg ? 'svg' : '', c.mathml ? 'mathml' : ''].filter(Boolean).join(' ') || undefined,
    })),
    ...(notes ? [{ id: 'notes', href: NOTES_FILE, mediaType: 'application/xhtml+xml', properties: notes.properties }] : []),
    ...images.map((img) => ({ id: `image-${path.basename(img.href).replace(/\.\w+$/, '')}`, href: img.href, mediaType: img.mediaType })),
  ];
  const spine = ['cover', 'toc', ...chapters.map((c) => `chapter-${c.article.slug}`), ...(notes ? ['notes'] : [])];
  const files: PackageFile[] = [
    // Made, and encoded, as the packager reads them, one at a time: a chapter's body is let go as its
    // document is made, and only the document being compressed is held (made all at once, the documents of
    // 5,000 real-docs articles held 51 MB more as the book was packaged).
    ...chapters.map((c, i) => chapterFile(c, i, input)),
    ...(notes ? [{ path: NOTES_FILE, data: notes.xhtml }] : []),
    { path: coverHref, data: input.cover.data, store: true },
    { path: COVER_PAGE_HREF, data: coverDocument(meta, coverHref) },
    ...images.map((img) => ({ path: img.href, data: img.data, store: true })),
  ];
  return {
    identifier,
    title,
    lang: config.lang,
    opf: opfDocument(meta, manifest, spine, { cover: COVER_PAGE_HREF, start: firstHref }, 'cover-image'),
    ncx: ncxDocument(meta, toc),
    nav: navDocument(meta, toc, firstHref, true),
    css: BOOK_CSS + input.css,
    files,
    modified: new Date(meta.modified),
  };
}

function tableOfContents(chapters: readonly BookChapter[], depth: number): TocEntry[] {
  return groupEntries(chapters, chapterEntries(chapters, depth));
}

/** Articles that share a group (a digest's feed) go under one heading, in the order they come. */
function groupEntries(chapters: readonly BookChapter[], entries: TocEntry[]): TocEntry[] {
  const out: TocEntry[] = [];
  let last: { group: string; entry: TocEntry } | undefined;
  chapters.forEach((c, i) => {
    const group = c.article.group;
    if (group === undefined) {
      last = undefined;
      out.push(entries[i]!);
      return;
    }
    if (last?.group !== group) {
      last = { group, entry: { text: group, children: [] } };
      out.push(last.entry);
    }
    last.entry.children.push(entries[i]!);
  });
  return out;
}

function chapterEntries(chapters: readonly BookChapter[], depth: number): TocEntry[] {
  return chapters.map((c) => {
    const href = chapterFileName(c);
    const entry: TocEntry = { text: c.title, href, children: [] };
    const stack: { level: number; entry: TocEntry }[] = [{ level: 1, entry }];
    for (const s of c.sections) {
      if (s.level > depth) continue;
      while (stack.length > 1 && stack[stack.length - 1]!.level >= s.level) stack.pop();
      const child: TocEntry = { text: s.text, href: `${href}#${s.id}`, children: [] };
      stack[stack.length - 1]!.entry.children.push(child);
      stack.push({ level: s.level, entry: child });
    }
    return entry;
  });
}

/** `dcterms:modified`: SOURCE_DATE_EPOCH, else the book's date, else the newest article date, else a fixed date. */
function modifiedDate(epoch: string | undefined, config: BookConfig, articleDates: (string | undefined)[]): string {
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (epoch !== undefined && /^\d+$/.test(epoch.trim())) return iso(new Date(Number(epoch.trim()) * 1000));
  const candidates = [config.date, ...articleDates.filter((d) => d !== undefined && /^\d{4}(-\d\d(-\d\d)?)?$/.test(d)).sort().reverse()];
  for (const c of candidates) {
    if (!c) continue;
    const d = new Date(c.length === 4 ? `${c}-01-01` : c.length === 7 ? `${c}-01` : c);
    if (!Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1980) return iso(d);
  }
  return '2000-01-01T00:00:00Z';
}

/**
 * A UUID derived from what makes the book the book it is: its title, authors, language, publisher and
 * the names of its articles. Editing an article keeps it (EPUB tells revisions of a book apart by
 * `dcterms:modified`); adding, removing or renaming an article, or retitling the book, makes another.
 * It also leaves the package documents as they were when only an article's text changed, so a rebuild
 * takes them from the cache.
 */
function bookIdentifier(title: string, config: BookConfig, articles: string[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([title, config.authors, config.lang, config.publisher, articles]));
  const b = h.digest();
  b[6] = (b[6]! & 0x0f) | 0x50; // version 5: name-based (SHA)
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = b.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
