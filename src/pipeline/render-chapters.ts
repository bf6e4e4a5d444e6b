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
  // In a long-running process an unchanged article keeps its key: hashing every article's text again took
  // 12-15 ms of a watch-mode rebuild of 1,000 articles. Its text is the same string as last time (load.ts
  // keeps the files whose bytes are unchanged), so it is compared in no time.
  const last = cache.carried<Map<string, ChapterKey>>('chapter-keys');
  const next = cache.carries ? new Map<string, ChapterKey>() : undefined;
  const keys = articles.map((a) => {
    const meta = JSON.stringify(a.meta);
    // What its includes stand for is part of the article's text (articles/includes.ts).
    // So is what its vault's links name (articles/vault.ts).
    // So is the site it was written for, whose syntax is read (articles/site.ts).
    const includes = (a.includes ? JSON.stringify(a.includes) : '') + (a.vault ? `\n${JSON.stringify(a.vault)}` : '') + (a.site ? `\n${JSON.stringify(a.site)}` : '');
    const known = last?.get(a.file);
    const key = known && known.body === a.body && known.meta === meta && known.slug === a.slug && known.settings === settingsKey && known.includes === includes ? known.key : cache.key('chapter', settingsKey, a.file, a.slug, meta, a.body, ...(includes ? [includes] : []));
    next?.set(a.file, { body: a.body, meta, slug: a.slug, settings: settingsKey, includes, key });
    return key;
  });
  if (next) cache.carry('chapter-keys', next);
  const results = await cache.through<ChapterResult>('chapter', keys, { decode: (data) => v8.deserialize(data) as ChapterResult, encode: (r) => v8.serialize(r) }, (missing) => {
    const cached = articles.length - missing.length;
    const progress = onProgress && ((done: number) => onProgress({ stage: 'render', done: cached + done, total: articles.length }));
    progress?.(0);
    // The bytes of lifted data: URLs stay on this thread: the renderer needs only their references.
    const strip = (items: Article[]) => items.map(({ data, ...a }) => (void data, a));
    return pool.map<Article, ChapterResult>(
      (items, markedUp) => ({ kind: 'render', settings, items: strip(items), ...(markedUp && { markedUp }) }),
      missing.map((i) => articles[i]!),
      (a) => a.body.length,
      progress,
      (items, highlight) => ({ kind: 'markdown', settings, items: strip(items), highlight }),
    ).then(async (rendered) => {
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

/** What an article's chapter key was made from, and the key. */
interface ChapterKey {
  body: string;
  meta: string;
  slug: string;
  settings: string;
  includes: string;
  key: string;
}
