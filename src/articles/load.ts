// Loading: the articles folder -> the ordered list of articles, read, decoded and split.
// Order: `order` in front matter, else the `order` list of book.yaml, else the file name (numbers compared as numbers).
import fs from 'node:fs';
import path from 'node:path';
import type { BookConfig } from '../config.js';
import { placeOf, type Diagnostic, type Place } from '../diagnostics.js';
import { readRegularFile } from '../read.js';
import type { Article, Lifted } from '../model.js';
import { decodeText } from './decode.js';
import { liftDataBytes, placeReferences } from './embedded.js';
import { splitFrontMatter, type ArticleMeta } from './front-matter.js';
import { readIncludes } from './includes.js';
import { findSite } from './site.js';
import { configFolders } from './site-roots.js';
import { filesByName, inVault, vaultTargets } from './vault.js';
import { ARTICLE_FILE, asciiSlug, isFolderPage } from './title.js';

/** Largest article quire reads; anything bigger is almost certainly not prose. */
export const MAX_ARTICLE_BYTES = 16 * 1024 * 1024;

/** An article file's bytes and what they read as: decoded, front matter split off. */
export interface ReadArticle {
  bytes: Buffer;
  diagnostics: Diagnostic[];
  /** Undefined when the file is not an article quire can take (its diagnostics say why). */
  body?: string;
  meta?: ArticleMeta;
  /** The `data:` image URLs lifted out of the body, and their bytes (see articles/embedded.ts). */
  lifted?: Lifted;
  data?: Map<string, Buffer>;
}

/**
 * Reads the folder's articles. `onListed` is told how many there are before they are read. `known`, kept
 * by a long-running process (watch mode) from build to build, holds each file as the last build read it:
 * a file whose bytes are the same is not decoded again. It is updated to this build's files.
 */
