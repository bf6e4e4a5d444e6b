// quire's public API: build a book from a folder of Markdown articles (build, makeBook), check any EPUB
// (check), save web pages as articles (add), rebuild on changes (watch); orchestration only.
// Stages (docs/architecture.md): load -> render -> settle -> book -> package -> write.
// Never reads argv or writes to the terminal; problems come back as diagnostics.
import fs from 'node:fs';
import path from 'node:path';
import { isInside, loadArticles, type ReadArticle } from './articles/load.js';
import { selectArticles } from './articles/select.js';
import { Cache } from './cache.js';
import { loadConfig } from './config.js';
import { Diagnostics } from './diagnostics.js';
import type { Target } from './model.js';
import type { BookResult, BuildOptions, BuildResult } from './options.js';
import { Pool, WorkerCrash } from './parallel.js';
import { assemble } from './pipeline/assemble.js';
import { codeIdentity, VERSION } from './version.js';
import { watchBuild, type BuildReport, type Watcher } from './watch.js';
import { PendingWrites, unfitDestination } from './write.js';

export type { Diagnostic, Severity } from './diagnostics.js';
export type { DiagnosticCode } from './codes.js';
export { escapeControls, formatDiagnostic, formatDiagnostics, sortDiagnostics } from './diagnostics.js';
export type { ConfigOverrides } from './config.js';
export type { NotesPlacement, Target } from './model.js';
export type { RemoteOptions } from './remote.js';
export type { BookResult, BuildOptions, BuildResult, Progress, Volume } from './options.js';
export type { BuildReport, Watcher } from './watch.js';
export type { AddOptions, AddResult } from './add/index.js';
export type { CheckOptions } from './check/index.js';
export { VERSION };

/** Build the book in memory. Nothing is written to disk. */
export function makeBook(options: BuildOptions = {}): Promise<BookResult> {
  return makeBookInto(options);
}

