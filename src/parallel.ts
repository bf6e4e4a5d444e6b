// Parallel work: rendering chapters and deflating zip entries are pure functions of their input, so they
// can be spread over worker threads. Results come back in input order, so the book is the same bytes
// whatever the number of threads. Small jobs run on the main thread: a worker costs ~40 ms to start.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Article, BookChapter, RenderSettings } from './model.js';

export type Task =
  | { kind: 'render'; settings: RenderSettings; items: Article[] }
  | { kind: 'cover'; title: string; authors: string[] };

/** What a chapter looks like when it crosses threads: without its article, which the main thread has. */
export type ChapterResult = Omit<BookChapter, 'article'>;

/** Run a task on this thread. The worker threads run the same function. */
export async function runTask(task: Task): Promise<ChapterResult[] | Uint8Array> {
  if (task.kind === 'cover') return (await import('./epub/cover.js')).generateCover(task.title, task.authors);
  // Loaded on first use: a build whose chapters all come from the cache never needs the renderer.
  const { renderChapter } = await import('./render/chapter.js');
  return task.items.map((a): ChapterResult => {
    const { article, ...rest } = renderChapter(a, task.settings);
    void article;
    return rest;
  });
}

/** Below this much work, starting workers costs more than it saves. */
const MIN_PARALLEL_BYTES = 256 * 1024;
/** Work is handed out in chunks of about this many bytes, so that a faster thread takes more. */
const CHUNK_BYTES = 64 * 1024;
/** Chunks sent ahead to each worker, so that it never waits for the main thread. */
const IN_FLIGHT = 2;

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

class TaskWorker {
  readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url));
    this.worker.unref();
    this.worker.on('message', (m: { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.result);
      else p?.reject(new Error(m.error));
    });
    this.worker.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }

  /** Tasks sent and not answered yet. */
  get load(): number {
    return this.pending.size;
  }

  run(task: Task): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, task });
    });
  }
}

/** Rendering threads, the main thread included: one a core, four at most. */
function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

export class Pool {
  private workers: TaskWorker[] = [];

  /**
   * Threads that render, the main thread among them (with `size` 2, one worker renders beside it).
   * Measured on 2 cores with 1,000 articles: the main thread with one worker builds ~10% faster than the
   * main thread alone, while two workers beside it are slower again (V8 compiles and collects garbage on
   * the same cores). QUIRE_THREADS overrides it, for measuring.
   */
  constructor(private readonly size = Number(process.env.QUIRE_THREADS ?? defaultThreads())) {}

  /**
   * Start the workers now, before there is work for them, when a build will surely render a lot: a worker
   * takes a few hundred milliseconds to load the renderer, which it can do while the articles are read.
   */
  prepare(): void {
    while (this.workers.length < this.size - 1) this.workers.push(new TaskWorker());
  }

  /** Whether workers are started. */
  get running(): boolean {
    return this.workers.length > 0;
  }

  /**
   * Run one task on the worker with the least to do, beside whatever else the threads are doing; without
   * a worker started, undefined (the caller does the work itself when it needs the result).
   */
  runAside<O>(task: Task): Promise<O> | undefined {
    const worker = this.workers.reduce<TaskWorker | undefined>((best, w) => (best === undefined || w.load < best.load ? w : best), undefined);
    return worker?.run(task) as Promise<O> | undefined;
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
        out.push(...((await runTask(make(chunk))) as O[]));
        progress?.((done += chunk.length));
        // Let a progress display draw between chunks.
        if (progress) await new Promise((resolve) => setImmediate(resolve));
      }
      return out;
    }

    // The main thread is one of the threads: it takes chunks too, between handing results back.
    this.prepare();
    const results: O[][] = new Array(chunks.length);
    let next = 0;
    const nextTick = () => new Promise((resolve) => setImmediate(resolve));
    const feed = async (run: (task: Task) => Promise<unknown>, here: boolean): Promise<void> => {
      // The main thread lets the workers get their chunks before it starts on one, and after each of its own.
      if (here) await nextTick();
      while (next < chunks.length) {
        const i = next++;
        results[i] = (await run(make(chunks[i]!))) as O[];
        progress?.((done += chunks[i]!.length));
        if (here) await nextTick();
      }
    };
    await Promise.all([...this.workers.flatMap((w) => Array.from({ length: IN_FLIGHT }, () => feed((t) => w.run(t), false))), feed(runTask, true)]);
    return results.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers = [];
  }
}
