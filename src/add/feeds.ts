// Feeds, adding stage: feed URLs -> their new items saved as articles. Each feed is fetched with the
// validators (ETag, Last-Modified) of the last run, parsed (src/add/feed.ts), bounded by --since and --max,
// and its items queued (src/add/queue.ts): an item with its full text is converted directly, a summary-only
// item has its page fetched and extracted like any `quire add`.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RemoteOptions } from '../remote.js';
import { Downloader } from '../remote.js';
import { Cache } from '../cache.js';
import { writeAtomically } from '../write.js';
import { toMarkdown } from './extract.js';
import { FeedError, parseFeedDocument, type FeedItem } from './feed.js';
import { addEntries, DEFAULT_DELAY_MS, HostLimiter, STATE_DIR, type Entry, type Failure, type QueueResult } from './queue.js';

/** Largest feed quire reads. */
export const MAX_FEED_BYTES = 50 * 1024 * 1024;
const FEEDS_FILE = 'feeds.json';

export interface FeedOptions {
  articlesDir: string;
  remote?: RemoteOptions;
  /** Items dated before this are left alone. */
  since?: Date;
  /** At most this many new items per feed (the newest). */
  max?: number;
  delayMs?: number;
  now?: Date;
  force?: boolean;
  onProgress?: (done: number, total: number, failed: number) => void;
}

export interface FeedSummary {
  url: string;
  title?: string;
  /** Items in the feed, items new in this run. */
  items: number;
  fresh: number;
  /** Not fetched again: the server said it had not changed. */
  notModified?: boolean;
  error?: string;
}

export interface FeedsResult extends QueueResult {
  feeds: FeedSummary[];
}

interface FeedState {
  etag?: string;
  lastModified?: string;
  title?: string;
}

