// Orchestration: parallel work. Rendering chapters and drawing a cover are pure functions of their input,
// so they can be spread over worker threads, through piscina. Results come back in input order, so the
// book is the same bytes whatever the number of threads. Small jobs run on the main thread: a worker
// costs ~40 ms to start. A worker that dies fails its task with a WorkerCrash; it never leaves the build
// waiting.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Article, RenderedChapter, RenderSettings } from './model.js';

export type Task =
  | { kind: 'render'; settings: RenderSettings; items: Article[] }
  | { kind: 'cover'; title: string; authors: string[] };

/**
 * What a chapter looks like when it crosses threads: without its article, which the main thread has.
 * `needsText`: a `data:` URL lifted out of the article showed somewhere other than as an image's source;
 * the main thread, which holds the URLs' bytes, renders it again from the text as written.
 */
export type ChapterResult = Omit<RenderedChapter, 'article'> & { needsText?: true };

/** Run a task on this thread. The worker threads run the same function. */
export async function runTask(task: Task): Promise<ChapterResult[] | Uint8Array> {
  if (task.kind === 'cover') return (await import('./epub/cover.js')).generateCover(task.title, task.authors);
  // Loaded on first use: a build whose chapters all come from the cache never needs the renderer.
  const { renderChapter } = await import('./render/chapter.js');
  const { leaksReference, liftedReferences } = await import('./articles/embedded.js');
  return task.items.map((a): ChapterResult => {
    const { article, ...rest } = renderChapter(a, task.settings);
    void article;
    if (a.lifted && leaksReference(rest, a.lifted, liftedReferences(a))) return { ...rest, needsText: true };
    return rest;
  });
}

/** A task run on a new worker thread (aside.ts), which ends with it. */
function onThreadOfItsOwn(task: Task): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(new URL('./aside.js', import.meta.url), { workerData: task });
    thread.once('message', (m: { ok: true; value: unknown } | { ok: false }) => (m.ok ? resolve(m.value) : reject(new Error('the task failed on its thread'))));
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the task's thread ended (${code})`)));
  });
}

/**
 * Results made on this thread, as a worker would hand them over: copied. A chapter's ids, link targets and
 * section titles are cut from the HTML its renderer went through, and each would keep that whole text
 * alive (V8 shares the memory of a substring with its parent). With the same copy of front matter values
 * (articles/load.ts), 93 MB off the peak of 5,000 real-docs articles. The chapter's body, one text of its
 * own, is kept as it is.
 */
function detach(results: ChapterResult[] | Uint8Array): ChapterResult[] | Uint8Array {
  if (!Array.isArray(results)) return results;
  return results.map(({ body, ...rest }) => ({ ...structuredClone(rest), body }));
}

/** Below this much work, starting workers costs more than it saves. */
const MIN_PARALLEL_BYTES = 256 * 1024;
/** Work is handed out in chunks of about this many bytes, so that a faster thread takes more. */
const CHUNK_BYTES = 64 * 1024;

