// quire's public API: build a book from a folder of Markdown articles.
// Stages: config -> load articles -> render chapters -> settle links and images -> package -> write.
// Never reads argv or writes to the terminal; problems come back as diagnostics.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { decodeText } from './articles/decode.js';
import { loadArticles } from './articles/load.js';
import { selectArticles, type Selection } from './articles/select.js';
import { titleFromFileName } from './articles/title.js';
import { Cache } from './cache.js';
import { loadConfig, type BookConfig, type ConfigOverrides } from './config.js';
import { Diagnostics, placeOf, type Diagnostic } from './diagnostics.js';
import { DEFLATE_LEVEL } from './epub/deflate.js';
import { BOOK_CSS } from './epub/styles.js';
import { drawSvg, sniffImage } from './images.js';
import type { Article, BookChapter, RenderSettings, Target } from './model.js';
import { Pool, type ChapterResult } from './parallel.js';
import { Downloader, type RemoteOptions } from './remote.js';
import { codeIdentity, VERSION } from './version.js';
import { Covers, packageVolume, splitVolumes } from './volume.js';
import { readRegularFile } from './read.js';
import { MAX_IMAGE_BYTES } from './render/assets.js';
import { cleanStyleSheet } from './render/css.js';
import { unfitDestination, writeAtomically } from './write.js';

export type { Diagnostic } from './diagnostics.js';
export { escapeControls, formatDiagnostic, formatDiagnostics, sortDiagnostics } from './diagnostics.js';
export type { ConfigOverrides } from './config.js';
export { VERSION };

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
  /**
   * A process that builds again and again (watch mode) passes the same map to every build: the cache's
   * entries stay decoded in memory between builds. Used only together with `cacheDir`.
   */
  memoryCache?: Map<string, unknown>;
  /** Downloading remote images: offline mode, private addresses, limits. */
  remote?: RemoteOptions;
  /** The reading system the book is made for (default `epub`: any). */
  target?: Target;
  /** Told how far the long stages are, for a progress display. */
  onProgress?: (progress: Progress) => void;
  /** Make the book of some articles only (`quire digest`), ordered and grouped by the caller. */
  select?: Selection;
}

export interface Progress {
  stage: 'render' | 'download' | 'compress' | 'add';
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
  /** Every file the book was made from (articles, book.yaml, images, style sheet, cover): never written over. */
  sources?: string[];
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

  // Without a cache folder nothing is keyed: quire's code is not hashed for it.
  const cacheDir = options.cacheDir === undefined ? undefined : path.resolve(cwd, options.cacheDir);
  const cache = new Cache(cacheDir, cacheDir === undefined ? VERSION : codeIdentity(), options.memoryCache);
  const pool = new Pool();
  try {
    // A build with nothing cached renders every article: with enough of them, the workers start before
    // the articles are read.
    const cold = !cache.holdsChapters();
    const loaded = loadArticles(articlesDir, config, (count) => {
      if (cold && count >= EARLY_WORKER_ARTICLES) pool.prepare();
    });
    const { articles, diagnostics: loadProblems } = options.select ? selectArticles(loaded.articles, loaded.diagnostics, articlesDir, options.select) : loaded;
    diagnostics.addAll(loadProblems);
    const folderMissing = loadProblems.some((d) => d.code === 'articles-folder');
    if (!folderMissing && articles.length === 0 && !loadProblems.some((d) => d.severity === 'error')) {
      diagnostics.error('articles-none', 'no articles here: quire reads the *.md and *.markdown files of this folder', articlesDir);
    }
    if (articles.length === 0) return { diagnostics: diagnostics.items, chapters: 0, images: 0, inputs };
    const sources = new Set([...articles.map((a) => a.file), ...inputs, ...(config.file ? [config.file] : [])]);
    const result = await assemble(options, articlesDir, config, articles, diagnostics, pool, cache, sources);
    if (result.volumes) {
      cache.prune();
      cache.forgetUnused();
    }
    return { ...result, cache: cache.stats, inputs, sources: [...sources] };
  } finally {
    await pool.close();
  }
}