export async function addFeeds(urls: string[], options: FeedOptions): Promise<FeedsResult> {
  const stateFile = path.join(options.articlesDir, STATE_DIR, FEEDS_FILE);
  let state: Record<string, FeedState> = {};
  try {
    state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as Record<string, FeedState>;
  } catch {
    // first run, or a state file that cannot be read: every feed is fetched whole
  }
  const downloader = new Downloader({ ...options.remote }, new Cache(undefined, ''));
  const limiter = new HostLimiter(2, options.delayMs ?? DEFAULT_DELAY_MS);
  const failures: Failure[] = [];
  const feeds: FeedSummary[] = [];
  const entries: Entry[] = [];
  const validators = new Map<string, FeedState>();
  /** Feeds with an item that could not even be queued. */
  const itemsFailed = new Set<string>();
  const fetched = await Promise.all(
    urls.map((url) => {
      let host = '';
      try {
        host = new URL(url).host;
      } catch {
        // reported below
      }
      // --force fetches the feed whole, whatever it said last time.
      const known = options.force ? undefined : state[url];
      const headers: Record<string, string> = {};
      if (known?.etag) headers['if-none-match'] = known.etag;
      if (known?.lastModified) headers['if-modified-since'] = known.lastModified;
      return limiter.run(host, () =>
        /^https?:\/\//i.test(url)
          ? downloader.fetchDocument(url, { maxBytes: MAX_FEED_BYTES, accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5', headers })
          : Promise.resolve({ ok: false as const, reason: 'a feed is given by its http:// or https:// URL' }),
      );
    }),
  );
  urls.forEach((url, i) => {
    const got = fetched[i]!;
    const summary: FeedSummary = { url, title: state[url]?.title, items: 0, fresh: 0 };
    feeds.push(summary);
    if (!got.ok) {
      if (got.status === 304) {
        summary.notModified = true;
        return;
      }
      summary.error = `cannot fetch the feed: ${got.reason}`;
      failures.push({ origin: url, url, reason: summary.error });
      return;
    }
    let feed;
    try {
      feed = parseFeedDocument(got.bytes, got.url ?? url, got.contentType);
    } catch (e) {
      summary.error = e instanceof FeedError ? e.message : `cannot read the feed: ${(e as Error).message}`;
      failures.push({ origin: url, url, reason: summary.error });
      return;
    }
    const title = feed.title ?? hostOf(url);
    summary.title = title;
    summary.items = feed.items.length;
    const h = got.headers ?? {};
    validators.set(url, { etag: header(h.etag), lastModified: header(h['last-modified']), title });
    const items = chooseItems(feed.items, options);
    const before = failures.length;
    for (const item of items) {
      try {
        const entry = toEntry(item, url, title, failures);
        if (entry) entries.push(entry);
      } catch (e) {
        // One item whose text cannot be converted does not stop the feed.
        failures.push({ origin: title, url: item.url ?? url, reason: `cannot convert the item's text: ${(e as Error).message}` });
      }
    }
    if (failures.length > before) itemsFailed.add(url);
  });
  const result = await addEntries(entries, { articlesDir: options.articlesDir, remote: options.remote, delayMs: options.delayMs, now: options.now, force: options.force, onProgress: options.onProgress });
  for (const a of result.added) {
    const s = feeds.find((f) => f.url === a.entry.feed);
    if (s) s.fresh++;
  }
  // A feed's validators are kept only when all its items were saved: a 304 next time must not hide an item that failed.
  const failedFeeds = new Set([...itemsFailed, ...result.failures.map((f) => entries.find((e) => e.url === f.url)?.feed)]);
  const next = { ...state };
  for (const [url, v] of validators) next[url] = failedFeeds.has(url) ? { title: v.title } : v;
  try {
    const sorted = Object.fromEntries(Object.keys(next).sort().map((k) => [k, next[k]]));
    writeAtomically([{ file: stateFile, data: Buffer.from(`${JSON.stringify(sorted, null, 1)}\n`) }]);
  } catch {
    // Validators are an optimisation: without them the next run fetches the feeds whole.
  }
  return { ...result, failures: [...failures, ...result.failures], feeds };
}

/** The items a run takes: each once, dated on or after --since, the newest --max. */
function chooseItems(items: FeedItem[], options: FeedOptions): FeedItem[] {
  const byKey = new Map<string, FeedItem>();
  for (const item of items) {
    const first = byKey.get(item.key);
    if (first) {
      // One item listed twice is taken once. Two different items that a feed gives one guid are both
      // kept: the later one is told apart by its link as well, the same way on every run.
      if ((item.url === first.url && item.title === first.title) || !item.url) continue;
      const key = `${item.key} ${item.url}`;
      if (!byKey.has(key)) byKey.set(key, { ...item, key });
      continue;
    }
    byKey.set(item.key, item);
  }
  let chosen = [...byKey.values()];
  if (options.since) {
    const since = options.since.getTime();
    chosen = chosen.filter((i) => i.date === undefined || Date.parse(i.date) >= since);
  }
  if (options.max !== undefined && chosen.length > options.max) {
    // Newest first; undated items count as older than any dated one, in feed order.
    chosen = chosen
      .map((item, i) => ({ item, i }))
      .sort((a, b) => (b.item.date ?? '').localeCompare(a.item.date ?? '') || a.i - b.i)
      .slice(0, options.max)
      .sort((a, b) => a.i - b.i)
      .map((x) => x.item);
  }
  return chosen;
}

function toEntry(item: FeedItem, feedUrl: string, feedTitle: string, failures: Failure[]): Entry | undefined {
  const front: Record<string, unknown> = { source: feedTitle };
  if (item.title) front.title = item.title;
  if (item.authors.length === 1) front.author = item.authors[0];
  else if (item.authors.length > 1) front.author = item.authors;
  if (item.date) front.date = item.date;
  if (item.tags.length) front.tags = item.tags;
  // An item without a link but with its text is kept under the feed's address.
  const url = item.url ?? (item.content ? `${feedUrl}#item-${createHash('sha256').update(item.key).digest('hex').slice(0, 12)}` : undefined);
  if (!url) {
    failures.push({ origin: feedTitle, url: feedUrl, reason: `item ${item.title ? `"${item.title}"` : item.key} has neither a link nor its text` });
    return undefined;
  }
  const entry: Entry = { key: item.key, url, origin: feedTitle, front, feed: feedUrl };
  const converted = item.content ? toMarkdown(item.content, item.url ?? feedUrl) : undefined;
  if (converted && (converted.markdown.trim() !== '' || !item.url)) {
    const { markdown, images, placed, unshown } = converted;
    entry.article = { title: item.title ?? 'Untitled', author: item.authors.join(', ') || undefined, siteName: feedTitle, date: item.date?.slice(0, 10), markdown, images, placed, unshown };
  }
  return entry;
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
