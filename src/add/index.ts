// `quire add`: web pages (or saved HTML files) -> Markdown articles with front matter, their images
// downloaded beside them, so the articles folder is self-contained and can be versioned. Each input is
// done whole or not at all; one failing does not stop the others.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { asciiSlug } from '../articles/title.js';
import { Cache } from '../cache.js';
import { sniffImage } from '../images.js';
import { Downloader, type Download, type RemoteOptions } from '../remote.js';
import { isInside } from '../articles/load.js';
import { MAX_IMAGE_BYTES, readHead, readRegularFile } from '../read.js';
import { writeAtomically } from '../write.js';
import { decodeBytes, headerCharset } from './charset.js';
import { extractArticle, type ExtractedArticle } from './extract.js';
import { placeImages } from './markdown.js';
import { ARTICLE_FILE } from '../articles/title.js';

export interface AddOptions {
  /** Where articles go (default `articles`). */
  articlesDir?: string;
  cwd?: string;
  /** Refresh an article already added from the same URL. */
  force?: boolean;
  remote?: RemoteOptions;
  /** The time written as `archived` (default: now). */
  now?: Date;
  /** An article whose saved text is much shorter than the page's main text is an error, not a warning. */
  strict?: boolean;
  /** How feeds and imports (src/add/feeds.ts, import.ts) take part in adding one input. */
  hooks?: AddHooks;
}

export interface AddHooks {
  /** Fetch the page of a URL input (politely, by the network rules) instead of fetching it here. */
  fetchPage?: (url: string) => Promise<Download>;
  /** The article of a page, when the caller has it already (a feed item's full text). */
  extract?: (input: string, html: string, url: string) => ExtractedArticle | undefined;
  /** Front matter to add to (or replace in) what is written. */
  frontMatter?: (input: string) => Record<string, unknown>;
  /** The article already saved from one of these URLs, when the caller knows the folder. */
  findExisting?: (urls: string[]) => string | undefined;
}

export interface AddResult {
  input: string;
  ok: boolean;
  /** The article written (or, for a duplicate, the one already there). */
  file?: string;
  images?: number;
  duplicate?: boolean;
  /** Why it failed. */
  error?: string;
  /** Images that could not be downloaded, an article that may be incomplete. */
  warnings: string[];
}

/** Largest page quire reads. */
export const MAX_PAGE_BYTES = 10 * 1024 * 1024;
/**
 * Deepest nesting of elements in a page quire extracts. Readability's clean-up measures the text of every
 * element's descendants for every element, so its time grows as the cube of the depth: 250 levels took
 * 2.9 s, 500 levels 5.7 s, 1,000 levels 38 s, and 32,000 overflowed the stack. Real pages nest a few
 * dozen levels.
 */
export const MAX_PAGE_DEPTH = 256;
/** Images of a page fetched at once (the downloader's pool bounds the connections as in `build`). */
const IMAGE_FETCHES = 8;

export async function addArticles(inputs: string[], options: AddOptions = {}): Promise<AddResult[]> {
  const cwd = options.cwd ?? process.cwd();
  const articlesDir = path.resolve(cwd, options.articlesDir ?? 'articles');
  const results: AddResult[] = [];
  for (const input of inputs) {
    // One downloader a page: the time all downloads of a build may take is given to each page.
    const downloader = new Downloader({ ...options.remote }, new Cache(undefined, ''));
    try {
      results.push(await addOne(input, articlesDir, cwd, downloader, options));
    } catch (e) {
      results.push({ input, ok: false, error: (e as Error).message, warnings: [] });
    }
  }
  return results;
}

