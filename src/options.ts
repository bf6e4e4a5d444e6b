// Orchestration: the options and results of the library's verbs (build, makeBook, watch), as plain data.
import type { Selection } from './articles/select.js';
import type { Cache } from './cache.js';
import type { ConfigOverrides } from './config.js';
import type { Diagnostic } from './diagnostics.js';
import type { Target } from './model.js';
import type { RemoteOptions } from './remote.js';

export interface BuildOptions {
  /** The folder of articles (default `articles`). */
  articlesDir?: string;
  /** The book to write (default `output/book.epub`). */
  output?: string;
  /** Where relative paths start (default: the process's working directory). */
  cwd?: string;
  /** Values from the command line; they win over book.yaml. */
  overrides?: ConfigOverrides;
  /** Warnings fail the build. */
  strict?: boolean;
  /** Check every book written, as `check` does; its findings join the build's diagnostics. */
  check?: boolean;
  /** Seconds since 1970 for `dcterms:modified`, as in the SOURCE_DATE_EPOCH convention. */
  sourceDateEpoch?: string;
  /** A folder for the build cache (the CLI uses `.quire-cache`); without one, every build is cold. */
  cacheDir?: string;
  /** Write several volumes: every `size` articles, or one per year of the articles' dates. */
  split?: { by: 'count'; size: number } | { by: 'year' };
  /**
   * A process that builds again and again (watch mode) passes the same map to every build: the cache's
   * entries stay decoded in memory between builds, with the article files as last read (an unchanged
   * file is not decoded again) and the last book of each volume (its unchanged zip entries are not
   * deflated again). Used only together with `cacheDir`.
   */
  memoryCache?: Map<string, unknown>;
  /** Downloading remote images: offline mode, private addresses, limits. */
  remote?: RemoteOptions;
  /** The reading system the book is made for (default `epub`: any). */
  target?: Target;
  /** Told how far the long stages are, for a progress display. */
  onProgress?: (progress: Progress) => void;
  /** Make the book of some articles only (`quire digest`), ordered and grouped by the caller. */
  select?: Selection;
}

export interface Progress {
  stage: 'render' | 'download' | 'compress' | 'add';
  done: number;
  total: number;
  /** Downloads that failed so far. */
  failed?: number;
}

export interface Volume {
  /** `1`, `2`... or a year; undefined for a book in one volume. */
  label?: string;
  title: string;
  /** The volume's bytes from `makeBook`; `build` writes them to the volume's file as they are made instead. */
  epub?: Buffer;
  /** Its size in bytes. */
  size: number;
  chapters: number;
  images: number;
}

export interface BookResult {
  /** The EPUB's bytes, when the book could be made in one volume (from `makeBook`; `build` writes them instead). */
  epub?: Buffer;
  /** Every volume made (one when the book is not split). */
  volumes?: Volume[];
  diagnostics: Diagnostic[];
  chapters: number;
  images: number;
  /** What the cache saved (hits) and what had to be done (misses). */
  cache?: Cache['stats'];
  /** Files outside the articles folder that the book was made from (style sheet, cover), for watching. */
  inputs: string[];
  /** Every file the book was made from (articles, book.yaml, images, style sheet, cover): never written over. */
  sources?: string[];
}

export interface BuildResult extends BookResult {
  /** Whether the book was written. */
  written: boolean;
  output: string;
  /** The files written: `output`, or one per volume beside it. */
  outputs: string[];
}
