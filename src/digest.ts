// `quire digest`: the daily book. Adds what is new from the feeds of book.yaml (src/add/feeds.ts), then
// builds `output/digest-YYYY-MM-DD.epub` from the feed articles saved that day (UTC): the contents list each
// feed (in book.yaml's order), then its articles, newest first. The same articles and date give the same bytes.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config.js';
import type { Diagnostic } from './diagnostics.js';
import { build, type BuildOptions, type BuildResult } from './index.js';
import type { Article } from './model.js';
import type { RemoteOptions } from './remote.js';

export interface DigestOptions {
  articlesDir?: string;
  cwd?: string;
  /** The day of the digest, YYYY-MM-DD (default: today, UTC, or the day of SOURCE_DATE_EPOCH). */
  date?: string;
  /** Where the book goes (default `output/digest-<date>.epub`). */
  output?: string;
  /** Only build from what was saved before: fetch no feed. */
  noFetch?: boolean;
  remote?: RemoteOptions;
  since?: Date;
  max?: number;
  delayMs?: number;
  sourceDateEpoch?: string;
  cacheDir?: string;
  /** When the articles are saved (default: now). */
  now?: Date;
  onProgress?: BuildOptions['onProgress'];
}

export interface DigestResult {
  date: string;
  /** What adding from the feeds gave; undefined with `noFetch`. */
  added?: import('./add/feeds.js').FeedsResult;
  /** The articles of the day's book. */
  articles: string[];
  /** Undefined when there was nothing to put in a book (or the configuration is wrong). */
  book?: BuildResult;
  diagnostics: Diagnostic[];
}

interface LogRecord {
  file: string;
  feed?: string;
  time: string;
}

export async function digest(options: DigestOptions = {}): Promise<DigestResult> {
  const cwd = options.cwd ?? process.cwd();
  const articlesDir = path.resolve(cwd, options.articlesDir ?? 'articles');
  const now = options.now ?? new Date();
  const date = options.date ?? now.toISOString().slice(0, 10);
  const { config, diagnostics } = loadConfig(articlesDir, {}, cwd);
  const result: DigestResult = { date, articles: [], diagnostics: [...diagnostics] };
  if (diagnostics.some((d) => d.severity === 'error')) return result;
  if (config.feeds.length === 0) {
    result.diagnostics.push({ file: config.file ?? path.join(articlesDir, 'book.yaml'), severity: 'error', code: 'digest-no-feeds', message: 'no feeds to make a digest of: list them under `feeds:` in book.yaml' });
    return result;
  }
  if (!options.noFetch) {
    const { addFeeds } = await import('./add/feeds.js');
    fs.mkdirSync(articlesDir, { recursive: true });
    result.added = await addFeeds(config.feeds, { articlesDir, remote: options.remote, since: options.since, max: options.max, delayMs: options.delayMs, now, onProgress: options.onProgress && ((done, total, failed) => options.onProgress!({ stage: 'add', done, total, failed })) });
  }
  // The day's articles: those the log says were saved from a configured feed on that day.
  const feedOrder = new Map(config.feeds.map((f, i) => [f, i]));
  const feedOf = new Map<string, string>();
  for (const r of readLog(articlesDir)) {
    if (r.feed === undefined || !feedOrder.has(r.feed) || r.time.slice(0, 10) !== date) continue;
    if (fs.existsSync(path.join(articlesDir, r.file))) feedOf.set(r.file, r.feed);
  }
  result.articles = [...feedOf.keys()].sort();
  if (result.articles.length === 0) return result;
  const arrange = (articles: Article[]): Article[] => {
    const sortKey = (a: Article) => a.meta.date ?? a.meta.archived ?? '';
    const sorted = [...articles].sort((a, b) => feedOrder.get(feedOf.get(a.name)!)! - feedOrder.get(feedOf.get(b.name)!)! || sortKey(b).localeCompare(sortKey(a)) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // The group is the feed's title as the articles give it; articles of one feed share the first one's.
    const titles = new Map<string, string>();
    for (const a of sorted) {
      const feed = feedOf.get(a.name)!;
      if (!titles.has(feed)) titles.set(feed, a.meta.source ?? feed);
      a.group = titles.get(feed);
    }
    return sorted;
  };
  const title = `${config.title ?? 'Digest'} ${date}`;
  result.book = await build({
    articlesDir,
    cwd,
    output: options.output ?? path.join('output', `digest-${date}.epub`),
    overrides: { title, date },
    // The book's modification time is the digest's day unless SOURCE_DATE_EPOCH says otherwise.
    sourceDateEpoch: options.sourceDateEpoch ?? String(Date.parse(`${date}T00:00:00Z`) / 1000),
    cacheDir: options.cacheDir,
    remote: options.remote,
    onProgress: options.onProgress,
    select: { names: result.articles, arrange },
  });
  return result;
}

function readLog(articlesDir: string): LogRecord[] {
  let text = '';
  try {
    text = fs.readFileSync(path.join(articlesDir, '.quire', 'saved.jsonl'), 'utf8');
  } catch {
    return [];
  }
  const records: LogRecord[] = [];
  for (const line of text.split('\n')) {
    try {
      const r = JSON.parse(line) as Partial<LogRecord>;
      if (typeof r.file === 'string' && typeof r.time === 'string') records.push({ file: r.file, feed: r.feed, time: r.time });
    } catch {
      // an empty or cut line
    }
  }
  return records;
}