async function addOne(input: string, articlesDir: string, cwd: string, downloader: Downloader, options: AddOptions): Promise<AddResult> {
  const fail = (error: string): AddResult => ({ input, ok: false, error, warnings: [] });
  const isUrl = /^https?:\/\//i.test(input);
  let html: string;
  let pageUrl: string;
  let htmlDir: string | undefined;
  if (isUrl) {
    const page = await (options.hooks?.fetchPage?.(input) ?? downloader.fetchPage(input, MAX_PAGE_BYTES));
    if (!page.ok) return fail(page.reason === `larger than ${MAX_PAGE_BYTES / 1024 / 1024} MB` ? `the page is ${page.reason}` : page.reason);
    const type = (page.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (type && type !== 'text/html' && type !== 'application/xhtml+xml') return fail(`not an HTML page (${type})`);
    html = decodePage(page.bytes, page.contentType);
    pageUrl = page.url ?? input;
  } else {
    const file = path.resolve(cwd, input);
    let bytes: Buffer;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) return fail('not a file');
      if (stat.size > MAX_PAGE_BYTES) return fail(`the file is larger than ${MAX_PAGE_BYTES / 1024 / 1024} MB`);
      bytes = fs.readFileSync(file);
    } catch (e) {
      return fail(`cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    html = decodePage(bytes, undefined);
    if (!/<(html|body|article|p|div)[\s>]/i.test(html)) return fail('not an HTML page');
    // A saved page often says where it came from.
    pageUrl = /<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)["']/i.exec(html)?.[1] ?? /<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)["']/i.exec(html)?.[1] ?? pathToFileURL(file).href;
    htmlDir = path.dirname(file);
    if (!/^https?:/i.test(pageUrl)) pageUrl = pathToFileURL(file).href;
  }
  return savePage({ input, html, url: pageUrl, htmlDir, source: /^https?:/i.test(pageUrl) ? pageUrl : isUrl ? input : undefined }, { ...options, articlesDir }, downloader);
}

/** A page already read: its HTML, the URL it came from (or a file: URL), where relative images are found. */
export interface Page {
  /** What the user gave (a URL, a file, an entry of a feed): reported back in the result. */
  input: string;
  html: string;
  /** The page's address: relative links and images resolve against it. */
  url: string;
  /** The `url` written to the front matter (and used to find an article already added); none for a local file. */
  source?: string;
  /** For a saved page: its folder, the only place local images may be read from. */
  htmlDir?: string;
}

/**
 * Page -> article: extract the article of a page already read, download its images and write it (with
 * them) into the articles folder, all or nothing. What `quire add` does after fetching; other importers
 * (feeds, read-later exports) call it with the HTML they have, and may share one Downloader between calls.
 */
export async function savePage(page: Page, options: AddOptions = {}, downloader?: Downloader): Promise<AddResult> {
  const { input, html, url: pageUrl, source, htmlDir } = page;
  const articlesDir = path.resolve(options.cwd ?? process.cwd(), options.articlesDir ?? 'articles');
  downloader ??= new Downloader({ ...options.remote }, new Cache(undefined, ''));
  // The time a build gives all its downloads is given to each page (a downloader may serve many).
  downloader.restartBudget();
  const fail = (error: string): AddResult => ({ input, ok: false, error, warnings: [] });
  const depth = nestingDepth(html);
  if (depth > MAX_PAGE_DEPTH) return fail(`the page nests its elements ${depth} deep, more than the ${MAX_PAGE_DEPTH} quire reads (real pages nest a few dozen): not added`);
  const article = options.hooks?.extract ? options.hooks.extract(input, html, pageUrl) : extractArticle(html, pageUrl);
  if (!article) return fail('no article found in the page');
  if (article.shortfall && options.strict) return fail(article.shortfall);

  const existing = source ? (options.hooks?.findExisting ?? ((urls: string[]) => findByUrl(articlesDir, urls)))([source, input]) : undefined;
  if (existing && !options.force) return { input, ok: true, file: existing, duplicate: true, warnings: [] };

  const now = options.now ?? new Date();
  const archived = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const slug = asciiSlug(article.title, 60) || 'article';
  const file = existing ?? uniqueFile(articlesDir, `${article.date ?? archived.slice(0, 10)}-${slug}`);
  const assetsDir = path.join(articlesDir, 'assets', path.basename(file, '.md'));

  // Images: downloaded (or copied from beside a saved page, or decoded from data: URLs) into
  // assets/<article>/, referenced relatively. One that fails keeps its remote URL: the build tries again.
  const files: { file: string; data: Buffer }[] = [];
  const warnings: string[] = [];
  if (article.shortfall) warnings.push(article.shortfall);
  // A picture the page shows that no rule writes into the Markdown is named, not lost unsaid.
  for (const { url, where } of article.unshown ?? []) warnings.push(`image ${shownUrl(url)} left out: it stands in a <${where}>, which the article's Markdown cannot show`);
  const replacements = new Map<string, string>();
  // Fetched together (the downloader lets 8 connect at once; 6 silent hosts took 60 s one at a time), kept
  // in the order they stand.
  const urls = [...new Set(article.images)];
  const fetched: Awaited<ReturnType<typeof fetchImage>>[] = [];
  for (let i = 0; i < urls.length; i += IMAGE_FETCHES) fetched.push(...(await Promise.all(urls.slice(i, i + IMAGE_FETCHES).map((url) => fetchImage(url, downloader, htmlDir)))));
  for (const [i, url] of urls.entries()) {
    const shown = shownUrl(url);
    const got = fetched[i]!;
    const type = got.ok ? await sniffImage(got.bytes) : undefined;
    if (!got.ok || !type) {
      const reason = got.ok ? 'not an image' : got.reason;
      if (/^https?:/i.test(url)) {
        warnings.push(`image ${shown} not downloaded (${reason}): its address is kept, and \`quire build\` tries it again`);
      } else {
        warnings.push(`image ${shown} left out (${reason}): its alt text stays`);
        replacements.set(url, '');
      }
      continue;
    }
    const name = `${createHash('sha256').update(got.bytes).digest('hex').slice(0, 12)}.${type.extension}`;
    const target = path.join(assetsDir, name);
    // A page may show the same picture under two addresses: one file.
    if (!files.some((f) => f.file === target)) files.push({ file: target, data: got.bytes });
    replacements.set(url, `assets/${encodeURIComponent(path.basename(assetsDir))}/${name}`);
  }
  const markdown = placeImages(article.placed, replacements);

  const front: Record<string, unknown> = { title: article.title };
  if (article.author) front.author = article.author;
  if (article.siteName) front.source = article.siteName;
  if (source) front.url = source;
  if (article.date) front.date = article.date;
  front.archived = archived;
  if (article.lang) front.lang = article.lang;
  if (article.dir) front.dir = article.dir;
  if (article.description) front.description = article.description;
  Object.assign(front, options.hooks?.frontMatter?.(input));
  const text = `---\n${stringify(front, { lineWidth: 0 })}---\n\n${markdown}`;
  files.push({ file, data: Buffer.from(text, 'utf8') });
  writeAtomically(files);
  return { input, ok: true, file, images: files.length - 1, warnings };
}

/** An image's address as a warning names it: a `data:` URL by its start. */
function shownUrl(url: string): string {
  return url.startsWith('data:') ? `${url.slice(0, 40)}…` : url;
}

/** Elements whose end tag may be left out: they do not nest when it is. */
const SELF_ENDING = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'option', 'optgroup', 'rb', 'rt', 'rp', 'rtc', 'colgroup', 'caption', 'html', 'head', 'body']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen', 'command', 'basefont', 'bgsound', 'frame', 'image']);

/** How deep the elements of a page nest, counted from its tags (without building the tree). */
export function nestingDepth(html: string): number {
  let depth = 0;
  let max = 0;
  const text = html.replace(/<!--[^]*?-->|<(script|style|textarea|template)\b[^>]*>[^]*?<\/\1\s*>/gi, '');
  for (const m of text.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const tag = m[2]!.toLowerCase();
    if (VOID.has(tag) || SELF_ENDING.has(tag) || m[3]) continue;
    if (m[1]) depth = Math.max(0, depth - 1);
    else max = Math.max(max, ++depth);
  }
  return max;
}

async function fetchImage(url: string, downloader: Downloader, htmlDir: string | undefined): Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: string }> {
  if (url.startsWith('file:')) {
    // Only files beside a saved page, never anything else on the disk.
    const file = fileURLToPath(url);
    if (!htmlDir || !isInside(htmlDir, file)) return { ok: false, reason: 'a local file outside the saved page\'s folder' };
    const read = readRegularFile(file, MAX_IMAGE_BYTES);
    return read.ok ? read : { ok: false, reason: read.reason };
  }
  if (url.startsWith('data:')) {
    const m = /^data:([^,;]*)((?:;[^,;]*)*?)(;base64)?,(.*)$/is.exec(url);
    if (!m) return { ok: false, reason: 'not a valid data: URL' };
    try {
      return { ok: true, bytes: m[3] ? Buffer.from(m[4]!, 'base64') : Buffer.from(decodeURIComponent(m[4]!), 'utf8') };
    } catch {
      return { ok: false, reason: 'not a valid data: URL' };
    }
  }
  const d = await downloader.get(url);
  return d.ok ? { ok: true, bytes: d.bytes } : { ok: false, reason: d.reason };
}

