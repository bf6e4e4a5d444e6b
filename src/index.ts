// quire's public API: build a book from a folder of Markdown articles.
// Stages: config -> load articles -> render chapters -> settle links and images -> package -> write.
// Never reads argv or writes to the terminal; problems come back as diagnostics.
import { createHash } from 'node:crypto';
import v8 from 'node:v8';
import fs from 'node:fs';
import path from 'node:path';
import { bodyFrom, splitFrontMatter, type FrontMatter } from './articles/front-matter.js';
import { loadArticles } from './articles/load.js';
import { Cache } from './cache.js';
import { decodeText } from './articles/decode.js';
import { loadConfig, type BookConfig, type ConfigOverrides } from './config.js';
import { Diagnostics, type Diagnostic } from './diagnostics.js';
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
import { BOOK_CSS } from './epub/styles.js';
import { sniffImage, svgToPng } from './images.js';
import type { Deflated } from './epub/deflate.js';
import type { Article, RenderedChapter } from './model.js';
import { Pool, type ChapterResult } from './parallel.js';
import { Downloader, type RemoteOptions } from './remote.js';
import { AssetStore } from './render/assets.js';
import { titleFromFileName } from './articles/title.js';
import { resolveLinks, type ChapterIndex } from './render/links.js';
import { fillPlaceholders } from './render/placeholders.js';
import { writeAtomically } from './write.js';

export type { Diagnostic } from './diagnostics.js';
export { formatDiagnostic, sortDiagnostics } from './diagnostics.js';
export type { ConfigOverrides } from './config.js';

export const VERSION = readVersion();

export interface BuildOptions {
  /** The folder of articles (default `articles`). */
  articlesDir?: string;
  /** The book to write (default `output/book.epub`). */
  output?: string;
  /** Where relative paths start (default: the process's working directory). */
  cwd?: string;
  /** Values from the command line; they win over book.yaml. */
  overrides?: ConfigOverrides;
  /** Warnings fail the build. */
  strict?: boolean;
  /** Seconds since 1970 for `dcterms:modified`, as in the SOURCE_DATE_EPOCH convention. */
  sourceDateEpoch?: string;
  /** A folder for the build cache (the CLI uses `.quire-cache`); without one, every build is cold. */
  cacheDir?: string;
  /** Write several volumes: every `size` articles, or one per year of the articles' dates. */
  split?: { by: 'count'; size: number } | { by: 'year' };
  /** Downloading remote images: offline mode, private addresses, limits. */
  remote?: RemoteOptions;
  /** Told how far the long stages are, for a progress display. */
  onProgress?: (progress: Progress) => void;
}

export interface Progress {
  stage: 'render' | 'download' | 'compress';
  done: number;
  total: number;
  /** Downloads that failed so far. */
  failed?: number;
}

export interface Volume {
  /** `1`, `2`... or a year; undefined for a book in one volume. */
  label?: string;
  title: string;
  epub: Buffer;
  chapters: number;
  images: number;
}

export interface BookResult {
  /** The EPUB's bytes, when the book could be made in one volume. */
  epub?: Buffer;
  /** Every volume made (one when the book is not split). */
  volumes?: Volume[];
  diagnostics: Diagnostic[];
  chapters: number;
  images: number;
  /** What the cache saved (hits) and what had to be done (misses). */
  cache?: Cache['stats'];
  /** Files outside the articles folder that the book was made from (style sheet, cover), for watching. */
  inputs: string[];
}

export interface BuildResult extends BookResult {
  /** Whether the book was written. */
  written: boolean;
  output: string;
  /** The files written: `output`, or one per volume beside it. */
  outputs: string[];
}

/** Build the book in memory. Nothing is written to disk. */
export async function makeBook(options: BuildOptions = {}): Promise<BookResult> {
  const cwd = options.cwd ?? process.cwd();
  const articlesDir = path.resolve(cwd, options.articlesDir ?? 'articles');
  const diagnostics = new Diagnostics();
  const { config, diagnostics: configProblems } = loadConfig(articlesDir, options.overrides ?? {}, cwd);
  diagnostics.addAll(configProblems);
  const inputs = [config.css, config.cover].filter((f): f is string => f !== undefined);

  const cache = new Cache(options.cacheDir === undefined ? undefined : path.resolve(cwd, options.cacheDir), VERSION);
  const { articles, diagnostics: loadProblems } = await loadArticles(articlesDir, config, (text, file) => cachedFrontMatter(text, file, cache));
  diagnostics.addAll(loadProblems);
  const folderMissing = loadProblems.some((d) => d.code === 'articles-folder');
  if (!folderMissing && articles.length === 0 && !loadProblems.some((d) => d.severity === 'error')) {
    diagnostics.error('articles-none', 'no articles here: quire reads the *.md and *.markdown files of this folder', articlesDir);
  }
  if (articles.length === 0) return { diagnostics: diagnostics.items, chapters: 0, images: 0, inputs };

  const pool = new Pool();
  try {
    const result = await assemble(options, articlesDir, config, articles, diagnostics, pool, cache);
    if (result.volumes) cache.prune();
    return { ...result, cache: cache.stats, inputs };
  } finally {
    await pool.close();
  }
}