/** Articles enough to start the workers before they are read (about what fills a worker's first chunks). */
const EARLY_WORKER_ARTICLES = 64;

/** Render the chapters that the cache does not already hold. */
async function renderChapters(articles: Article[], settings: RenderSettings, pool: Pool, cache: Cache, onProgress?: BuildOptions['onProgress']): Promise<BookChapter[]> {
  // The chapter's zip entry is cached with it: the deflate level is part of what it depends on.
  const settingsKey = JSON.stringify({ ...settings, deflate: DEFLATE_LEVEL });
  const keys = articles.map((a) => cache.key('chapter', settingsKey, a.file, a.slug, JSON.stringify(a.meta), a.body));
  const results = await cache.through<ChapterResult>('chapter', keys, { decode: (data) => v8.deserialize(data) as ChapterResult, encode: (r) => v8.serialize(r) }, (missing) => {
    const cached = articles.length - missing.length;
    const progress = onProgress && ((done: number) => onProgress({ stage: 'render', done: cached + done, total: articles.length }));
    progress?.(0);
    return pool.map<Article, ChapterResult>((items) => ({ kind: 'render', settings, items }), missing.map((i) => articles[i]!), (a) => a.body.length, progress);
  });
  return results.map((r, i) => ({ ...r, article: articles[i]! }));
}


async function assemble(
  options: BuildOptions,
  articlesDir: string,
  config: BookConfig,
  articles: Article[],
  diagnostics: Diagnostics,
  pool: Pool,
  cache: Cache,
  sources: Set<string>,
): Promise<Omit<BookResult, 'inputs'>> {
  const settings: RenderSettings = { lang: config.lang, math: config.math, highlight: config.highlight, notes: config.notes, target: options.target ?? 'epub' };
  // The book's title, unless it is that of its only chapter; a book in one volume has its cover drawn
  // while the chapters render.
  const knownTitle = config.title ?? (articles.length === 1 ? undefined : titleFromFileName(path.basename(articlesDir)));
  const covers = new Covers(config.authors, cache, pool);
  if (knownTitle !== undefined && !config.cover && !options.split) covers.start(knownTitle);
  const chapters = await renderChapters(articles, settings, pool, cache, options.onProgress);
  for (const c of chapters) diagnostics.addAll(c.diagnostics);
  const css = await bookCss(config, diagnostics);
  const cover = await coverImage(config, diagnostics);
  const title = knownTitle ?? chapters[0]!.title;
  const volumes = splitVolumes(chapters, title, options.split);
  const volumeOf = new Map<string, string>();
  for (const v of volumes) for (const c of v.chapters) volumeOf.set(c.article.file, v.label ?? '');

  const made: Volume[] = [];
  const downloader = new Downloader(options.remote ?? {}, cache, options.onProgress && ((c) => options.onProgress!({ stage: 'download', done: c.done, total: c.requested, failed: c.failed })));
  for (const volume of volumes) {
    const book = await packageVolume(volume, { options, articlesDir, config, css, cover, covers, volumeOf, diagnostics, pool, cache, downloader });
    for (const f of book.files) sources.add(f);
    if (book.epub) made.push({ label: volume.label, title: volume.title, epub: book.epub, chapters: volume.chapters.length, images: book.images });
  }
  const images = made.reduce((n, v) => n + v.images, 0);
  if (diagnostics.hasErrors || made.length !== volumes.length) return { diagnostics: diagnostics.items, chapters: chapters.length, images };
  return { epub: made.length === 1 ? made[0]!.epub : undefined, volumes: made, diagnostics: diagnostics.items, chapters: chapters.length, images };
}



