// Orchestration: render the chapters, taking what the cache holds and spreading the rest over the workers.
import v8 from 'node:v8';
import { restoreArticle } from '../articles/embedded.js';
import type { Cache } from '../cache.js';
import { ChapterBody, type Article, type BookChapter, type RenderSettings } from '../model.js';
import type { BuildOptions } from '../options.js';
import { runTask, type ChapterResult, type Pool } from '../parallel.js';

/** Render the chapters that the cache does not already hold. */
export async function renderChapters(articles: Article[], settings: RenderSettings, pool: Pool, cache: Cache, onProgress?: BuildOptions['onProgress']): Promise<BookChapter[]> {
  const settingsKey = JSON.stringify(settings);
  const keys = articles.map((a) => cache.key('chapter', settingsKey, a.file, a.slug, JSON.stringify(a.meta), a.body));
  const results = await cache.through<ChapterResult>('chapter', keys, { decode: (data) => v8.deserialize(data) as ChapterResult, encode: (r) => v8.serialize(r) }, (missing) => {
    const cached = articles.length - missing.length;
    const progress = onProgress && ((done: number) => onProgress({ stage: 'render', done: cached + done, total: articles.length }));
    progress?.(0);
    // The bytes of lifted data: URLs stay on this thread: the renderer needs only their references.
    const strip = (items: Article[]) => items.map(({ data, ...a }) => (void data, a));
    return pool.map<Article, ChapterResult>((items) => ({ kind: 'render', settings, items: strip(items) }), missing.map((i) => articles[i]!), (a) => a.body.length, progress).then(async (rendered) => {
      for (const [j, r] of rendered.entries()) {
        if (!r.needsText) continue;
        const [again] = (await runTask({ kind: 'render', settings, items: [restoreArticle(articles[missing[j]!]!)] })) as ChapterResult[];
        rendered[j] = { ...again!, restored: true };
      }
      return rendered;
    });
  });
  return results.map((r, i) => ({ ...r, body: new ChapterBody(r.body), article: r.restored ? restoreArticle(articles[i]!) : articles[i]! }));
}