export function loadArticles(articlesDir: string, config: BookConfig, onListed?: (count: number) => void, known?: Map<string, ReadArticle>): { articles: Article[]; diagnostics: Diagnostic[]; included: string[] } {
  const diagnostics: Diagnostic[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(articlesDir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'articles folder not found' : code === 'ENOTDIR' ? 'not a folder: give the folder that holds the articles' : `cannot read the articles folder: ${code}`;
    diagnostics.push({ file: articlesDir, severity: 'error', code: 'articles-folder', message });
    return { articles: [], diagnostics, included: [] };
  }
  let rootReal: string;
  try {
    rootReal = fs.realpathSync(articlesDir);
  } catch {
    rootReal = articlesDir;
  }
  // An mdBook book's SUMMARY.md: its chapters, in its order, in subfolders too; it is not one itself.
  const summary = mdbookSummary(articlesDir, entries);
  for (const m of summary?.missing ?? []) diagnostics.push({ file: summary!.file, line: m.line, column: m.column, severity: 'warning', code: 'config-order', message: `SUMMARY.md names \`${m.name}\`, which is not in the folder` });
  const listed = listArticles(articlesDir, entries, config.recursive === true, summary?.files);
  onListed?.(listed.length);
  const articles: Article[] = [];
  const slugs = new Set<string>();
  const seen = new Set<string>();
  /** The files the articles include (mdBook, MkDocs, MDX), and their site's configuration, for watch mode to watch. */
  const includedFiles: string[] = [];
  let vault: boolean | undefined;
  /** The site the articles were written for, looked for at the first article (articles/site.ts). */
  let site: ReturnType<typeof findSite> | undefined;
  /** The MDX partials the articles put in place (articles/includes.ts). */
  const partials = new Set<string>();
  let files: Map<string, string> | undefined;
  for (const { name, entry } of listed) {
    const file = path.join(articlesDir, ...name.split('/'));
    const read = (entry?.isFile() && readPlainFile(file)) || readArticle(file, rootReal);
    if ('diagnostic' in read) {
      if (read.diagnostic) diagnostics.push(read.diagnostic);
      continue;
    }
    const last = known?.get(file);
    const article = last?.bytes.equals(read.bytes) ? last : readArticleText(read.bytes, file);
    seen.add(file);
    known?.set(file, article);
    // A file by one of the less common extensions that is not text (a `.mkd` of another program's) is
    // passed over with a warning, where a `.md` that is not text stops the build.
    if (article.body === undefined && !/\.(?:md|markdown|mdx)$/i.test(name) && article.diagnostics.some((d) => d.code === 'encoding-invalid')) {
      diagnostics.push({ file, severity: 'warning', code: 'article-not-text', message: 'is not text in a known encoding, and is left out of the book' });
      continue;
    }
    diagnostics.push(...article.diagnostics);
    if (article.body === undefined) continue;
    // Read at each build, changed or not: the files they name may have changed.
    site ??= findSite(articlesDir);
    const included = readIncludes(article.body, file, site.roots, site.mkdocs);
    diagnostics.push(...included.diagnostics);
    for (const f of included.files) if (!includedFiles.includes(f)) includedFiles.push(f);
    for (const f of included.partials ?? []) partials.add(f);
    // In an Obsidian vault, the files its links name, looked for at each build too.
    vault ??= inVault(articlesDir);
    const targets = vault ? vaultTargets(article.body, file, articlesDir, () => (files ??= filesByName(articlesDir))) : undefined;
    const part = summary?.parts.get(name);
    articles.push({ file, name, slug: uniqueSlug(name, slugs), body: article.body, meta: article.meta!, ...(part !== undefined && { group: part }), ...(article.lifted && { lifted: article.lifted, data: article.data }), ...(included.includes && { includes: included.includes }), ...(targets && { vault: targets }), ...(site.site && { site: site.site }), ...(site.staticRoot && { staticRoot: site.staticRoot }) });
  }
  // The site's configuration (mkdocs.yml, book.toml, maybe in the folder above): watched as the included files are.
  for (const f of site?.files ?? []) if (!includedFiles.includes(f)) includedFiles.push(f);
  if (known) for (const file of known.keys()) if (!seen.has(file)) known.delete(file);
  if (config.recursive === undefined) diagnostics.push(...unreadSubfolders(articlesDir, entries, new Set([...includedFiles, ...listed.map((l) => path.join(articlesDir, l.name))].map((f) => path.resolve(f)))));
  // An MDX partial an article puts in place (`_shared.mdx`: Docusaurus publishes no file whose name starts
  // with `_`) is not a chapter of its own as well.
  const chapters = partials.size ? articles.filter((a) => !(partials.has(path.resolve(a.file)) && path.basename(a.file).startsWith('_'))) : articles;
  if (summary) includedFiles.push(summary.file);
  return { articles: orderArticles(chapters, config, diagnostics, summary?.files), diagnostics, included: includedFiles };
}

/**
 * An article's bytes decoded and its front matter split off: what does not depend on the other files. Its
 * `data:` image URLs are lifted out of the bytes first (see articles/embedded.ts), unless a reference does
 * not end up in the body where the URL stood; then the bytes are read as written.
 */
function readArticleText(bytes: Buffer, file: string): ReadArticle {
  const lifted = liftDataBytes(bytes);
  if (lifted) {
    const decoded = decodeText(lifted.bytes, file);
    const fm = decoded.text === undefined ? undefined : splitFrontMatter(decoded.text, file);
    const spans = fm?.ok ? placeReferences(fm.body, lifted) : undefined;
    if (fm && spans && !JSON.stringify(fm.meta).includes(lifted.marker)) return finish(bytes, file, fm, [...decoded.diagnostics, ...fm.diagnostics], { lifted: spans, data: lifted.data });
  }
  const decoded = decodeText(bytes, file);
  if (decoded.text === undefined) return { bytes, diagnostics: decoded.diagnostics };
  const fm = splitFrontMatter(decoded.text, file);
  const diagnostics = [...decoded.diagnostics, ...fm.diagnostics];
  if (!fm.ok) return { bytes, diagnostics };
  return finish(bytes, file, fm, diagnostics);
}

function finish(bytes: Buffer, file: string, fm: ReturnType<typeof splitFrontMatter>, diagnostics: Diagnostic[], lifted?: Pick<ReadArticle, 'lifted' | 'data'>): ReadArticle {
  if (fm.body.trim() === '') {
    diagnostics.push({ file, line: 1, column: 1, severity: 'warning', code: 'article-empty', message: 'article has no text and is left out of the book' });
    return { bytes, diagnostics };
  }
  // Copied: a front matter value is cut from the file's text, and would keep all of it in memory as long
  // as the article (V8 shares the memory of a substring with its parent).
  return { bytes, diagnostics, body: fm.body, meta: structuredClone(fm.meta), ...lifted };
}

type Read = { bytes: Buffer } | { diagnostic: Diagnostic | undefined };

const PLAIN_OPEN = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;

/**
 * Read an article the folder lists as a regular file (not a link, so it cannot lead out of the folder):
 * open, size, read, close. Undefined when it is not that file any more (replaced by a link, a folder or
 * anything else since the folder was listed); the careful path then decides.
 */
function readPlainFile(file: string): Read | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, PLAIN_OPEN);
  } catch {
    return undefined;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return undefined;
    if (stat.size > MAX_ARTICLE_BYTES) return { diagnostic: tooLarge(file) };
    const bytes = Buffer.allocUnsafeSlow(stat.size);
    let length = 0;
    while (length < bytes.length) {
      const n = fs.readSync(fd, bytes, length, bytes.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return { bytes: length === bytes.length ? bytes : bytes.subarray(0, length) };
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

function tooLarge(file: string): Diagnostic {
  return { file, severity: 'error', code: 'article-too-large', message: `larger than ${MAX_ARTICLE_BYTES / 1024 / 1024} MB: split it into several articles` };
}

/**
 * Read one article carefully: a link must stay inside the folder. Synchronous on purpose: for a folder of small files, Node's asynchronous calls
 * (realpath, stat, open, read, close, each a trip through the thread pool) took four times as long.
 */
function readArticle(file: string, rootReal: string): Read {
  const refuse = (message: string): Read => ({ diagnostic: { file, severity: 'warning', code: 'article-refused', message } });
  try {
    const real = fs.realpathSync(file);
    if (!isInside(rootReal, real)) return refuse('a link that leads out of the articles folder: not read');
    const stat = fs.statSync(real);
    if (stat.isDirectory()) return { diagnostic: undefined };
    if (!stat.isFile()) return refuse('not a regular file: not read');
    if (stat.size > MAX_ARTICLE_BYTES) return { diagnostic: tooLarge(file) };
    return { bytes: fs.readFileSync(real) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') return refuse(code === 'ELOOP' ? 'a symbolic link loop: not read' : 'a broken link: not read');
    return { diagnostic: { file, severity: 'error', code: 'article-unreadable', message: `cannot read: ${code ?? (e as Error).message}` } };
  }
}

/** Folders never looked in: hidden ones (`.git`, `.vitepress`, quire's cache) and installed packages. */
function skippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}
/** How many folders deep articles are looked for. */
const MAX_FOLDER_DEPTH = 16;
/** How many entries of subfolders are looked at for the articles they hold and the book does not. */
const MAX_UNREAD_ENTRIES = 10_000;

/**
 * The article files under the folder `dir` (its entries `items`), names from `prefix` (`/` between folders),
 * depth first: not in hidden folders, nor `node_modules`, nor through a link, nor past MAX_FOLDER_DEPTH. A
 * `budget` bounds how many entries are looked at.
 */
function* articlesUnder(dir: string, items: fs.Dirent[], prefix: string, depth: number, budget?: { entries: number }): Generator<{ name: string; entry: fs.Dirent }> {
  for (const e of items) {
    if (budget && --budget.entries < 0) return;
    if (ARTICLE_FILE.test(e.name)) yield { name: prefix + e.name, entry: e };
    else if (e.isDirectory() && !skippedFolder(e.name) && depth < MAX_FOLDER_DEPTH) {
      const sub = path.join(dir, e.name);
      let within: fs.Dirent[];
      try {
        within = fs.readdirSync(sub, { withFileTypes: true });
      } catch {
        continue;
      }
      yield* articlesUnder(sub, within, `${prefix}${e.name}/`, depth + 1, budget);
    }
  }
}

/**
 * The folder's article files (names relative to it, `/` between folders), in the order of their names;
 * with `recursive`, its subfolders' too, in the order of their paths.
 */
function listArticles(articlesDir: string, entries: fs.Dirent[], recursive: boolean, summary?: readonly string[]): { name: string; entry: fs.Dirent | undefined }[] {
  const out: { name: string; entry: fs.Dirent | undefined }[] = recursive ? [...articlesUnder(articlesDir, entries, '', 0)] : entries.filter((e) => ARTICLE_FILE.test(e.name)).map((entry) => ({ name: entry.name, entry }));
  // An R Markdown or Quarto file beside the `.md` knitted from it (an R package's README.Rmd and README.md):
  // the `.md` is the page, with the code's output; both were chapters, the same text twice.
  const names = new Set(out.map((o) => o.name.toLowerCase()));
  for (let i = out.length - 1; i >= 0; i--) if (/\.(?:rmd|qmd)$/i.test(out[i]!.name) && names.has(out[i]!.name.replace(/\.[^.]+$/, '.md').toLowerCase())) out.splice(i, 1);
  if (summary) {
    // The summary is the book's contents, not a chapter; the files it lists in subfolders are chapters
    // (read with the care given to links: entry undefined).
    const named = new Set(out.map((o) => o.name));
    for (let i = out.length - 1; i >= 0; i--) if (out[i]!.name === SUMMARY_FILE) out.splice(i, 1);
    for (const name of summary) if (!named.has(name) && name.includes('/')) out.push({ name, entry: undefined }), named.add(name);
  }
  return out.sort((a, b) => (recursive ? comparePaths(a.name, b.name) : compareNames(a.name, b.name)));
}

const SUMMARY_FILE = 'SUMMARY.md';

/**
 * An mdBook book's chapters, as its `SUMMARY.md` lists them (the articles folder is the book's `src`, the
 * folder above holding `book.toml`; or the book's own folder): the files its links name, in order, relative
 * to the folder. Drafts (`[Title]()`) and web links are not chapters. The book was in the order of the files'
 * names, the summary a chapter of its own, and the chapters in subfolders left out.
 */
function mdbookSummary(articlesDir: string, entries: fs.Dirent[]): { file: string; files: string[]; parts: Map<string, string>; missing: ({ name: string } & Place)[] } | undefined {
  if (!entries.some((e) => e.name === SUMMARY_FILE && e.isFile())) return undefined;
  if (!configFolders(articlesDir).some((dir) => fs.existsSync(path.join(dir, 'book.toml')))) return undefined;
  const file = path.join(articlesDir, SUMMARY_FILE);
  // Read as the articles are: a regular file, up to their size, its encoding told by its bytes (a byte-order
  // mark, UTF-16). Unreadable, the book is in the files' order.
  const read = readRegularFile(file, MAX_ARTICLE_BYTES);
  const decoded = read.ok ? decodeText(read.bytes, file) : undefined;
  if (decoded?.text === undefined) return undefined;
  const text = decoded.text;
  const files: string[] = [];
  const missing: ({ name: string } & Place)[] = [];
  const seen = new Set<string>();
  // The part each numbered chapter (a list's item) is in: the title line above it (`# Part I`), the
  // contents' heading for them. Prefix and suffix chapters (links outside the list) are in none.
  // (A heading before the first link is the summary's own title, `# Summary`; a rule, `---`, ends a part.)
  const parts = new Map<string, string>();
  const firstLink = text.search(/\]\(/);
  const partAt: { at: number; title: string | undefined }[] = [];
  for (const m of text.matchAll(/^(?:#{1,6}[ \t]+(.+?)[ \t#]*|-{3,}|\*{3,})$/gm)) if (m.index! > firstLink) partAt.push({ at: m.index!, title: m[1]?.trim() });
  let nextPart = 0;
  let title: string | undefined;
  const partOf = (at: number) => {
    while (nextPart < partAt.length && partAt[nextPart]!.at < at) title = partAt[nextPart++]!.title;
    return title;
  };
  for (const m of text.matchAll(/\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(<?([^()<>\s]+)>?\)/g)) {
    let target = m[1]!.replace(/#.*$/, '');
    try {
      target = decodeURI(target);
    } catch {
      continue;
    }
    target = path.posix.normalize(target.replace(/\\/g, '/')).replace(/^\.\//, '');
    if (!ARTICLE_FILE.test(target) || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('..') || target.startsWith('/') || seen.has(target)) continue;
    seen.add(target);
    let exists = false;
    try {
      exists = fs.statSync(path.join(articlesDir, ...target.split('/'))).isFile();
    } catch {
      // Not there: said below.
    }
    if (exists) {
      files.push(target);
      const lineStart = text.lastIndexOf('\n', m.index!) + 1;
      const part = partOf(m.index!);
      if (part && /^[ \t]*[-*+][ \t]/.test(text.slice(lineStart, m.index!))) parts.set(target, part);
    } else missing.push({ name: target, ...placeOf(text, m.index!) });
  }
  return files.length ? { file, files, parts, missing } : undefined;
}

/**
 * A warning for each subfolder that holds articles the book leaves out (not read as another article's
 * include): quire's chapters are the folder's own files unless `recursive` says otherwise. A docs folder's
 * `guide/` and `api/` were left out without a word.
 */
function unreadSubfolders(articlesDir: string, entries: fs.Dirent[], included: ReadonlySet<string>): Diagnostic[] {
  const budget = { entries: MAX_UNREAD_ENTRIES };
  const count = (e: fs.Dirent): number => {
    let n = 0;
    for (const a of articlesUnder(articlesDir, [e], '', 0, budget)) if (!a.entry.isDirectory() && !included.has(path.resolve(articlesDir, a.name))) n++;
    return n;
  };
  const found: Diagnostic[] = [];
  for (const e of [...entries].sort((a, b) => compareNames(a.name, b.name))) {
    if (!e.isDirectory() || skippedFolder(e.name) || ARTICLE_FILE.test(e.name)) continue;
    const n = count(e);
    if (n === 0) continue;
    found.push({
      file: path.join(articlesDir, e.name),
      severity: 'warning',
      code: 'articles-in-subfolders',
      message: `${n} Markdown file${n === 1 ? ' is' : 's are'} in this subfolder, and not in the book: its chapters are the articles folder's own files; \`--recursive\` (or \`recursive: true\` in book.yaml) takes in the subfolders' articles, \`recursive: false\` leaves them out without this warning`,
    });
  }
  return found;
}

/**
 * The order of articles in subfolders: folder by folder, a folder's own page (isFolderPage) first in it, then
 * its files and subfolders by name (compareNames: `2-setup.md` before `10-api/`).
 */
export function comparePaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const indexA = i === pa.length - 1 && isFolderPage(pa[i]!);
    const indexB = i === pb.length - 1 && isFolderPage(pb[i]!);
    if (indexA !== indexB) return indexA ? -1 : 1;
    if (pa[i] !== pb[i]) return compareNames(pa[i]!, pb[i]!);
  }
  return pa.length - pb.length;
}

function orderArticles(articles: Article[], config: BookConfig, diagnostics: Diagnostic[], summary?: readonly string[]): Article[] {
  const listed = new Map<string, number>();
  // book.yaml's order first; an mdBook's summary when it gives none.
  if (!config.order.length && summary) summary.forEach((name, i) => listed.set(name, i + 1));
  config.order.forEach((name, i) => {
    if (!articles.some((a) => a.name === name)) {
      diagnostics.push({ file: config.file, ...config.orderPlaces[i], severity: 'warning', code: 'config-order', message: `\`order\` names \`${name}\`, which is not an article in the folder` });
    } else if (!listed.has(name)) listed.set(name, i + 1);
  });
  const key = (a: Article) => a.meta.order ?? listed.get(a.name) ?? Infinity;
  return articles
    .map((a) => ({ a, k: key(a) }))
    .sort((x, y) => (x.k !== y.k ? (x.k < y.k ? -1 : 1) : config.recursive ? comparePaths(x.a.name, y.a.name) : compareNames(x.a.name, y.a.name)))
    .map((x) => x.a);
}

/** File-name order with numbers compared by value (`2.md` before `10.md`); the same on every machine. */
export function compareNames(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.toLowerCase().match(re) ?? [];
  const pb = b.toLowerCase().match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function uniqueSlug(name: string, taken: Set<string>): string {
  const base = asciiSlug(name.replace(ARTICLE_FILE, ''), 48) || 'article';
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}

/** Whether path `p` is `root` or inside it. */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
