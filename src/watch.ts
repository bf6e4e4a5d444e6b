// Orchestration: watch mode: build, then rebuild whenever an article, an image (one from a static site's folder too), book.yaml, the style sheet, the cover,
// a file an article includes or the site's configuration (mkdocs.yml, book.toml, also in the folder above) changes.
// Changes are gathered for a moment (an editor saves in several steps) and builds never overlap; a build that
// fails leaves the last good book in place, as every failed build does.
import path from 'node:path';
import { watch as watchFiles, type FSWatcher } from 'chokidar';
import type { BuildOptions, BuildResult } from './options.js';

/** How long changes are gathered before a rebuild. */
export const DEBOUNCE_MS = 150;

export interface Watcher {
  close(): Promise<void>;
}

export interface BuildReport {
  result: BuildResult;
  seconds: number;
  /** The files whose change started this build (empty for the first one). */
  changed: string[];
}

export async function watchBuild(options: BuildOptions, onBuild: (report: BuildReport) => void, build: (options: BuildOptions) => Promise<BuildResult>): Promise<Watcher> {
  const cwd = options.cwd ?? process.cwd();
  const articlesDir = path.resolve(cwd, options.articlesDir ?? 'articles');
  const output = path.resolve(cwd, options.output ?? path.join('output', 'book.epub'));
  const cacheDir = options.cacheDir === undefined ? undefined : path.resolve(cwd, options.cacheDir);
  // Every build of this process shares the cache's decoded entries: a rebuild reads only what changed.
  const memoryCache = new Map<string, unknown>();
  const run = async (changed: string[]) => {
    const started = performance.now();
    const result = await build({ ...options, memoryCache });
    onBuild({ result, seconds: (performance.now() - started) / 1000, changed });
    return result;
  };

  const first = await run([]);
  const ignored = (p: string) => {
    const abs = path.resolve(cwd, p);
    const base = path.basename(abs);
    return (
      abs === output ||
      abs.startsWith(`${output}.`) ||
      base.startsWith('.') ||
      base.endsWith('.tmp') ||
      base.endsWith('~') ||
      (cacheDir !== undefined && (abs === cacheDir || abs.startsWith(cacheDir + path.sep)))
    );
  };
  const watcher: FSWatcher = watchFiles([articlesDir, ...first.inputs], { ignoreInitial: true, ignored });
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let building: Promise<unknown> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), DEBOUNCE_MS);
  };
  const rebuild = async () => {
    if (building) return schedule();
    const changed = [...pending].sort();
    pending = new Set();
    building = run(changed).then((result) => {
      // The style sheet or cover may have moved to another file.
      watcher.add(result.inputs);
    });
    await building;
    building = undefined;
  };
  watcher.on('all', (_event, file) => {
    pending.add(path.resolve(cwd, file));
    schedule();
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    async close() {
      clearTimeout(timer);
      await building;
      await watcher.close();
    },
  };
}
