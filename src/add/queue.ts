// Adding many articles (a feed's items, an export's links), politely and resumably: at most two requests at
// a time to one host with a small delay between them, a log of what was saved appended as each article is
// written (so an interrupted run resumes where it stopped and a second run adds nothing), and per-item
// failures gathered for one table at the end instead of stopping the run.
import fs from 'node:fs';
import path from 'node:path';
import { Downloader, type Download, type RemoteOptions } from '../remote.js';
import { Cache } from '../cache.js';
import { addArticles, MAX_PAGE_BYTES, type AddResult } from './index.js';
import type { ExtractedArticle } from './extract.js';
import { ARTICLE_FILE } from '../articles/title.js';

/** What quire remembers about adds, inside the articles folder. */
export const STATE_DIR = '.quire';
const LOG_FILE = 'saved.jsonl';

export interface Entry {
  /** Tells the entry apart across runs (a feed item's guid, else its URL). */
  key: string;
  url: string;
  /** Where the entry comes from, for the failure table: a feed's title, `file:line`. */
  origin: string;
  /** Front matter added to what the page gives (tags, saved time, the feed's title as source). */
  front: Record<string, unknown>;
  /** The article when the entry carries its text (a feed item's full content): the page is not fetched. */
  article?: ExtractedArticle;
  /** A feed, for the log. */
  feed?: string;
}

export interface Failure {
  origin: string;
  url: string;
  reason: string;
}

export interface QueueOptions {
  articlesDir: string;
  remote?: RemoteOptions;
  /** Milliseconds between two requests to one host (default 250). */
  delayMs?: number;
  /** Requests at a time to one host (default 2). */
  perHost?: number;
  now?: Date;
  /** Save again what was saved before (the article is rewritten in place). */
  force?: boolean;
  onProgress?: (done: number, total: number, failed: number) => void;
}

export interface QueueResult {
  added: (AddResult & { entry: Entry })[];
  /** Entries saved before (this run or an earlier one). */
  skipped: number;
  failures: Failure[];
}

export const DEFAULT_DELAY_MS = 250;

/** At most `perHost` tasks at a time per host, `total` in all, starts to one host `delayMs` apart. */
export class HostLimiter {
  private readonly hosts = new Map<string, { active: number; next: number }>();
  private readonly waiting: { host: string; resolve: () => void }[] = [];
  private active = 0;

  constructor(
    private readonly perHost = 2,
    private readonly delayMs = DEFAULT_DELAY_MS,
    private readonly total = 8,
  ) {}

  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.waiting.push({ host, resolve });
      this.pump();
    });
    try {
      return await task();
    } finally {
      this.hosts.get(host)!.active--;
      this.active--;
      this.pump();
    }
  }

  private pump(): void {
    for (let i = 0; i < this.waiting.length && this.active < this.total; ) {
      const w = this.waiting[i]!;
      let h = this.hosts.get(w.host);
      if (!h) this.hosts.set(w.host, (h = { active: 0, next: 0 }));
      if (h.active >= this.perHost) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      h.active++;
      this.active++;
      const now = Date.now();
      const wait = Math.max(0, h.next - now);
      h.next = Math.max(now, h.next) + this.delayMs;
      if (wait > 0) setTimeout(w.resolve, wait);
      else w.resolve();
    }
  }
}

/** The log of saved entries: one JSON line each, appended as articles are written. */
export class SavedLog {
  readonly keys = new Set<string>();
  readonly urls = new Map<string, string>();
  private readonly file: string;

  constructor(private readonly articlesDir: string) {
    this.file = path.join(articlesDir, STATE_DIR, LOG_FILE);
    let text = '';
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      // no log yet
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as { key?: string; url?: string; file?: string };
        if (r.key) this.keys.add(r.key);
        if (r.url && r.file) this.urls.set(r.url, path.join(articlesDir, r.file));
      } catch {
        // A line cut short by an interrupted run: that entry is found again by its URL in the folder.
      }
    }
    // Articles saved by `quire add` (or before the log existed) count too: their `url` front matter.
    for (const [url, file] of scanFolder(articlesDir)) if (!this.urls.has(url)) this.urls.set(url, file);
  }

  has(entry: Entry): boolean {
    return this.keys.has(entry.key) || this.urls.has(entry.url);
  }

  record(entry: Entry, file: string, time: string): void {
    this.keys.add(entry.key);
    this.urls.set(entry.url, file);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const line = JSON.stringify({ key: entry.key, url: entry.url, file: path.relative(this.articlesDir, file).split(path.sep).join('/'), feed: entry.feed, time });
    fs.appendFileSync(this.file, `${line}\n`);
  }
}

