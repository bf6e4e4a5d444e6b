// The command line: flags -> one library call -> diagnostics on stderr -> exit code (exitCodeFor). No logic of its own.
// Exit codes: 0 the book was written (warnings allowed), 1 input problems stopped it, 2 usage error.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { add, build, check, escapeControls, formatDiagnostic, formatDiagnostics, sortDiagnostics, VERSION, watch, type BuildOptions, type BuildResult } from './index.js';
import fs from 'node:fs';
import path from 'node:path';
import { progressLine } from './progress.js';
import { loadConfig, MAX_TOC_DEPTH } from './config.js';
import { parseSince } from './add/since.js';
import type { NotesPlacement, Target } from './model.js';
import { removeTemporaryFiles } from './write.js';
import { addSendCommand, addServeCommand, sendFiles } from './cli-deliver.js';

export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;
/** The build cache, relative to the working directory. */
export const CACHE_DIR = '.quire-cache';

function tocDepth(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_TOC_DEPTH) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_TOC_DEPTH}`);
  return n;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a whole number, 1 or more');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a whole number of articles, 1 or more');
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Interrupted (Ctrl-C, kill): leave no half-written book behind. The old book is untouched by construction. */
export function onInterrupt(signal: NodeJS.Signals): void {
  removeTemporaryFiles();
  process.stderr.write(`quire: interrupted (${signal}); no book written\n`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

export async function main(argv: string[], io = { out: process.stdout, err: process.stderr, cwd: process.cwd(), env: process.env }): Promise<number> {
  // bin/quire.js installs its handler before loading this module and hands signals to onInterrupt;
  // another caller of main() gets one here.
  if (process.listenerCount('SIGINT') === 0) process.once('SIGINT', onInterrupt);
  if (process.listenerCount('SIGTERM') === 0) process.once('SIGTERM', onInterrupt);
  const program = new Command('quire')
    .description('Turn a folder of Markdown articles into one EPUB book with a table of contents.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .showHelpAfterError('(run `quire --help` for usage)');

  let exitCode = EXIT_OK;
  program
    .command('build')
    .description('build output/book.epub from the articles folder')
    .argument('[articles]', 'folder of Markdown articles', 'articles')
    .option('-o, --output <file>', 'where to write the book', 'output/book.epub')
    .option('--title <title>', 'book title (overrides book.yaml)')
    .option('--author <name>', 'author; repeat for several (overrides book.yaml)', collect)
    .option('--lang <tag>', 'language tag, e.g. en or pt-BR (overrides book.yaml)')
    .option('--publisher <name>', 'publisher (overrides book.yaml)')
    .option('--description <text>', 'description (overrides book.yaml)')
    .option('--date <date>', 'publication date, YYYY[-MM[-DD]] (overrides book.yaml)')
    .option('--identifier <id>', 'identifier, e.g. urn:isbn:... (default: derived from the title, authors and article names)')
    .option('--cover <image>', 'cover image, JPEG, PNG or SVG (overrides book.yaml)')
    .option('--css <file>', 'style sheet added after quire\'s own (overrides book.yaml)')
    .addOption(new Option('--toc-depth <n>', `table of contents depth, 1-${MAX_TOC_DEPTH} (default 2)`).argParser(tocDepth))
    .addOption(new Option('--split <n>', 'write volumes of at most n articles each: book-1.epub, book-2.epub...').argParser(positive).conflicts('splitBy'))
    .addOption(new Option('--split-by <what>', 'write one volume per year of the articles\' dates: book-2023.epub...').choices(['year']))
    .addOption(new Option('--target <reader>', 'make the book for a reading system: epub (any), kobo (writes a .kepub.epub), kindle (Send-to-Kindle)').choices(['epub', 'kobo', 'kindle']).default('epub'))
    .addOption(new Option('--notes <where>', 'where footnotes go: footnotes (pop-ups after each chapter), chapter (endnotes after each chapter), book (a Notes chapter at the end)').choices(['footnotes', 'chapter', 'book']))
    .option('--no-math', 'leave $…$ and $$…$$ as text instead of rendering them as math')
    .option('--no-highlight', 'do not highlight fenced code')
    .option('-r, --recursive', 'take in the articles in subfolders too, in the order of their paths (overrides book.yaml)')
    .option('--offline', 'do not download remote images: use only those downloaded before (kept in .quire-cache/)')
    .option('--allow-private-network', 'let remote images come from loopback and private addresses')
    .option('--no-cache', 'build from scratch, without reading or writing .quire-cache/')
    .option('--check', 'check the book after building it, as quire check does (exit 1 on errors)')
    .option('-w, --watch', 'rebuild whenever an article, image, book.yaml, the style sheet or the cover changes')
    .option('--strict', 'treat warnings as errors: the book is not written if there are any')
    .option('-q, --quiet', 'print errors only')
    .addOption(new Option('--send <address>', 'e-mail the book (every volume) to this address once built, e.g. Send-to-Kindle (see quire send)').conflicts('watch'))
    .option('-v, --verbose', 'list every warning, also those repeated (three or more of one kind in one article are one line otherwise)')
    .exitOverride()
    .action(async (articles: string, opts: BuildFlags) => {
      const options: BuildOptions = {
        articlesDir: articles,
        output: opts.output,
        cwd: io.cwd,
        strict: opts.strict,
        sourceDateEpoch: io.env.SOURCE_DATE_EPOCH,
        cacheDir: opts.cache ? CACHE_DIR : undefined,
        remote: { offline: opts.offline, allowPrivateNetwork: opts.allowPrivateNetwork },
        split: opts.split !== undefined ? { by: 'count', size: opts.split } : opts.splitBy === 'year' ? { by: 'year' } : undefined,
        overrides: { title: opts.title, authors: opts.author, lang: opts.lang, publisher: opts.publisher, description: opts.description, date: opts.date, identifier: opts.identifier, cover: opts.cover, css: opts.css, tocDepth: opts.tocDepth,
          // Commander sets negated flags to true by default; only a flag given on the command line overrides book.yaml.
          math: opts.math === false ? false : undefined, highlight: opts.highlight === false ? false : undefined, ...(opts.recursive && { recursive: true }), notes: opts.notes },
        target: opts.target,
      };
      const stderr = io.err as NodeJS.WriteStream;
      const progress = stderr.isTTY && !opts.quiet ? progressLine(stderr) : undefined;
      if (progress) options.onProgress = (p) => progress.update(p);
      if (!opts.watch) {
        const result = await build({ ...options, check: opts.check });
        progress?.clear();
        exitCode = report(result, opts, io);
        if (opts.send && result.written && exitCode === EXIT_OK) exitCode = await sendFiles(result.outputs, opts.send, undefined, io);
        return;
      }
      await watch(options, ({ result, seconds, changed }) => {
        progress?.clear();
        if (changed.length) io.out.write(`\n${changed.map((f) => relative(f, io.cwd)).join(', ')} changed\n`);
        const code = report(result, opts, io, seconds);
        if (code === EXIT_USAGE) process.exit(code);
        if (!result.written) io.err.write('the last good book is kept; waiting for changes\n');
      });
      io.out.write('watching for changes (Ctrl-C to stop)\n');
      await new Promise(() => {}); // until interrupted
    });

  program
    .command('check')
    .description('check any EPUB: container, package, navigation, XHTML, Kindle preflight, accessibility, and EPUBCheck when installed')
    .argument('<book>', 'the EPUB file')
    .option('--json', 'print the findings as JSON')
    .option('--no-epubcheck', 'do not run EPUBCheck even when it is installed')
    .option('--epubcheck-timeout <seconds>', 'stop EPUBCheck after this many seconds, and say so (default 300)', wholeNumber)
    .option('--epubcheck-memory <MB>', "EPUBCheck's Java heap cap, in MB (default 1024)", wholeNumber)
    .exitOverride()
    .action(async (book: string, opts: { json?: boolean; epubcheck: boolean; epubcheckTimeout?: number; epubcheckMemory?: number }) => {
      const found = await check(path.resolve(io.cwd, book), {
        epubcheck: opts.epubcheck,
        epubcheckLimits: { ...(opts.epubcheckTimeout ? { timeoutMs: opts.epubcheckTimeout * 1000 } : {}), ...(opts.epubcheckMemory ? { memoryMb: opts.epubcheckMemory } : {}) },
      });
      if (opts.json) io.out.write(`${JSON.stringify(found, null, 2)}\n`);
      else for (const d of found) io.err.write(`${formatDiagnostic(d, io.cwd)}\n`);
      if (!opts.json && !found.length) io.out.write(`${book}: no problems found\n`);
      exitCode = exitCodeFor({ errors: found.filter((d) => d.severity === 'error').length });
    });

  program
    .command('add')
    .description('save web articles (or saved HTML files), feeds and read-later exports as Markdown in the articles folder, with their images')
    .argument('[inputs...]', 'URLs or HTML files')
    .option('--articles <dir>', 'the articles folder', 'articles')
    .option('--from <file>', 'read URLs from a file, one a line (# starts a comment)')
    .option('--feed <url>', 'add the new items of an RSS, Atom or JSON feed; repeat for several', collect)
    .option('--feeds', 'add the new items of the feeds listed under `feeds:` in book.yaml')
    .option('--import <file>', 'add the links of an export: Pocket (CSV or HTML), Instapaper CSV, bookmarks HTML, Wallabag or Omnivore JSON, or a list of URLs')
    .option('--since <when>', 'feeds: only items dated since a date (YYYY-MM-DD) or a duration back from now (36h, 7d, 2w)')
    .addOption(new Option('--max <n>', 'feeds: at most n new items per feed, the newest').argParser(positive))
    .addOption(new Option('--delay <ms>', 'milliseconds between two requests to one host (default 250)').argParser(milliseconds))
    .option('--force', 'refresh an article already saved from the same URL')
    .option('--strict', 'an article that seems incomplete (much shorter than the page\'s text) is an error, not a warning')
    .option('--allow-private-network', 'let feeds, pages and images come from loopback and private addresses')
    .option('-q, --quiet', 'print errors only')
    .exitOverride()
    .action(async (inputs: string[], opts: AddFlags) => {
      const all = [...inputs];
      if (opts.from) {
        let list: string;
        try {
          list = fs.readFileSync(path.resolve(io.cwd, opts.from), 'utf8');
        } catch (e) {
          io.err.write(`quire: error: cannot read ${opts.from}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
          exitCode = exitCodeFor({ errors: 1 });
          return;
        }
        // One at a time, here and below: a list of hundreds of thousands, spread into one call, overflows the stack.
        for (const line of list.split('\n')) {
          const url = line.replace(/#.*$/, '').trim();
          if (url) all.push(url);
        }
      }
      if (opts.feed || opts.feeds || opts.import) {
        exitCode = await addMany(all, opts, io);
        return;
      }
      if (all.length === 0) {
        io.err.write('quire: error: give a URL or an HTML file to add (or --from FILE, --feed URL, --import FILE)\n(run `quire add --help` for usage)\n');
        exitCode = exitCodeFor({ usage: true, errors: 1 });
        return;
      }
      const results = await add(all, { articlesDir: opts.articles, cwd: io.cwd, force: opts.force, strict: opts.strict, remote: { allowPrivateNetwork: opts.allowPrivateNetwork } });
      for (const r of results) {
        if (!r.ok) {
          io.err.write(`quire: error: ${escapeControls(r.input)}: ${escapeControls(r.error ?? '')}\n`);
          continue;
        }
        for (const w of r.warnings) if (!opts.quiet) io.err.write(`${relative(r.file!, io.cwd)}: warning: ${escapeControls(w)}\n`);
        if (opts.quiet) continue;
        if (r.duplicate) io.out.write(`already added: ${relative(r.file!, io.cwd)} (${r.input}); --force refreshes it\n`);
        else io.out.write(`added ${relative(r.file!, io.cwd)}${r.images ? ` with ${r.images} image${r.images === 1 ? '' : 's'}` : ''}\n`);
      }
      exitCode = exitCodeFor({ errors: results.filter((r) => !r.ok).length });
    });

  addServeCommand(program, io, (code) => (exitCode = code));
  addSendCommand(program, io, (code) => (exitCode = code));

  program
    .command('digest')
    .description('add what is new from the feeds of book.yaml and build output/digest-YYYY-MM-DD.epub of the day\'s articles, grouped by feed')
    .option('--articles <dir>', 'the articles folder', 'articles')
    .option('-o, --output <file>', 'where to write the book (default output/digest-YYYY-MM-DD.epub)')
    .option('--date <day>', 'the day of the digest, YYYY-MM-DD: its articles are those saved that day (default today, UTC)')
    .option('--no-fetch', 'fetch no feed: build the day\'s book from what was saved before')
    .option('--since <when>', 'only items dated since a date (YYYY-MM-DD) or a duration back from now (36h, 7d, 2w)')
    .addOption(new Option('--max <n>', 'at most n new items per feed, the newest').argParser(positive))
    .addOption(new Option('--delay <ms>', 'milliseconds between two requests to one host (default 250)').argParser(milliseconds))
    .option('--allow-private-network', 'let feeds, pages and images come from loopback and private addresses')
    .option('--no-cache', 'build from scratch, without reading or writing .quire-cache/')
    .option('-q, --quiet', 'print errors only')
    .exitOverride()
    .action(async (opts: DigestFlags) => {
      const now = nowFrom(io.env.SOURCE_DATE_EPOCH);
      if (opts.date !== undefined && !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(opts.date)) {
        io.err.write(`quire: error: --date ${opts.date}: write the day as YYYY-MM-DD\n(run \`quire digest --help\` for usage)\n`);
        exitCode = EXIT_USAGE;
        return;
      }
      const since = opts.since === undefined ? undefined : parseSinceFlag(opts.since, now, io);
      if (since === null) {
        exitCode = EXIT_USAGE;
        return;
      }
      const stderr = io.err as NodeJS.WriteStream;
      const progress = stderr.isTTY && !opts.quiet ? progressLine(stderr) : undefined;
      const { digest } = await import('./digest.js');
      const { failureTable } = await import('./add/queue.js');
      const result = await digest({
        articlesDir: opts.articles,
        cwd: io.cwd,
        date: opts.date,
        output: opts.output,
        noFetch: !opts.fetch,
        remote: { allowPrivateNetwork: opts.allowPrivateNetwork },
        since,
        max: opts.max,
        delayMs: opts.delay,
        sourceDateEpoch: io.env.SOURCE_DATE_EPOCH,
        cacheDir: opts.cache ? CACHE_DIR : undefined,
        now,
        onProgress: progress && ((p) => progress.update(p)),
      });
      progress?.clear();
      for (const d of sortDiagnostics(result.diagnostics)) io.err.write(`${formatDiagnostic(d, io.cwd)}\n`);
      if (result.diagnostics.some((d) => d.severity === 'error')) {
        exitCode = EXIT_INPUT;
        return;
      }
      const added = result.added;
      if (added && !opts.quiet) {
        for (const f of added.feeds) io.out.write(`${f.title ?? f.url}: ${f.error ? 'failed' : f.notModified ? 'not changed since the last run' : `${f.fresh} new of ${f.items}`}\n`);
      }
      if (added?.failures.length) io.err.write(`quire: ${added.failures.length} item${added.failures.length === 1 ? '' : 's'} not added:\n${failureTable(added.failures)}`);
      if (!result.book) {
        if (!opts.quiet) io.out.write(`nothing saved from the feeds on ${result.date}: no digest written\n`);
        exitCode = added?.failures.length ? EXIT_INPUT : EXIT_OK;
        return;
      }
      exitCode = report(result.book, { output: '', target: 'epub', math: true, highlight: true, cache: opts.cache, quiet: opts.quiet }, io);
      if (exitCode === EXIT_OK && added?.failures.length) exitCode = EXIT_INPUT;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      const shown = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      return exitCodeFor({ usage: !shown, errors: shown ? 0 : 1 });
    }
    throw e;
  }
  return exitCode;
}

