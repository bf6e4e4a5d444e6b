// Volumes: the rendered chapters cut into one book or several (--split), and each volume settled (links,
// images) and packaged: documents, cover, metadata, contents, compressed entries, the EPUB itself.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Cache } from './cache.js';
import type { BookConfig } from './config.js';
import type { Diagnostic, Diagnostics } from './diagnostics.js';
import { DEFLATE_LEVEL, type Deflated } from './epub/deflate.js';
import { entryFills, finishEntry } from './epub/entry.js';
import { generateCover } from './epub/cover.js';
import {
  chapterDocument,
  coverDocument,
  COVER_PAGE_HREF,
  navDocument,
  ncxDocument,
  opfDocument,
  type BookMetadata,
  type ManifestItem,
  type TocEntry,
} from './epub/documents.js';
import { packageEpub, type PackageFile } from './epub/package.js';
import { sniffImage } from './images.js';
import type { BuildOptions } from './index.js';
import { labelsFor } from './labels.js';
import { KINDLE_MAX_BYTES, type BookChapter } from './model.js';
import type { Pool } from './parallel.js';
import type { Downloader } from './remote.js';
import { AssetStore } from './render/assets.js';
import { resolveLinks, type ChapterIndex } from './render/links.js';
import { NOTES_FILE } from './render/footnotes.js';
import { fillPlaceholders } from './render/placeholders.js';
import { escapeAttr, escapeText } from './render/tree.js';
import { VERSION } from './version.js';

/** Deflate documents for the zip, taking what the cache holds. */
async function deflateDocuments(docs: string[], pool: Pool, cache: Cache, onProgress?: BuildOptions['onProgress']): Promise<Deflated[]> {
  const bytes = docs.map((d) => Buffer.from(d, 'utf8'));
  const keys = bytes.map((b) => cache.key('deflate', `level ${DEFLATE_LEVEL}`, b));
  // An entry is the CRC-32 (4 bytes) followed by the deflated data.
  const codec = {
    decode: (data: Buffer, i: number): Deflated => {
      if (data.length < 4) throw new Error('short entry');
      return { data: data.subarray(4), crc32: data.readUInt32LE(0), size: bytes[i]!.length };
    },
    encode: (d: Deflated): Uint8Array => {
      const entry = Buffer.alloc(4 + d.data.length);
      entry.writeUInt32LE(d.crc32 >>> 0, 0);
      entry.set(d.data, 4);
      return entry;
    },
  };
  return cache.through<Deflated>('deflate', keys, codec, (missing) => {
    const cached = docs.length - missing.length;
    const progress = onProgress && ((done: number) => onProgress({ stage: 'compress', done: cached + done, total: docs.length }));
    progress?.(0);
    return pool.map<Uint8Array, Deflated>((items) => ({ kind: 'deflate', items }), missing.map((i) => bytes[i]!), (b) => b.length, progress);
  });
}

export interface VolumePlan {
  /** `1`, `2`... or a year; undefined for a book in one volume. */
  label?: string;
  title: string;
  chapters: BookChapter[];
}