/** A worker thread stopped (crashed, ran out of memory, was killed) while it had work: a bug, not bad input. */
export class WorkerCrash extends Error {
  constructor(cause: unknown) {
    super(`a worker thread stopped while rendering: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'WorkerCrash';
  }
}

/**
 * Rendering threads: one a core, four at most, but none on two cores or fewer. There the main thread's own
 * work (settling, packaging) competes with the workers for the same cores: measured on 1,000 real-docs
 * articles, two workers took the same wall time as the main thread alone (4.48 s against 4.45 s), 29% more
 * CPU (8.42 s against 6.53 s) and 338 MB against 250 MB, for the same bytes.
 */
function defaultThreads(): number {
  const cores = availableParallelism();
  return cores <= 2 ? 1 : Math.min(cores, 4);
}

export class Pool {
  private piscina: Piscina | undefined;
  /** What ended a worker that died between tasks (see prepare). */
  private crash: unknown;

  /**
   * `size` worker threads at most; with 1, everything runs on the main thread. QUIRE_THREADS overrides
   * it, for measuring.
   */
  constructor(private readonly size = Number(process.env.QUIRE_THREADS ?? defaultThreads())) {}

  /**
   * Start the workers now, before there is work for them, when a build will surely render a lot: a worker
   * takes a few hundred milliseconds to load the renderer, which it can do while the articles are read.
   */
  prepare(): void {
    if (this.size < 2 || this.piscina) return;
    // QUIRE_WORKER_MEMORY_MB bounds each rendering thread's heap: a worker past it stops, and the build fails
    // with an internal-error diagnostic rather than taking the machine's memory.
    const heap = Number(process.env.QUIRE_WORKER_MEMORY_MB);
    const resourceLimits = heap > 0 ? { maxOldGenerationSizeMb: heap } : undefined;
    this.piscina = new Piscina({ filename: new URL('./worker.js', import.meta.url).href, minThreads: this.size, maxThreads: this.size, idleTimeout: 60_000, resourceLimits });
    // A worker that dies with no task (one started to replace a dead one, past its memory limit while it
    // loads the renderer) is reported on the pool itself, which would end the process unheard; and the tasks
    // waiting for a worker would wait for ever, since piscina stops replacing workers that die starting.
    // The build's tasks fail instead, with that worker's error.
    const piscina = this.piscina;
    piscina.on('error', (e: unknown) => {
      this.crash ??= e;
      void piscina.destroy();
    });
  }

  /** Whether workers are started. */
  get running(): boolean {
    return this.piscina !== undefined;
  }

  /** The worker threads, to watch them (or, in a test, to stop one). */
  get threads(): readonly { terminate(): Promise<number> }[] {
    return this.piscina?.threads ?? [];
  }

  /** Run one task on a worker; a worker that dies rejects it with a WorkerCrash. */
  private run(task: Task): Promise<unknown> {
    return this.piscina!.run(task).catch((e: unknown) => {
      if (this.crash !== undefined) throw new WorkerCrash(this.crash);
      throw e instanceof Error && /worker exited|terminat/i.test(e.message) ? new WorkerCrash(e) : e;
    });
  }

  /**
   * Run one task beside whatever else the threads are doing: on a worker of the pool, or, with none
   * started, on a thread of its own that ends with the task. On two cores the main thread renders alone,
   * and the generated cover (fontkit, resvg: about 0.45 s) was drawn there before the chapters; now the
   * other core draws it while they render. A thread that cannot start, or a task that fails on it, runs
   * again here, where its error is the build's.
   */
  runAside<O>(task: Task): Promise<O> {
    if (this.piscina) return this.run(task) as Promise<O>;
    return onThreadOfItsOwn(task).catch(() => runTask(task)) as Promise<O>;
  }

  /** Map `items` through a task, in chunks spread over the workers; results in input order. */
  async map<I extends Article, O>(make: (items: I[]) => Task, items: I[], sizeOf: (item: I) => number, progress?: (done: number) => void): Promise<O[]> {
    const chunks: I[][] = [];
    let current: I[] = [];
    let bytes = 0;
    let total = 0;
    for (const item of items) {
      current.push(item);
      bytes += sizeOf(item);
      total += sizeOf(item);
      if (bytes >= CHUNK_BYTES) {
        chunks.push(current);
        current = [];
        bytes = 0;
      }
    }
    if (current.length) chunks.push(current);
    let done = 0;
    if (this.size < 2 || total < MIN_PARALLEL_BYTES || chunks.length < 2) {
      const out: O[] = [];
      for (const chunk of chunks) {
        out.push(...(detach(await runTask(make(chunk))) as O[]));
        progress?.((done += chunk.length));
        // Let a progress display draw between chunks.
        if (progress) await new Promise((resolve) => setImmediate(resolve));
      }
      return out;
    }
    this.prepare();
    const results = await Promise.all(
      chunks.map(async (chunk) => {
        const result = (await this.run(make(chunk))) as O[];
        progress?.((done += chunk.length));
        return result;
      }),
    );
    return results.flat();
  }

  async close(): Promise<void> {
    const piscina = this.piscina;
    this.piscina = undefined;
    await piscina?.destroy();
  }
}