interface AddFlags {
  articles: string;
  from?: string;
  feed?: string[];
  feeds?: boolean;
  import?: string;
  since?: string;
  max?: number;
  delay?: number;
  force?: boolean;
  strict?: boolean;
  allowPrivateNetwork?: boolean;
  quiet?: boolean;
}

interface DigestFlags {
  articles: string;
  output?: string;
  date?: string;
  fetch: boolean;
  since?: string;
  max?: number;
  delay?: number;
  allowPrivateNetwork?: boolean;
  cache: boolean;
  quiet?: boolean;
}

function milliseconds(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number of milliseconds');
  return Number(value);
}

/** "Now" for saving articles: SOURCE_DATE_EPOCH when set (reproducible runs), else the clock. */
function nowFrom(epoch: string | undefined): Date {
  return epoch !== undefined && /^\d+$/.test(epoch.trim()) ? new Date(Number(epoch.trim()) * 1000) : new Date();
}

/** A `--since` value, or null (after saying why) when it cannot be read. */
function parseSinceFlag(value: string, now: Date, io: { err: NodeJS.WritableStream }): Date | null {
  const when = parseSince(value, now);
  if (when) return when;
  io.err.write(`quire: error: --since ${value}: write a date (YYYY-MM-DD) or a duration such as 36h, 7d or 2w
`);
  return null;
}