/** Make the book; each volume's bytes go to what `sink` gives for its label as they are made, when it is given. */
async function makeBookInto(options: BuildOptions, sink?: (label: string | undefined) => (chunk: Uint8Array) => void): Promise<BookResult> {
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
    // A long-running process keeps the files as it read them: those whose bytes are unchanged are not decoded again.
    const known = cache.carries ? (cache.carried<Map<string, ReadArticle>>('articles') ?? new Map<string, ReadArticle>()) : undefined;
    const loaded = loadArticles(
      articlesDir,
      config,
      (count) => {
        if (cold && count >= EARLY_WORKER_ARTICLES) pool.prepare();
      },
      known,
    );
    if (known) cache.carry('articles', known);
    // Files the articles include may be outside the articles folder (an mdBook book's listings): watched too.
    for (const f of loaded.included) if (!inputs.includes(f)) inputs.push(f);
    const { articles, diagnostics: loadProblems } = options.select ? selectArticles(loaded.articles, loaded.diagnostics, articlesDir, options.select) : loaded;
    diagnostics.addAll(loadProblems);
    const folderMissing = loadProblems.some((d) => d.code === 'articles-folder');
    if (!folderMissing && articles.length === 0 && !loadProblems.some((d) => d.severity === 'error')) {
      diagnostics.error('articles-none', 'no articles here: quire reads the Markdown files (*.md, *.markdown, *.mdown, *.mkd…) and *.mdx files of this folder (and of its subfolders with --recursive)', articlesDir);
    }
    if (articles.length === 0) return { diagnostics: diagnostics.items, chapters: 0, images: 0, inputs };
    const sources = new Set([...articles.map((a) => a.file), ...inputs, ...(config.file ? [config.file] : [])]);
    const read = new Set(sources);
    let result;
    try {
      result = await assemble(options, articlesDir, config, articles, diagnostics, pool, cache, sources, sink);
    } catch (e) {
      if (!(e instanceof WorkerCrash)) throw e;
      diagnostics.error('internal-error', `${e.message}; no book was made (this is a fault in quire, not in the articles)`, articlesDir);
      return { diagnostics: diagnostics.items, chapters: 0, images: 0, inputs };
    }
    // Images read from outside the articles folder (a static site's `/assets/a.png`, articles/site-roots.ts): watched too.
    // (Their paths are real ones: the articles folder's real path is the one they are compared with.)
    const realArticlesDir = fs.realpathSync(articlesDir);
    for (const f of sources) if (!read.has(f) && !isInside(realArticlesDir, f) && !inputs.includes(f)) inputs.push(f);
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

/** Build the book and write it to `output`, unless a problem (or, with `strict`, a warning) stops it. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const output = outputFor(path.resolve(cwd, options.output ?? path.join('output', 'book.epub')), options.target);
  // Refused before any work: a symbolic link, a FIFO or a device at the output path.
  const unfit = unfitDestination(output);
  if (unfit) return { diagnostics: [{ file: output, severity: 'error', code: 'output-unwritable', message: `cannot write the book: ${unfit}` }], chapters: 0, images: 0, inputs: [], written: false, output, outputs: [] };
  // Volumes go beside the output path: book.epub -> book-1.epub, book-2.epub... or book-2023.epub
  // (book.kepub.epub -> book-1.kepub.epub).
  const ext = /\.kepub\.epub$/i.test(output) ? output.slice(-11) : path.extname(output);
  const fileOf = (label: string | undefined) => (label === undefined ? output : `${output.slice(0, output.length - ext.length)}-${label}${ext}`);
  // Each volume is written to a new file beside its destination as it is packaged, never held whole in
  // memory, and the files are renamed into place only when the build succeeds.
  const pending = new PendingWrites();
  const failure = (e: unknown, result?: BookResult): BuildResult => {
    const err = e as NodeJS.ErrnoException;
    const message = err.code === 'EISDIR' ? 'the output path is a folder' : err.code === 'EOUTPUT' ? err.message : (err.code ?? err.message);
    return {
      ...(result ?? { chapters: 0, images: 0, inputs: [] }),
      diagnostics: [...(result?.diagnostics ?? []), { file: err.path ?? output, severity: 'error', code: 'output-unwritable', message: `cannot write the book: ${message}` }],
      written: false,
      output,
      outputs: [],
    };
  };
  let result: BookResult;
  try {
    result = await makeBookInto(options, (label) => pending.open(fileOf(label)));
  } catch (e) {
    pending.abort();
    if (!pending.includes((e as NodeJS.ErrnoException).path ?? '')) throw e;
    return failure(e);
  }
  const diagnostics = [...result.diagnostics];
  const failed = diagnostics.some((d) => d.severity === 'error') || (options.strict === true && diagnostics.length > 0);
  if (failed || !result.volumes) {
    pending.abort();
    return { ...result, diagnostics, written: false, output, outputs: [] };
  }
  const files = result.volumes.map((v) => ({ file: fileOf(v.label) }));
  const overwritten = files.map((f) => ({ file: f.file, source: inputAt(f.file, result.sources ?? []) })).find((f) => f.source !== undefined);
  if (overwritten) {
    pending.abort();
    return failure(Object.assign(new Error(`the output path is one of its inputs (${path.relative(cwd, overwritten.source!) || overwritten.source})`), { code: 'EOUTPUT', path: overwritten.file }), result);
  }
  try {
    pending.commit();
  } catch (e) {
    return failure(e, result);
  }
  if (options.check) for (const f of files) for (const d of await check(f.file)) diagnostics.push(d);
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

/** Build the book, then again whenever one of its files changes, until the watcher is closed. */
export function watch(options: BuildOptions, onBuild: (report: BuildReport) => void): Promise<Watcher> {
  return watchBuild(options, onBuild, build);
}

/** Check any EPUB (not only quire's): quire's rules, and EPUBCheck's when it is installed. */
export async function check(file: string, options?: import('./check/index.js').CheckOptions) {
  // Loaded on use: a build does not need the checker.
  return (await import('./check/index.js')).checkEpub(file, options);
}

/** Save web pages (or saved HTML files) as Markdown articles, with their images. */
export async function add(inputs: string[], options?: import('./add/index.js').AddOptions) {
  // Loaded on use: Readability, turndown and linkedom would slow every build down.
  return (await import('./add/index.js')).addArticles(inputs, options);
}

/** Serve a folder of books to e-readers and browsers (see serve/server.ts). */
export async function serve(options?: import('./serve/server.js').ServeOptions): Promise<import('./serve/server.js').Server> {
  // Loaded on use: a build does not need the server.
  return (await import('./serve/server.js')).serve(options);
}
export type { ServeOptions, Server } from './serve/server.js';
export { sendBooks, preflight as sendPreflight, SendError, type SendOptions, type SendResult } from './send.js';