/** Render the chapters that the cache does not already hold. */
async function renderChapters(articles: Article[], lang: string, pool: Pool, cache: Cache, onProgress?: BuildOptions['onProgress']): Promise<RenderedChapter[]> {
  const keys = articles.map((a) => cache.key('chapter', lang, a.file, a.slug, JSON.stringify(a.meta), a.body));
  const results: (ChapterResult | undefined)[] = keys.map((k) => {
    const data = cache.get('chapter', k);
    try {
      return data && (v8.deserialize(data) as ChapterResult);
    } catch {
      return undefined;
    }
  });
  const missing = results.flatMap((r, i) => (r ? [] : [i]));
  const cached = articles.length - missing.length;
  const progress = onProgress && ((done: number) => onProgress({ stage: 'render', done: cached + done, total: articles.length }));
  progress?.(0);
  const fresh = await pool.map<Article, ChapterResult>((items) => ({ kind: 'render', lang, items }), missing.map((i) => articles[i]!), (a) => a.body.length, progress);
  fresh.forEach((r, j) => {
    results[missing[j]!] = r;
    cache.put('chapter', keys[missing[j]!]!, v8.serialize(r));
  });
  return results.map((r, i) => ({ ...r!, article: articles[i]! }));
}

/** Deflate documents for the zip, taking what the cache holds. */
async function deflateDocuments(docs: string[], pool: Pool, cache: Cache, onProgress?: BuildOptions['onProgress']): Promise<Deflated[]> {
  const bytes = docs.map((d) => Buffer.from(d, 'utf8'));
  const keys = bytes.map((b) => cache.key('deflate', b));
  const results: (Deflated | undefined)[] = keys.map((k, i) => {
    const data = cache.get('deflate', k);
    return data && data.length >= 4 ? { data: data.subarray(4), crc32: data.readUInt32LE(0), size: bytes[i]!.length } : undefined;
  });
  const missing = results.flatMap((r, i) => (r ? [] : [i]));
  const cached = docs.length - missing.length;
  const progress = onProgress && ((done: number) => onProgress({ stage: 'compress', done: cached + done, total: docs.length }));
  progress?.(0);
  const fresh = await pool.map<Uint8Array, Deflated>((items) => ({ kind: 'deflate', items }), missing.map((i) => bytes[i]!), (b) => b.length, progress);
  fresh.forEach((d, j) => {
    results[missing[j]!] = d;
    const entry = Buffer.alloc(4 + d.data.length);
    entry.writeUInt32LE(d.crc32 >>> 0, 0);
    entry.set(d.data, 4);
    cache.put('deflate', keys[missing[j]!]!, entry);
  });
  return results as Deflated[];
}

async function assemble(
  options: BuildOptions,
  articlesDir: string,
  config: BookConfig,
  articles: Article[],
  diagnostics: Diagnostics,
  pool: Pool,
  cache: Cache,
): Promise<Omit<BookResult, 'inputs'>> {
  const chapters = await renderChapters(articles, config.lang, pool, cache, options.onProgress);
  for (const c of chapters) diagnostics.addAll(c.diagnostics);
  const css = await bookCss(config, diagnostics);
  const cover = await coverImage(config, diagnostics);
  const title = config.title ?? (chapters.length === 1 ? chapters[0]!.title : titleFromFileName(path.basename(articlesDir)));
  const volumes = splitVolumes(chapters, title, options.split);
  const volumeOf = new Map<string, string>();
  for (const v of volumes) for (const c of v.chapters) volumeOf.set(c.article.file, v.label ?? '');

  const made: Volume[] = [];
  const downloader = new Downloader(options.remote ?? {}, cache, options.onProgress && ((c) => options.onProgress!({ stage: 'download', done: c.done, total: c.requested, failed: c.failed })));
  for (const volume of volumes) {
    const book = await packageVolume(volume, { options, articlesDir, config, css, cover, volumeOf, diagnostics, pool, cache, downloader });
    if (book.epub) made.push({ label: volume.label, title: volume.title, epub: book.epub, chapters: volume.chapters.length, images: book.images });
  }
  const images = made.reduce((n, v) => n + v.images, 0);
  if (diagnostics.hasErrors || made.length !== volumes.length) return { diagnostics: diagnostics.items, chapters: chapters.length, images };
  return { epub: made.length === 1 ? made[0]!.epub : undefined, volumes: made, diagnostics: diagnostics.items, chapters: chapters.length, images };
}

