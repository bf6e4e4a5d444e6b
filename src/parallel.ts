// Orchestration: parallel work. Rendering chapters and drawing a cover are pure functions of their input,
// so they can be spread over worker threads, through piscina, or, on two cores, split by stage with a
// read-ahead thread. Results come back in input order, so the book is the same bytes whatever the number
// of threads. Small jobs run on the main thread: a worker costs ~40 ms to start. A worker that dies fails
// its task with a WorkerCrash; it never leaves the build waiting.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import type { Article, RenderedChapter, RenderSettings } from './model.js';
import type { DrawnCover } from './epub/cover.js';
import type { Deflated } from './epub/deflate.js';
import type { MarkedUp } from './render/chapter.js';

export type Task =
  /** `markedUp`: the items' Markdown stage, when the read-ahead thread made it (one for each item). */
  | { kind: 'render'; settings: RenderSettings; items: Article[]; markedUp?: MarkedUp[] }
  /**
   * The Markdown stage only (render/chapter.ts, markUp), for the read-ahead thread; `highlight`: fenced code
   * highlighted there too, rather than as the main thread serialises it.
   */
  | { kind: 'markdown'; settings: RenderSettings; items: Article[]; highlight: boolean }
  | { kind: 'cover'; title: string; authors: string[] }
  /** Zip entries' bytes to deflate (epub/deflate.ts), for the packager. */
  | { kind: 'deflate'; level: number; items: Uint8Array[] };

/**
 * What a chapter looks like when it crosses threads: without its article, which the main thread has.
 * `needsText`: a `data:` URL lifted out of the article showed somewhere other than as an image's source;
 * the main thread, which holds the URLs' bytes, renders it again from the text as written.
 */
export type ChapterResult = Omit<RenderedChapter, 'article'> & { needsText?: true };

/** Run a task on this thread. The worker threads run the same function. */
export async function runTask(task: Task): Promise<ChapterResult[] | MarkedUp[] | DrawnCover | Deflated[]> {
  if (task.kind === 'cover') return (await import('./epub/cover.js')).drawCover(task.title, task.authors);
  if (task.kind === 'deflate') return (await import('./epub/deflate.js')).deflateEntries(task.items, task.level);
  // Loaded on first use: a build whose chapters all come from the cache never needs the renderer.
  const { markUp, renderChapter } = await import('./render/chapter.js');
  // The read-ahead thread highlights fenced code too when asked (Pool.mapAhead): the main thread, which
  // serialises the chapters and would highlight them as it does (render/serialize.ts), is then spared it.
  if (task.kind === 'markdown') return task.items.map((a) => markUp(a, task.settings, task.highlight));
  const { leaksReference, liftedReferences } = await import('./articles/embedded.js');
  return task.items.map((a, i): ChapterResult => {
    const { article, ...rest } = renderChapter(a, task.settings, task.markedUp?.[i]);
    void article;
    if (a.lifted && leaksReference(rest, a.lifted, liftedReferences(a))) return { ...rest, needsText: true };
    return rest;
  });
}

/**
 * Results made on this thread, as a worker would hand them over: copied. A chapter's ids, link targets and
 * section titles are cut from the HTML its renderer went through, and each would keep that whole text
 * alive (V8 shares the memory of a substring with its parent). With the same copy of front matter values
 * (articles/load.ts), 93 MB off the peak of 5,000 real-docs articles. The chapter's body, one text of its
 * own, is kept as it is.
 */
function detach(results: ChapterResult[] | DrawnCover): ChapterResult[] | DrawnCover {
  if (!Array.isArray(results)) return results;
  return results.map(({ body, ...rest }) => ({ ...structuredClone(rest), body }));
}

/**
 * A worker thread of quire's own beside the main thread, outside the pool (task-thread.ts): it runs the tasks
 * it is posted, in turn. Two uses: the read-ahead thread, which makes the Markdown stage of the chunks ahead
 * of the one the main thread renders (Pool.map), and a thread for one task beside the build (Pool.runAside).
 * A task it fails, or that it cannot finish because it stopped, comes back undefined: the main thread then
 * runs it itself, and reports its error.
 */
class TaskThread {
  private readonly thread: Worker;
  private readonly waiting = new Map<number, (value: unknown) => void>();
  private last = 0;
  alive = true;

  private constructor(load: ThreadLoad) {
    this.thread = new Worker(new URL('./task-thread.js', import.meta.url), { workerData: { load } });
    this.thread.on('message', (m: { id: number; value?: unknown }) => {
      const settle = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      settle?.(m.value);
    });
    const stop = () => {
      this.alive = false;
      for (const settle of this.waiting.values()) settle(undefined);
      this.waiting.clear();
    };
    this.thread.on('error', stop);
    this.thread.on('exit', stop);
  }