/** `url` front matter of the folder's articles -> the article. */
function scanFolder(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => ARTICLE_FILE.test(n));
  } catch {
    return found;
  }
  for (const name of names.sort()) {
    let head: string;
    try {
      const fd = fs.openSync(path.join(dir, name), 'r');
      const buf = Buffer.alloc(4096);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      fs.closeSync(fd);
      head = buf.subarray(0, n).toString('utf8');
    } catch {
      continue;
    }
    const url = /^---\n[^]*?^url:\s*["']?([^"'\n]+?)["']?\s*$/m.exec(head)?.[1];
    if (url && !found.has(url)) found.set(url, path.join(dir, name));
  }
  return found;
}

/** Add every entry not saved before; returns what was added and what failed. */
export async function addEntries(entries: Entry[], options: QueueOptions): Promise<QueueResult> {
  const log = new SavedLog(options.articlesDir);
  const limiter = new HostLimiter(options.perHost ?? 2, options.delayMs ?? DEFAULT_DELAY_MS);
  const downloader = new Downloader({ ...options.remote }, new Cache(undefined, ''));
  const result: QueueResult = { added: [], skipped: 0, failures: [] };
  const todo: Entry[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    if ((log.has(e) && !options.force) || seen.has(e.key) || seen.has(e.url)) result.skipped++;
    else todo.push(e);
    seen.add(e.key);
    seen.add(e.url);
  }
  let done = 0;
  const progress = () => options.onProgress?.(done, todo.length, result.failures.length);
  progress();
  const fetchPage = (url: string): Promise<Download> => downloader.fetchDocument(url, { maxBytes: MAX_PAGE_BYTES, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' });
  const addOne = async (entry: Entry): Promise<void> => {
    const [r] = await addArticles([entry.url], {
      articlesDir: options.articlesDir,
      remote: options.remote,
      now: options.now,
      force: options.force,
      hooks: {
        // An entry with its text needs no page: an empty one stands in, and `extract` gives the article.
        fetchPage: entry.article ? async () => ({ ok: true, bytes: Buffer.from('<html><body></body></html>'), contentType: 'text/html', url: entry.url }) : fetchPage,
        extract: entry.article ? () => entry.article : undefined,
        frontMatter: () => entry.front,
        findExisting: (urls) => urls.map((u) => log.urls.get(u)).find((f) => f !== undefined),
      },
    });
    if (r && r.ok && r.file) {
      if (!r.duplicate) result.added.push({ ...r, entry });
      else result.skipped++;
      log.record(entry, r.file, (options.now ?? new Date()).toISOString());
    } else result.failures.push({ origin: entry.origin, url: entry.url, reason: r?.error ?? 'not added' });
  };
  await Promise.all(
    todo.map((entry) => {
      let host: string;
      try {
        host = new URL(entry.url).host;
      } catch {
        host = '';
      }
      return limiter.run(host, async () => {
        try {
          await addOne(entry);
        } catch (e) {
          // A disk that refuses the log, or anything else unforeseen, fails this entry only.
          result.failures.push({ origin: entry.origin, url: entry.url, reason: (e as Error).message });
        }
        done++;
        progress();
      });
    }),
  );
  // The order the entries were given in, whatever order they finished in.
  const order = new Map(todo.map((e, i) => [e, i]));
  result.added.sort((a, b) => order.get(a.entry)! - order.get(b.entry)!);
  const failedOrder = new Map(todo.map((e, i) => [e.url, i]));
  result.failures.sort((a, b) => (failedOrder.get(a.url) ?? 0) - (failedOrder.get(b.url) ?? 0));
  return result;
}

/** The failures as one plain-text table. */
export function failureTable(failures: Failure[]): string {
  if (failures.length === 0) return '';
  const rows = [['from', 'url', 'problem'], ...failures.map((f) => [f.origin, f.url, f.reason])];
  const widths = [0, 1].map((c) => Math.min(60, Math.max(...rows.map((r) => r[c]!.length))));
  const line = (r: string[]) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`.trimEnd();
  return `${rows.map(line).join('\n')}\n`;
}