/** `quire add --feed/--feeds/--import`: many articles, politely, with one table of what failed. */
async function addMany(inputs: string[], opts: AddFlags, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream; cwd: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const now = nowFrom(io.env.SOURCE_DATE_EPOCH);
  const since = opts.since === undefined ? undefined : parseSinceFlag(opts.since, now, io);
  if (since === null) return EXIT_USAGE;
  const articlesDir = path.resolve(io.cwd, opts.articles);
  const feeds = [...(opts.feed ?? [])];
  if (opts.feeds) {
    const { config, diagnostics } = loadConfig(articlesDir, {}, io.cwd);
    for (const d of sortDiagnostics(diagnostics)) io.err.write(`${formatDiagnostic(d, io.cwd)}\n`);
    if (diagnostics.some((d) => d.severity === 'error')) return EXIT_INPUT;
    if (config.feeds.length === 0) {
      io.err.write(`${formatDiagnostic({ file: config.file ?? path.join(articlesDir, 'book.yaml'), severity: 'error', code: 'digest-no-feeds', message: 'no feeds listed under `feeds:` in book.yaml' }, io.cwd)}\n`);
      return EXIT_INPUT;
    }
    feeds.push(...config.feeds);
  }
  const { addEntries, failureTable } = await import('./add/queue.js');
  const stderr = io.err as NodeJS.WriteStream;
  const progress = stderr.isTTY && !opts.quiet ? progressLine(stderr) : undefined;
  const onProgress = progress && ((done: number, total: number, failed: number) => progress.update({ stage: 'add', done, total, failed }));
  const remote = { allowPrivateNetwork: opts.allowPrivateNetwork };
  const failures: import('./add/queue.js').Failure[] = [];
  const added: { file?: string; images?: number; warnings: string[] }[] = [];
  let skipped = 0;
  let status = EXIT_OK;
  if (feeds.length) {
    const { addFeeds } = await import('./add/feeds.js');
    const r = await addFeeds(feeds, { articlesDir, remote, since, max: opts.max, delayMs: opts.delay, now, force: opts.force, onProgress });
    progress?.clear();
    for (const a of r.added) added.push(a);
    for (const f of r.failures) failures.push(f);
    skipped += r.skipped;
    if (!opts.quiet) for (const f of r.feeds) if (!f.error) io.out.write(`${f.title ?? f.url}: ${f.notModified ? 'not changed since the last run' : `${f.fresh} new of ${f.items}`}\n`);
  }
  const others = [...inputs];
  const entries: import('./add/queue.js').Entry[] = [];
  if (opts.import) {
    const { readImport, importEntries, ImportError } = await import('./add/import.js');
    const file = path.resolve(io.cwd, opts.import);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      io.err.write(`${formatDiagnostic({ file, severity: 'error', code: 'import-unreadable', message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }, io.cwd)}\n`);
      return EXIT_INPUT;
    }
    try {
      const read = readImport(text);
      for (const p of read.problems) io.err.write(`${formatDiagnostic({ file, line: p.line, column: 1, severity: 'warning', code: 'import-entry', message: `${p.message}; left out` }, io.cwd)}\n`);
      if (!opts.quiet) io.out.write(`${relative(file, io.cwd)}: ${read.links.length} link${read.links.length === 1 ? '' : 's'} (${read.format})\n`);
      for (const entry of importEntries(read.links, relative(file, io.cwd))) entries.push(entry);
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      io.err.write(`${formatDiagnostic({ file, severity: 'error', code: 'import-unreadable', message: e.message }, io.cwd)}\n`);
      return EXIT_INPUT;
    }
  }
  for (const url of others) entries.push({ key: url, url, origin: url, front: {} });
  if (entries.length) {
    const r = await addEntries(entries, { articlesDir, remote, delayMs: opts.delay, now, force: opts.force, onProgress });
    progress?.clear();
    for (const a of r.added) added.push(a);
    for (const f of r.failures) failures.push(f);
    skipped += r.skipped;
  }
  if (!opts.quiet) {
    for (const a of added) {
      for (const w of a.warnings) io.err.write(`${relative(a.file!, io.cwd)}: warning: ${w}\n`);
      io.out.write(`added ${relative(a.file!, io.cwd)}${a.images ? ` with ${a.images} image${a.images === 1 ? '' : 's'}` : ''}\n`);
    }
    io.out.write(`${added.length} added, ${skipped} saved before, ${failures.length} failed\n`);
  }
  if (failures.length) {
    io.err.write(`quire: ${failures.length} not added:\n${failureTable(failures)}`);
    status = EXIT_INPUT;
  }
  return status;
}