  /**
   * A new thread (which loads the code of its work at once: the renderer when it is for rendering, the
   * deflater for deflating), or none when a thread cannot be made here.
   */
  static start(load: ThreadLoad): TaskThread | undefined {
    try {
      return new TaskThread(load);
    } catch {
      return undefined;
    }
  }

  /** The thread, to watch it (or, in a test, to stop it). */
  get worker(): { terminate(): Promise<number> } {
    return this.thread;
  }

  /** Ask for a task's result; undefined if the thread failed it or stopped. */
  ask<T>(task: Task): Promise<T | undefined> {
    const id = ++this.last;
    const result = new Promise<T | undefined>((resolve) => this.waiting.set(id, resolve as (value: unknown) => void));
    try {
      this.thread.postMessage({ id, task });
    } catch {
      this.waiting.get(id)?.(undefined);
      this.waiting.delete(id);
    }
    return result;
  }

  end(): void {
    void this.thread.terminate();
  }
}

/** What a TaskThread loads as it starts (task-thread.ts). */
export type ThreadLoad = 'renderer' | 'deflater' | 'nothing';

/** How many chunks the read-ahead thread is given beyond the one the main thread waits for. */
const AHEAD_CHUNKS = 3;

/** Zip entries are handed to other threads to deflate in chunks of about this many bytes (Pool.deflate). */
const DEFLATE_CHUNK_BYTES = 256 * 1024;

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

/**
 * A read-ahead thread when the pool has no workers, on two cores or more. QUIRE_READ_AHEAD=0 or 1 overrides
 * it, for measuring; QUIRE_THREADS=1 (the main thread alone) turns it off unless QUIRE_READ_AHEAD says so.
 */
function defaultReadAhead(): boolean {
  const set = process.env.QUIRE_READ_AHEAD;
  if (set !== undefined) return set === '1';
  return process.env.QUIRE_THREADS === undefined && availableParallelism() >= 2;
}

export class Pool {
  private piscina: Piscina | undefined;
  /** What ended a worker that died between tasks (see prepare). */
  private crash: unknown;

  /**
   * `size` worker threads at most; with 1, everything runs on the main thread. QUIRE_THREADS overrides
   * it, for measuring.
   */
  constructor(
    private readonly size = Number(process.env.QUIRE_THREADS ?? defaultThreads()),
    private readonly readAhead = defaultReadAhead(),
  ) {}

  /**
   * Set by a build that packages a book after rendering (and closes the pool): the deflating thread starts
   * when the read-ahead thread is done (see mapAhead).
   */
  deflateNext = false;

  /** Chunks whose Markdown stage the read-ahead thread made, in this pool's life (for tests and measuring). */
  readAheadChunks = 0;
  /** Of those, the chunks it was asked to highlight too (see mapAhead). */
  highlightedAhead = 0;
  /**
   * The read-ahead thread, once started (by prepare, or by map when it has work for it). On two cores, where
   * the pool has no workers, it makes the Markdown stage of the chunks ahead while the main thread sanitises
   * and serialises the chunk before. Each thread runs only its own half of the renderer, so neither compiles
   * and warms up the other's code: rendering whole chunks on two threads cost 1.7-4.8 s more CPU and gained
   * no wall time. A thread that cannot start or stops leaves its chunks to the main thread.
   */
  private ahead: TaskThread | undefined;

  /** The read-ahead thread, to watch it (or, in a test, to stop it). */
  get aheadThread(): { terminate(): Promise<number> } | undefined {
    return this.ahead?.worker;
  }