interface VolumePlan {
  /** `1`, `2`... or a year; undefined for a book in one volume. */
  label?: string;
  title: string;
  chapters: RenderedChapter[];
}

/** Cut the book into volumes: every `size` chapters, or by the year of each article's date. */
function splitVolumes(chapters: RenderedChapter[], title: string, split: BuildOptions['split']): VolumePlan[] {
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
  const byYear = new Map<string, RenderedChapter[]>();
  for (const c of chapters) {
    const year = /^(\d{4})/.exec(c.article.meta.date ?? '')?.[1] ?? 'undated';
    byYear.set(year, [...(byYear.get(year) ?? []), c]);
  }
  const years = [...byYear.keys()].sort((a, b) => (a === 'undated' ? 1 : b === 'undated' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return years.map((year) => ({ label: year, title: year === 'undated' ? `${title} (undated)` : `${title}, ${year}`, chapters: byYear.get(year)! }));
}

interface VolumeContext {
  options: BuildOptions;
  articlesDir: string;
  config: BookConfig;
  css: string;
  cover: Buffer | undefined;
  /** The volume of every article of the book, by file. */
  volumeOf: Map<string, string>;
  diagnostics: Diagnostics;
  pool: Pool;
  cache: Cache;
  downloader: Downloader;
}

/** Settle one volume's links and images and package it. */
async function packageVolume(volume: VolumePlan, ctx: VolumeContext): Promise<{ epub?: Buffer; images: number }> {
  const { options, articlesDir, config, css, cover, diagnostics, pool, cache, downloader } = ctx;
  const { chapters, title } = volume;
  const index: ChapterIndex = new Map();
  for (const c of chapters) index.set(c.article.file, { href: chapterFileName(c), chapter: c });
  const elsewhere = new Map([...ctx.volumeOf].filter(([file]) => !index.has(file)));

  const assets = new AssetStore(articlesDir, downloader);
  const linkProblems: Diagnostic[] = [];
  const imageProblems: Diagnostic[][] = chapters.map(() => []);
  const bodies = await Promise.all(
    chapters.map(async (c, i) => {
      const links = resolveLinks(c, index, articlesDir, linkProblems, elsewhere);
      const images = await assets.resolve(c, imageProblems[i]!);
      return fillPlaceholders(c.body, links, images);
    }),
  );
  diagnostics.addAll(linkProblems);
  // Chapters settle their images concurrently; report in reading order all the same.
  for (const list of imageProblems) diagnostics.addAll(list);
  if (diagnostics.hasErrors) return { images: assets.images.size };

  const images = [...assets.images.values()].sort((a, b) => (a.href < b.href ? -1 : 1));
  const chapterDocs = chapters.map((c, i) =>
    chapterDocument({ title: c.title, titleId: c.titleId, lang: c.lang ?? config.lang, body: bodies[i]! }),
  );
  const coverData = cover ?? (await cachedCover(title, config.authors, cache));
  const coverType = cover ? (await sniffImage(coverData))! : { extension: 'png', mediaType: 'image/png' };
  const coverHref = `cover.${coverType.extension}`;

  const identifier =
    config.identifier !== undefined
      ? volume.label === undefined
        ? config.identifier
        : `${config.identifier}-${volume.label}`
      : contentIdentifier(title, config, chapterDocs, images.map((i) => i.href), coverData);
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
    accessibility: { visual: images.length > 0, allImagesHaveAlt, mathml: chapters.some((c) => c.mathml) },
  };
  const toc = tableOfContents(chapters, config.tocDepth);
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
    ...images.map((img) => ({ id: `image-${path.basename(img.href).replace(/\.\w+$/, '')}`, href: img.href, mediaType: img.mediaType })),
  ];
  const spine = ['cover', 'toc', ...chapters.map((c) => `chapter-${c.article.slug}`)];
  const files: PackageFile[] = [
    { path: coverHref, data: coverData, store: true },
    { path: COVER_PAGE_HREF, data: coverDocument(meta, coverHref) },
    ...images.map((img) => ({ path: img.href, data: img.data, store: true })),
  ];
  const opf = opfDocument(meta, manifest, spine, { cover: COVER_PAGE_HREF, start: firstHref }, 'cover-image');
  const ncx = ncxDocument(meta, toc);
  const nav = navDocument(meta, toc, firstHref, true);
  const documents: [string, string][] = [
    ...chapters.map((c, i): [string, string] => [chapterFileName(c), chapterDocs[i]!]),
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
  const epub = await packageEpub({
    identifier,
    title,
    lang: config.lang,
    opf,
    ncx,
    nav,
    css,
    chapters: chapters.map((c, i) => ({ filename: chapterFileName(c), title: c.title, xhtml: chapterDocs[i]! })),
    deflated: new Map(documents.map(([name], i) => [name, deflated[i]!])),
    files,
    modified: new Date(meta.modified),
  });
  return { epub, images: images.length };
}

/** Build the book and write it to `output`, unless a problem (or, with `strict`, a warning) stops it. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const output = path.resolve(cwd, options.output ?? path.join('output', 'book.epub'));
  const result = await makeBook(options);
  const diagnostics = [...result.diagnostics];
  const failed = diagnostics.some((d) => d.severity === 'error') || (options.strict === true && diagnostics.length > 0);
  if (failed || !result.volumes) return { ...result, diagnostics, written: false, output, outputs: [] };
  // Volumes go beside the output path: book.epub -> book-1.epub, book-2.epub... or book-2023.epub.
  const ext = path.extname(output);
  const files = result.volumes.map((v) => ({ file: v.label === undefined ? output : `${output.slice(0, output.length - ext.length)}-${v.label}${ext}`, data: v.epub }));
  try {
    writeAtomically(files);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const file = err.path && files.some((f) => f.file === err.path) ? err.path : files[0]!.file;
    diagnostics.push({ file, severity: 'error', code: 'output-unwritable', message: `cannot write the book: ${err.code === 'EISDIR' ? 'the output path is a folder' : err.code ?? err.message}` });
    return { ...result, diagnostics, written: false, output, outputs: [] };
  }
  return { ...result, diagnostics, written: true, output, outputs: files.map((f) => f.file) };
}

export function chapterFileName(c: RenderedChapter): string {
  return `chapter-${c.article.slug}.xhtml`;
}

/** Front matter read once per distinct file: YAML parsing is a good part of reading an article. */
function cachedFrontMatter(text: string, file: string, cache: Cache): FrontMatter {
  if (!text.startsWith('---')) return splitFrontMatter(text, file);
  const key = cache.key('front', file, text);
  const data = cache.get('front', key);
  if (data) {
    try {
      const { meta, diagnostics, ok, bodyStart } = v8.deserialize(data) as Omit<FrontMatter, 'body'>;
      return { meta, diagnostics, ok, bodyStart, body: bodyFrom(text, bodyStart) };
    } catch {
      // an unreadable entry is a miss
    }
  }
  const fm = splitFrontMatter(text, file);
  cache.put('front', key, v8.serialize({ meta: fm.meta, diagnostics: fm.diagnostics, ok: fm.ok, bodyStart: fm.bodyStart }));
  return fm;
}

async function cachedCover(title: string, authors: string[], cache: Cache): Promise<Buffer> {
  const key = cache.key('cover', title, JSON.stringify(authors));
  const cached = cache.get('cover', key);
  if (cached) return cached;
  const png = await generateCover(title, authors);
  cache.put('cover', key, png);
  return png;
}

function tableOfContents(chapters: readonly RenderedChapter[], depth: number): TocEntry[] {
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

/** A UUID derived from everything that goes into the book, so the same input gives the same identifier. */
function contentIdentifier(title: string, config: BookConfig, docs: string[], images: string[], cover: Buffer): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([title, config.authors, config.lang, config.publisher, config.description, config.date]));
  for (const d of docs) h.update(d);
  for (const i of images) h.update(i);
  h.update(cover);
  const b = h.digest();
  b[6] = (b[6]! & 0x0f) | 0x50; // version 5: name-based (SHA)
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = b.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

async function bookCss(config: BookConfig, diagnostics: Diagnostics): Promise<string> {
  if (!config.css) return BOOK_CSS;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(config.css);
  } catch (e) {
    diagnostics.error('css-unreadable', `style sheet cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, config.css);
    return BOOK_CSS;
  }
  const decoded = decodeText(bytes, config.css);
  diagnostics.addAll(decoded.diagnostics);
  if (decoded.text === undefined) return BOOK_CSS;
  let css = decoded.text;
  // Style sheets may not pull in other files or remote resources: the book would refer to files it does not hold.
  const lines = css.split('\n');
  lines.forEach((line, i) => {
    const m = /@import|url\s*\(/i.exec(line);
    if (m) diagnostics.warning('css-resource', `\`${m[0].replace(/\s+/g, '')}\` removed: quire's books hold no files from style sheets`, config.css, { line: i + 1, column: m.index + 1 });
  });
  css = css.replace(/@import[^;]*;?/gi, '').replace(/url\s*\([^)]*\)/gi, 'none');
  return `${BOOK_CSS}\n/* ${path.basename(config.css).replace(/\*\//g, '')} */\n${css.replace(/<\/?style[^>]*>/gi, '')}\n`;
}

async function coverImage(config: BookConfig, diagnostics: Diagnostics): Promise<Buffer | undefined> {
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

function readVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}
