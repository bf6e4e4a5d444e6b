// Orchestration: from the loaded articles to the books' bytes: render, then for each volume settle, make
// the book's documents and package them (pipeline/volumes.ts).
import path from 'node:path';
import { loadCover, loadStyleSheet } from '../articles/book-files.js';
import { titleFromFileName } from '../articles/title.js';
import type { Cache } from '../cache.js';
import type { BookConfig } from '../config.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Article, RenderSettings } from '../model.js';
import type { BookResult, BuildOptions, Volume } from '../options.js';
import type { Pool } from '../parallel.js';
import { KOBO_WRAPPER_IDS } from '../epub/documents.js';
import { Downloader } from '../remote.js';
import { Covers } from './covers.js';
import { renderChapters } from './render-chapters.js';
import { distinctTitles } from '../settle/titles.js';
import type { VolumeContext } from './volumes.js';

export async function assemble(
  options: BuildOptions,
  articlesDir: string,
  config: BookConfig,
  articles: Article[],
  diagnostics: Diagnostics,
  pool: Pool,
  cache: Cache,
  sources: Set<string>,
  sink?: VolumeContext['sink'],
): Promise<Omit<BookResult, 'inputs'>> {
  const target = options.target ?? 'epub';
  const settings: RenderSettings = { lang: config.lang, math: config.math, highlight: config.highlight, notes: config.notes, target, ...(target === 'kobo' ? { reservedIds: KOBO_WRAPPER_IDS } : {}) };
  // The book's title, unless it is that of its only chapter; a book in one volume has its cover started
  // before the chapters render (see Covers.start).
  const knownTitle = config.title ?? (articles.length === 1 ? undefined : titleFromFileName(path.basename(articlesDir)));
  // What comes after the render loads while it runs (epub-gen-memory's modules among them: 170 ms): the
  // read-ahead thread is given its first chunks sooner, and the main thread loads these while it waits.
  const packaging = import('./volumes.js');
  packaging.catch(() => {});
  const covers = new Covers(config.authors, cache, pool);
  if (knownTitle !== undefined && !config.cover && !options.split) covers.start(knownTitle);
  // The book is packaged next, and the pool closed by the build (index.ts).
  pool.deflateNext = true;
  const chapters = distinctTitles(await renderChapters(articles, settings, pool, cache, options.onProgress));
  for (const c of chapters) diagnostics.addAll(c.diagnostics);
  const css = await loadStyleSheet(config, diagnostics);
  const cover = await loadCover(config, diagnostics);
  const title = knownTitle ?? chapters[0]!.title;
  const { packageVolume, splitVolumes } = await packaging;
  const volumes = splitVolumes(chapters, title, options.split);
  const volumeOf = new Map<string, string>();
  for (const v of volumes) for (const c of v.chapters) volumeOf.set(c.article.file, v.label ?? '');

  const made: Volume[] = [];
  const downloader = new Downloader(options.remote ?? {}, cache, options.onProgress && ((c) => options.onProgress!({ stage: 'download', done: c.done, total: c.requested, failed: c.failed })));
  const deflater: VolumeContext['deflater'] = pool.spreads ? { ready: () => pool.readyDeflate(), deflate: (...args) => pool.deflate(...args) } : undefined;
  for (const volume of volumes) {
    const book = await packageVolume(volume, { options, articlesDir, config, css, cover, covers, volumeOf, diagnostics, downloader, cache, sink, deflater });
    for (const f of book.files) sources.add(f);
    if (book.size !== undefined) made.push({ label: volume.label, title: volume.title, ...(book.epub && { epub: book.epub }), size: book.size, chapters: volume.chapters.length, images: book.images });
  }
  const images = made.reduce((n, v) => n + v.images, 0);
  if (diagnostics.hasErrors || made.length !== volumes.length) return { diagnostics: diagnostics.items, chapters: chapters.length, images };
  return { epub: made.length === 1 ? made[0]!.epub : undefined, volumes: made, diagnostics: diagnostics.items, chapters: chapters.length, images };
}