/** Cut the book into volumes: every `size` chapters, or by the year of each article's date. */
export function splitVolumes(chapters: BookChapter[], title: string, split: BuildOptions['split']): VolumePlan[] {
  if (!split) return [{ title, chapters }];
  if (split.by === 'count') {
    const count = Math.ceil(chapters.length / split.size);
    if (count <= 1) return [{ title, chapters }];
    return Array.from({ length: count }, (_, i) => ({
      label: String(i + 1),
      title: `${title} (${i + 1} of ${count})`,
      chapters: chapters.slice(i * split.size, (i + 1) * split.size),
    }));
  }
  const byYear = new Map<string, BookChapter[]>();
  for (const c of chapters) {
    const year = /^(\d{4})/.exec(c.article.meta.date ?? '')?.[1] ?? 'undated';
    byYear.set(year, [...(byYear.get(year) ?? []), c]);
  }
  const years = [...byYear.keys()].sort((a, b) => (a === 'undated' ? 1 : b === 'undated' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return years.map((year) => ({ label: year, title: year === 'undated' ? `${title} (undated)` : `${title}, ${year}`, chapters: byYear.get(year)! }));
}

export interface VolumeContext {
  options: BuildOptions;
  articlesDir: string;
  config: BookConfig;
  css: string;
  cover: Buffer | undefined;
  covers: Covers;
  /** The volume of every article of the book, by file. */
  volumeOf: Map<string, string>;
  diagnostics: Diagnostics;
  pool: Pool;
  cache: Cache;
  downloader: Downloader;
}

/** Settle one volume's links and images and package it. */
export async function packageVolume(volume: VolumePlan, ctx: VolumeContext): Promise<{ epub?: Buffer; images: number; files: string[] }> {
  const { options, articlesDir, config, css, cover, covers, diagnostics, pool, cache, downloader } = ctx;
  const { chapters, title } = volume;
  const index: ChapterIndex = new Map();
  for (const c of chapters) index.set(c.article.file, { href: chapterFileName(c), chapter: c });
  const elsewhere = new Map([...ctx.volumeOf].filter(([file]) => !index.has(file)));

  const assets = new AssetStore(articlesDir, downloader);
  const linkProblems: Diagnostic[] = [];
  const imageProblems: Diagnostic[][] = chapters.map(() => []);
  const settled = await Promise.all(
    chapters.map(async (c, i) => {
      const links = resolveLinks(c, index, articlesDir, linkProblems, elsewhere);
      const images = await assets.resolve(c, imageProblems[i]!);
      // In the notes document, a link within the chapter (`#id`, the back-links among them) names its file.
      const file = chapterFileName(c);
      const notes = c.notes === undefined ? undefined : fillPlaceholders(c.notes, links.map((l) => (l.startsWith('<a href="#') ? `<a href="${file}${l.slice(9)}` : l)), images);
      return { fills: entryFills(c.entry, links, images), notes };
    }),
  );
  const notesTitle = labelsFor(config.lang).notes;
  const notes = notesDocument(chapters, settled.map((s) => s.notes), notesTitle, config.lang, options.target === 'kobo');
  diagnostics.addAll(linkProblems);
  // Chapters settle their images concurrently; report in reading order all the same.
  for (const list of imageProblems) diagnostics.addAll(list);
  if (diagnostics.hasErrors) return { images: assets.images.size, files: [...assets.files] };

  const images = [...assets.images.values()].sort((a, b) => (a.href < b.href ? -1 : 1));
  const fills = settled.map((s) => s.fills);
  const coverData = cover ?? (await covers.get(title));
  const coverType = cover ? (await sniffImage(coverData))! : { extension: 'png', mediaType: 'image/png' };
  const coverHref = `cover.${coverType.extension}`;

  const identifier =
    config.identifier !== undefined
      ? volume.label === undefined
        ? config.identifier
        : `${config.identifier}-${volume.label}`
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
    modified: modifiedDate(options.sourceDateEpoch, config, chapters.map((c) => c.article.meta.date)),
    generator: `quire ${VERSION}`,
    accessibility: { visual: images.length > 0, allImagesHaveAlt, mathml: chapters.some((c) => c.mathml) || (notes?.properties ?? '').includes('mathml') },
  };
  const toc = tableOfContents(chapters, config.tocDepth);
  if (notes) toc.push({ text: notesTitle, href: NOTES_FILE, children: [] });
  const firstHref = chapterFileName(chapters[0]!);
  const manifest: ManifestItem[] = [
    { id: 'cover-image', href: coverHref, mediaType: coverType.mediaType, properties: 'cover-image' },
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
    { path: coverHref, data: coverData, store: true },
    { path: COVER_PAGE_HREF, data: coverDocument(meta, coverHref) },
    ...images.map((img) => ({ path: img.href, data: img.data, store: true })),
  ];
  const opf = opfDocument(meta, manifest, spine, { cover: COVER_PAGE_HREF, start: firstHref }, 'cover-image');
  const ncx = ncxDocument(meta, toc);
  const nav = navDocument(meta, toc, firstHref, true);
  const documents: [string, string][] = [
    ...(notes ? [[NOTES_FILE, notes.xhtml] as [string, string]] : []),
    ['content.opf', opf],
    ['toc.ncx', ncx],
    ['toc.xhtml', nav],
    ['style.css', css],
  ];
  const deflated = await deflateDocuments(
    documents.map(([, d]) => d),
    pool,
    cache,
    options.onProgress,
  );
  const byName = new Map(documents.map(([name], i) => [name, deflated[i]!]));
  const epub = await packageEpub({
    identifier,
    title,
    lang: config.lang,
    opf,
    ncx,
    nav,
    css,
    chapters: [
      ...chapters.map((c, i) => ({ filename: chapterFileName(c), title: c.title, entry: finishEntry(c.entry, fills[i]!) })),
      ...(notes ? [{ filename: NOTES_FILE, title: notesTitle, entry: byName.get(NOTES_FILE)! }] : []),
    ],
    deflated: byName,
    files,
    modified: new Date(meta.modified),
  });
  if (options.target === 'kindle' && epub.length > KINDLE_MAX_BYTES) {
    const mb = (n: number) => `${Math.ceil(n / 1024 / 1024)} MB`;
    diagnostics.warning('kindle-too-large', `the book${volume.label ? ` (volume ${volume.label})` : ''} is ${mb(epub.length)}; Send-to-Kindle takes ${mb(KINDLE_MAX_BYTES)} at most: write volumes with --split`);
  }
  return { epub, images: images.length, files: [...assets.files] };
}

/** The notes of every chapter, gathered under the chapters' titles, when the book keeps its notes at the end. */
function notesDocument(chapters: readonly BookChapter[], notes: readonly (string | undefined)[], notesTitle: string, lang: string, kobo: boolean): { xhtml: string; properties?: string } | undefined {
  // In a Kobo book every chapter's notes come with Kobo spans numbered from 1; here they are numbered on.
  let block = 0;
  const span = (text: string) => (kobo ? `<span class="koboSpan" id="kobo.${++block}.1">${text}</span>` : text);
  const title = span(escapeText(notesTitle));
  const parts: string[] = [];
  chapters.forEach((c, i) => {
    let n = notes[i];
    if (n === undefined) return;
    const heading = span(escapeText(c.title));
    if (kobo) {
      const offset = block;
      n = n.replace(/<span class="koboSpan" id="kobo\.(\d+)\.(\d+)">/g, (_, b: string, m: string) => {
        block = Math.max(block, offset + Number(b));
        return `<span class="koboSpan" id="kobo.${offset + Number(b)}.${m}">`;
      });
    }
    parts.push(`<section class="chapter-notes">\n<h2><a href="${escapeAttr(chapterFileName(c))}">${heading}</a></h2>\n${n}\n</section>`);
  });
  if (parts.length === 0) return undefined;
  const body = `<header class="chapter-header"><h1 id="notes-title" class="chapter-title">${title}</h1></header>\n${parts.join('\n')}`;
  const xhtml = chapterDocument({ title: notesTitle, titleId: 'notes-title', lang, body, type: 'endnotes', kobo });
  // Text is escaped, so `<svg` and `<math` can only be elements.
  const properties = [notes.some((n) => n?.includes('<svg')) ? 'svg' : '', notes.some((n) => n?.includes('<math')) ? 'mathml' : ''].filter(Boolean).join(' ');
  return { xhtml, properties: properties || undefined };
}

export function chapterFileName(c: BookChapter): string {
  return `chapter-${c.article.slug}.xhtml`;
}

/**
 * The generated covers of a build, by title: from the cache, else drawn. A cover can be started early, on
 * a worker, so that it is drawn while the chapters render instead of after them.
 */
export class Covers {
  private readonly made = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly authors: string[],
    private readonly cache: Cache,
    private readonly pool: Pool,
  ) {}

  /** Start on the cover for `title` beside the other work, when a worker is running. */
  start(title: string): void {
    if (this.pool.running && !this.made.has(title)) this.made.set(title, this.make(title));
  }

  get(title: string): Promise<Buffer> {
    let cover = this.made.get(title);
    if (!cover) this.made.set(title, (cover = this.make(title)));
    return cover;
  }

  /** From the cache, else drawn on a worker when one runs, else here. */
  private make(title: string): Promise<Buffer> {
    const key = this.cache.key('cover', title, JSON.stringify(this.authors));
    const cached = this.cache.get('cover', key);
    if (cached) return Promise.resolve(cached);
    const drawn = this.pool.runAside<Uint8Array>({ kind: 'cover', title, authors: this.authors }) ?? generateCover(title, this.authors);
    const cover = drawn.then((png) => {
      const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
      this.cache.put('cover', key, bytes);
      return bytes;
    });
    // Awaited when the book is packaged, or never when the build stops before that.
    cover.catch(() => {});
    return cover;
  }
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
