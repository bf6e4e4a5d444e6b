// Orchestration: render the chapters, taking what the cache holds and spreading the rest over the workers.
import v8 from 'node:v8';
import type { Cache } from '../cache.js';
import { ChapterBody, type Article, type BookChapter, type RenderSettings } from '../model.js';
import type { BuildOptions } from '../options.js';
import type { ChapterResult, Pool } from '../parallel.js';

/** Render the chapters that the cache does not already hold. */
export async function renderChapters(articles: Article[], settings: RenderSettings, pool: Pool, cache: Cache, onProgress?: BuildOptions['onProgress']): Promise<BookChapter[]> {
  const settingsKey = JSON.stringify(settings);
  const keys = articles.map((a) => cache.key('chapter', settingsKey, a.file, a.slug, JSON.stringify(a.meta), a.body));
  const results = await cache.through<ChapterResult>('chapter', keys, { decode: (data) => v8.deserialize(data) as ChapterResult, encode: (r) => v8.serialize(r) }, (missing) => {
    const cached = articles.length - missing.length;
    const progress = onProgress && ((done: number) => onProgress({ stage: 'render', done: cached + done, total: articles.length }));
    progress?.(0);
    return pool.map<Article, ChapterResult>((items) => ({ kind: 'render', settings, items }), missing.map((i) => articles[i]!), (a) => a.body.length, progress);
  });
  return results.map((r, i) => ({ ...r, body: new ChapterBody(r.body), article: articles[i]! }));
}