/** Build the book and write it to `output`, unless a problem (or, with `strict`, a warning) stops it. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const output = outputFor(path.resolve(cwd, options.output ?? path.join('output', 'book.epub')), options.target);
  // Refused before any work: a symbolic link, a FIFO or a device at the output path.
  const unfit = unfitDestination(output);
  if (unfit) return { diagnostics: [{ file: output, severity: 'error', code: 'output-unwritable', message: `cannot write the book: ${unfit}` }], chapters: 0, images: 0, inputs: [], written: false, output, outputs: [] };
  const result = await makeBook(options);
  const diagnostics = [...result.diagnostics];
  const failed = diagnostics.some((d) => d.severity === 'error') || (options.strict === true && diagnostics.length > 0);
  if (failed || !result.volumes) return { ...result, diagnostics, written: false, output, outputs: [] };
  // Volumes go beside the output path: book.epub -> book-1.epub, book-2.epub... or book-2023.epub
  // (book.kepub.epub -> book-1.kepub.epub).
  const ext = /\.kepub\.epub$/i.test(output) ? output.slice(-11) : path.extname(output);
  const files = result.volumes.map((v) => ({ file: v.label === undefined ? output : `${output.slice(0, output.length - ext.length)}-${v.label}${ext}`, data: v.epub }));
  const overwritten = files.map((f) => ({ file: f.file, source: inputAt(f.file, result.sources ?? []) })).find((f) => f.source !== undefined);
  if (overwritten) {
    diagnostics.push({ file: overwritten.file, severity: 'error', code: 'output-unwritable', message: `cannot write the book: the output path is one of its inputs (${path.relative(cwd, overwritten.source!) || overwritten.source})` });
    return { ...result, diagnostics, written: false, output, outputs: [] };
  }
  try {
    writeAtomically(files);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const file = err.path && files.some((f) => f.file === err.path) ? err.path : files[0]!.file;
    diagnostics.push({ file, severity: 'error', code: 'output-unwritable', message: `cannot write the book: ${err.code === 'EISDIR' ? 'the output path is a folder' : err.code === 'EOUTPUT' ? err.message : err.code ?? err.message}` });
    return { ...result, diagnostics, written: false, output, outputs: [] };
  }
  return { ...result, diagnostics, written: true, output, outputs: files.map((f) => f.file) };
}


/** The input file (one of `sources`) that is the same file as `output`, if any. */
function inputAt(output: string, sources: readonly string[]): string | undefined {
  let out: fs.Stats;
  try {
    out = fs.statSync(output);
  } catch {
    return undefined;
  }
  return sources.find((s) => {
    try {
      const st = fs.statSync(s);
      return st.ino === out.ino && st.dev === out.dev;
    } catch {
      return false;
    }
  });
}

/** Kobo's reader takes a book for a KEPUB only by its name: book.epub becomes book.kepub.epub. */
export function outputFor(output: string, target: Target | undefined): string {
  if (target !== 'kobo' || /\.kepub\.epub$/i.test(output)) return output;
  return /\.epub$/i.test(output) ? `${output.slice(0, -5)}.kepub.epub` : `${output}.kepub.epub`;
}

/** Largest style sheet quire reads. */
export const MAX_CSS_BYTES = 2 * 1024 * 1024;

async function bookCss(config: BookConfig, diagnostics: Diagnostics): Promise<string> {
  if (!config.css) return BOOK_CSS;
  const read = readRegularFile(config.css, MAX_CSS_BYTES);
  if (!read.ok) {
    diagnostics.error('css-unreadable', `style sheet cannot be read: ${read.reason}`, config.css);
    return BOOK_CSS;
  }
  const bytes = read.bytes;
  const decoded = decodeText(bytes, config.css);
  diagnostics.addAll(decoded.diagnostics);
  if (decoded.text === undefined) return BOOK_CSS;
  // Style sheets may not pull in other files or remote resources (the book would refer to files it does
  // not hold, or call a server when read): only allowed properties and functions are kept.
  const text = decoded.text;
  const cleaned = cleanStyleSheet(text);
  for (const p of cleaned.problems) diagnostics.warning('css-resource', p.message, config.css, placeOf(text, p.at));
  const css = cleaned.css;
  return `${BOOK_CSS}\n/* ${path.basename(config.css).replace(/\*\//g, '')} */\n${css.replace(/<\/?style[^>]*>/gi, '')}\n`;
}

async function coverImage(config: BookConfig, diagnostics: Diagnostics): Promise<Buffer | undefined> {
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

export { serve, type ServeOptions, type Server } from './serve/server.js';
export { sendBooks, preflight as sendPreflight, SendError, type SendOptions, type SendResult } from './send.js';