interface BuildFlags {
  output: string;
  title?: string;
  author?: string[];
  lang?: string;
  publisher?: string;
  description?: string;
  date?: string;
  identifier?: string;
  cover?: string;
  css?: string;
  tocDepth?: number;
  split?: number;
  splitBy?: 'year';
  target: Target;
  notes?: NotesPlacement;
  math: boolean;
  highlight: boolean;
  recursive?: boolean;
  cache: boolean;
  offline?: boolean;
  allowPrivateNetwork?: boolean;
  strict?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  watch?: boolean;
  check?: boolean;
  send?: string;
}

/** Print a build's diagnostics and outcome; returns the exit code it stands for. */
function report(result: BuildResult, opts: BuildFlags, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream; cwd: string }, seconds?: number): number {
  const shown = result.diagnostics
    .filter((d) => !(opts.quiet && d.severity === 'warning' && !opts.strict))
    .map((d) => (opts.strict && d.severity === 'warning' ? { ...d, severity: 'error' as const } : d));
  const { lines, folded } = formatDiagnostics(shown, io.cwd, { verbose: opts.verbose });
  for (const line of lines) io.err.write(`${line}\n`);
  if (folded) io.err.write(`quire: ${folded} more like those above are not listed; --verbose lists them\n`);
  const usage = result.diagnostics.some((d) => d.code === 'usage');
  if (usage) io.err.write('(run `quire --help` for usage)\n');
  const errors = result.diagnostics.filter((d) => d.severity === 'error' || opts.strict).length;
  if (!result.written && !usage) io.err.write(`quire: no book written (${errors} error${errors === 1 ? '' : 's'})\n`);
  const code = exitCodeFor({ usage, errors });
  if (!result.written) return code;
  if (!opts.quiet) {
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const bytes = (result.volumes ?? []).reduce((n, v) => n + v.size, 0);
    const volumes = result.outputs.length > 1 ? ` (${result.outputs.length} volumes)` : '';
    io.out.write(
      `wrote ${result.outputs.map((f) => relative(f, io.cwd)).join(', ')}${volumes}: ${plural(result.chapters, 'chapter')}, ${plural(result.images, 'image')}, ${bytes} bytes` +
        `${warnings ? `, ${plural(warnings, 'warning')}` : ''}${seconds !== undefined ? ` in ${seconds.toFixed(2)} s` : ''}\n`,
    );
  }
  return code;
}

/** The one place outcomes become exit codes: 2 for a usage error, 1 for any error, else 0. */
function exitCodeFor(outcome: { usage?: boolean; errors: number }): number {
  if (outcome.usage) return EXIT_USAGE;
  return outcome.errors > 0 ? EXIT_INPUT : EXIT_OK;
}

/** A path as printed: relative to `cwd` when inside it, control characters escaped. */
function relative(file: string, cwd: string): string {
  const rel = file.startsWith(cwd + '/') ? file.slice(cwd.length + 1) : file;
  return escapeControls(rel);
}