/**
 * Decode a page by its byte-order mark, else its declared charset (HTTP header, then a <meta> before the
 * body: a browser that finds one after its first kilobyte reads the page again with it), else by its bytes
 * (charset.ts).
 */
function decodePage(bytes: Buffer, contentType: string | undefined): string {
  let head = bytes.subarray(0, 65536).toString('latin1');
  const body = head.search(/<body[\s>]/i);
  if (body !== -1) head = head.slice(0, body);
  const label = headerCharset(contentType) ?? /<meta[^>]+charset=["']?([\w-]+)/i.exec(head)?.[1];
  return decodeBytes(bytes, label);
}

/** Names chosen by adds still under way: articles added side by side (feeds, imports) never take the same one. */
const chosen = new Set<string>();

function uniqueFile(dir: string, base: string): string {
  let file = path.join(dir, `${base}.md`);
  // Anything at the name counts, a dangling link too.
  for (let n = 2; fs.lstatSync(file, { throwIfNoEntry: false }) || chosen.has(file); n++) file = path.join(dir, `${base}-${n}.md`);
  chosen.add(file);
  return file;
}

/** An article of the folder already saved from one of these URLs. */
function findByUrl(dir: string, urls: string[]): string | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => ARTICLE_FILE.test(n));
  } catch {
    return undefined;
  }
  for (const name of names) {
    // Only regular files: a FIFO named *.md would wait forever, a folder named y.md is not an article.
    const head = readHead(path.join(dir, name), 4096);
    if (head === undefined) continue;
    const url = /^---\n[^]*?^url:\s*["']?([^"'\n]+?)["']?\s*$/m.exec(head)?.[1];
    if (url && urls.includes(url)) return path.join(dir, name);
  }
  return undefined;
}