  /**
   * Start the workers now, before there is work for them, when a build will surely render a lot: a worker
   * takes a few hundred milliseconds to load the renderer, which it can do while the articles are read.
   */
  prepare(): void {
    if (this.size < 2) {
      if (this.readAhead && !this.ahead) {
        this.ahead = TaskThread.start('renderer');
        // This thread sanitises what the read-ahead thread makes: its half of the renderer loads while it
        // waits for the first chunk, instead of after it has come (115 ms).
        void import('./render/chapter.js').catch(() => {});
      }
      return;
    }
    if (this.piscina) return;
    // QUIRE_WORKER_MEMORY_MB bounds each rendering thread's heap: a worker past it stops, and the build fails
    // with an internal-error diagnostic rather than taking the machine's memory.
    const heap = Number(process.env.QUIRE_WORKER_MEMORY_MB);
    const resourceLimits = heap > 0 ? { maxOldGenerationSizeMb: heap } : undefined;
    // Loaded when there are cores enough for a pool: on two cores no thread of a build needs it (20 ms each).
    const { Piscina } = createRequire(import.meta.url)('piscina') as typeof import('piscina');
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
  async runAside<O>(task: Task): Promise<O> {
    if (this.piscina) return this.run(task) as Promise<O>;
    const thread = TaskThread.start('nothing');
    const value = await thread?.ask<O>(task);
    thread?.end();
    return value ?? ((await runTask(task)) as O);
  }

  /**
   * Map `items` through a task, in chunks spread over the workers; results in input order. `ahead` makes the
   * task of the chunk's Markdown stage, which `make` is then given, when a read-ahead thread runs it.
   */
  async map<I extends Article, O>(
    make: (items: I[], markedUp?: MarkedUp[]) => Task,
    items: I[],
    sizeOf: (item: I) => number,
    progress?: (done: number) => void,
    ahead?: (items: I[], highlight: boolean) => Task,
  ): Promise<O[]> {
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
    const enough = total >= MIN_PARALLEL_BYTES && chunks.length >= 2;
    if (this.size < 2 || !enough) {
      const thread = ahead && this.readAhead && enough ? (this.ahead ??= TaskThread.start('renderer')) : undefined;
      const out: O[][] = new Array(chunks.length);
      const finish = async (i: number, markedUp?: MarkedUp[]) => {
        out[i] = detach((await runTask(make(chunks[i]!, markedUp))) as ChapterResult[]) as O[];
        progress?.((done += chunks[i]!.length));
        // Let a progress display draw, and the read-ahead thread's results come in, between chunks.
        if (progress || thread) await new Promise((resolve) => setImmediate(resolve));
      };
      try {
        if (!thread) for (let i = 0; i < chunks.length; i++) await finish(i);
        else await this.mapAhead(chunks, thread, ahead!, finish);
      } finally {
        this.endAhead();
      }
      return out.flat();
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

  /**
   * The chunks in order, their Markdown stage made by the read-ahead thread a few chunks ahead. The main
   * thread waits for it rather than make a chunk's Markdown itself: that code, cold on this thread, then
   * took three times as long, and the two threads' compilers and collectors fought for the same cores
   * (1,000 real-docs articles: 1.1 s more CPU, no wall time gained).
   *
   * Highlighting fenced code, which either thread can do, goes to the one that is behind: the read-ahead
   * thread highlights the chunks it is given while it is two chunks ahead (the chunk after the one this
   * thread takes is ready too), and leaves them to this thread's serialiser otherwise. On 1,000 real-docs
   * articles the Markdown stage with all the highlighting was the longer of the two (4.1 s against 3.3 s of
   * the main thread's work, which waited 1.7 s for it), and the build's wall time was its; now the read-ahead
   * thread highlights 20-30 of 89 chunks: 3.23 s against 3.34 s (medians of ten interleaved cold builds),
   * 1.5% more CPU, 4 MB more memory. With one chunk ahead as the test, it highlighted too many and this
   * thread still waited 0.9-1.0 s for it. The bytes are the same either way.
   */
  private async mapAhead<I>(chunks: I[][], thread: TaskThread, ahead: (items: I[], highlight: boolean) => Task, finish: (i: number, markedUp?: MarkedUp[]) => Promise<void>): Promise<void> {
    // A chunk's entry is let go once taken: a settled promise keeps its value (the HTML of every chunk,
    // 70 MB for 5,000 real-docs articles).
    const asked: (Promise<MarkedUp[] | undefined> | undefined)[] = [];
    const ready: boolean[] = [];
    // Whether the read-ahead thread is ahead: at first this thread waits for its first chunk.
    // (ready[i + 1] below: the chunk after the one this thread takes next is made already.)
    let isAhead = false;
    // Once the read-ahead thread has made the last chunk it is ended, and the deflating thread, when the
    // build packages a book next (deflateNext), starts in its place while this thread sanitises the chunks
    // left: its start (about 0.2 s of loading) was the first thing the packaged book waited for.
    let made = 0;
    const give = (upTo: number) => {
      for (let i = asked.length; thread.alive && i < Math.min(upTo, chunks.length); i++) {
        if (isAhead) this.highlightedAhead++;
        asked[i] = thread.ask<MarkedUp[]>(ahead(chunks[i]!, isAhead));
        void asked[i]!.then(() => {
          ready[i] = true;
          if (++made < chunks.length || this.ahead !== thread) return;
          this.endAhead();
          if (this.deflateNext) this.readyDeflate();
        });
      }
    };
    for (let i = 0; i < chunks.length; i++) {
      if (i > 0) isAhead = ready[i + 1] === true;
      give(i + 1 + AHEAD_CHUNKS);
      // Undefined once the thread stopped: this thread makes the rest.
      const markedUp = await asked[i];
      asked[i] = undefined;
      if (markedUp) this.readAheadChunks++;
      await finish(i, markedUp);
    }
  }

  /** Whether work can be spread over another thread: workers, or a read-ahead thread on two cores. */
  get spreads(): boolean {
    return this.size >= 2 || this.readAhead;
  }

  /**
   * Deflate the zip entries that `bytesOf` makes (0 to count - 1; epub/deflate.ts), results in input order,
   * for the packager. The entries are made here, in turn, and handed out in chunks, a chunk or two ahead: to
   * the pool's workers when they run, else to a thread started for it, while this thread makes the next
   * chunk. On two cores a book was deflated by JSZip on the main thread after everything else, the last
   * 0.8 s of a cold build of 1,000 real-docs articles; now that thread only makes the documents. It does not
   * deflate chunks itself too: pako's tables for each entry (about 300 kB) are let go only when the garbage
   * collector runs for them, and two threads deflating held 20-80 MB more than one, for 5,000 articles.
   * A book of one chunk, and a chunk a thread fails or that cannot be handed over, are deflated here: the
   * bytes are the same wherever they are deflated.
   */
  async deflate(count: number, bytesOf: (i: number) => Uint8Array, level: number, progress?: (done: number) => void): Promise<Deflated[]> {
    const out: Deflated[] = new Array(count);
    let done = 0;
    const take = (from: number, result: Deflated[]) => {
      for (let k = 0; k < result.length; k++) out[from + k] = result[k]!;
      progress?.((done += result.length));
    };
    const here = async (chunk: Uint8Array[]) => (await runTask({ kind: 'deflate', level, items: chunk })) as Deflated[];
    const aside = () => this.spreads && (this.piscina !== undefined || (this.deflater ??= TaskThread.start('deflater'))?.alive === true);
    const send = (task: Task): Promise<Deflated[] | undefined> => {
      if (this.piscina) return (this.run(task) as Promise<Deflated[]>).catch(() => undefined);
      return this.deflater?.alive ? this.deflater.ask<Deflated[]>(task) : Promise.resolve(undefined);
    };
    const limit = this.piscina ? this.size * 2 : 2;
    let sent = 0;
    let slot: (() => void) | undefined;
    const waiting: Promise<void>[] = [];
    const hand = async (from: number, chunk: Uint8Array[], only: boolean) => {
      if (only || !aside()) return take(from, await here(chunk));
      // No more than `limit` chunks wait for a thread: the documents are made no faster than deflated.
      while (sent >= limit) await new Promise<void>((resolve) => (slot = resolve));
      sent++;
      waiting.push(
        send({ kind: 'deflate', level, items: chunk }).then(async (result) => {
          try {
            if (result) this.deflatedAside++;
            take(from, result ?? (await here(chunk)));
          } finally {
            sent--;
            slot?.();
          }
        }),
      );
    };
    try {
      let from = 0;
      let chunk: Uint8Array[] = [];
      let bytes = 0;
      for (let i = 0; i < count; i++) {
        const b = bytesOf(i);
        chunk.push(b);
        bytes += b.length;
        if (bytes >= DEFLATE_CHUNK_BYTES && i < count - 1) {
          await hand(from, chunk, false);
          from = i + 1;
          chunk = [];
          bytes = 0;
        }
      }
      // A book of one chunk is deflated here: a thread takes longer to start.
      if (chunk.length) await hand(from, chunk, from === 0);
      await Promise.all(waiting);
    } finally {
      this.endDeflater();
    }
    return out;
  }

  /** A thread for Pool.deflate, started now so that it is loaded when the book is packaged. */
  private deflater: TaskThread | undefined;

  /** Chunks of zip entries that another thread deflated, in this pool's life (for tests and measuring). */
  deflatedAside = 0;

  /** The deflating thread, once started (to watch it, or, in a test, to stop it). */
  get deflateThread(): { terminate(): Promise<number> } | undefined {
    return this.deflater?.worker;
  }

  /**
   * Start the thread that deflate will use (unless the pool's workers run), while the book is settled and
   * its documents are made: it takes 40-80 ms to start and load the deflater.
   */
  readyDeflate(): void {
    if (!this.piscina && this.spreads) this.deflater ??= TaskThread.start('deflater');
  }

  private endDeflater(): void {
    this.deflater?.end();
    this.deflater = undefined;
  }

  private endAhead(): void {
    this.ahead?.end();
    this.ahead = undefined;
  }

  async close(): Promise<void> {
    this.endAhead();
    this.endDeflater();
    const piscina = this.piscina;
    this.piscina = undefined;
    await piscina?.destroy();
  }
}
