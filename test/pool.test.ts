// The worker pool: a worker that dies fails the work it had with a WorkerCrash, and the build with an
// internal-error diagnostic, instead of leaving it waiting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Article } from '../src/model.js';
import { renderSettings } from '../src/model.js';
import { Pool, WorkerCrash, type ChapterResult } from '../src/parallel.js';
import type { MarkedUp } from '../src/render/chapter.js';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, tempDir, writeTree } from './helpers.js';

function articles(count: number): Article[] {
  const body = `# Title\n\n${'Some text with a [link](https://example.org) and *emphasis*.\n\n'.repeat(80)}`;
  return Array.from({ length: count }, (_, i) => ({ file: `/book/a${i}.md`, name: `a${i}.md`, slug: `a${i}`, body, meta: { authors: [] } }));
}

describe('worker pool', () => {
  it('renders on workers what the main thread renders, in input order', async () => {
    const input = articles(120);
    const settings = renderSettings();
    const pool = new Pool(2);
    try {
      const parallel = await pool.map<Article, ChapterResult>((items) => ({ kind: 'render', settings, items }), input, (a) => a.body.length);
      assert.ok(pool.running, 'the work was large enough for workers');
      const here = await new Pool(1).map<Article, ChapterResult>((items) => ({ kind: 'render', settings, items }), input, (a) => a.body.length);
      assert.deepEqual(parallel, here);
    } finally {
      await pool.close();
    }
  });

  it('reads the Markdown of the chunks ahead on a thread of its own, and renders what the main thread alone renders', async () => {
    const input = articles(120);
    const settings = renderSettings();
    const markdown = (items: Article[]) => ({ kind: 'markdown' as const, settings, items });
    const render = (items: Article[], markedUp?: MarkedUp[]) => ({ kind: 'render' as const, settings, items, ...(markedUp && { markedUp }) });
    const pool = new Pool(1, true);
    const ahead = await pool.map<Article, ChapterResult>(render, input, (a) => a.body.length, undefined, markdown);
    const chunks = Math.ceil((120 * input[0]!.body.length) / (64 * 1024));
    assert.ok(pool.readAheadChunks >= chunks - 1, `the thread made the Markdown of ${pool.readAheadChunks} chunks of about ${chunks}`);
    assert.equal(pool.aheadThread, undefined, 'the thread ends with the work');
    const alone = new Pool(1, false);
    const here = await alone.map<Article, ChapterResult>(render, input, (a) => a.body.length, undefined, markdown);
    assert.equal(alone.readAheadChunks, 0);
    assert.deepEqual(ahead, here);
  });

  it('leaves the chunks of a read-ahead thread that stops to the main thread: the same chapters, no hang', { timeout: 120_000 }, async () => {
    const input = articles(400);
    const settings = renderSettings();
    const pool = new Pool(1, true);
    let stopped = false;
    const ahead = await pool.map<Article, ChapterResult>(
      (items, markedUp) => ({ kind: 'render', settings, items, ...(markedUp && { markedUp }) }),
      input,
      (a) => a.body.length,
      () => {
        // After the first chunk is back, the thread holds the next ones: stop it.
        if (stopped) return;
        stopped = true;
        void pool.aheadThread!.terminate();
      },
      (items) => ({ kind: 'markdown', settings, items }),
    );
    assert.ok(stopped);
    assert.ok(pool.readAheadChunks >= 1 && pool.readAheadChunks < 10, `the thread made ${pool.readAheadChunks} chunks before it stopped`);
    const here = await new Pool(1, false).map<Article, ChapterResult>((items) => ({ kind: 'render', settings, items }), input, (a) => a.body.length);
    assert.deepEqual(ahead, here);
  });

  // A timeout turns a hang (the failure this guards against) into a failing test.
  it('fails the work with a WorkerCrash when a worker is killed, and does not hang', { timeout: 120_000 }, async () => {
    const pool = new Pool(2);
    const settings = renderSettings();
    let killed = false;
    try {
      const work = pool.map<Article, ChapterResult>(
        (items) => ({ kind: 'render', settings, items }),
        articles(400),
        (a) => a.body.length,
        () => {
          // After the first chunk is back, the others are on the workers: stop every worker.
          if (killed) return;
          killed = true;
          for (const t of pool.threads) void t.terminate();
        },
      );
      await assert.rejects(work, (e: unknown) => e instanceof WorkerCrash && /worker thread stopped/.test(e.message));
      assert.ok(killed);
    } finally {
      await pool.close();
    }
  });

  it('a build whose worker dies (past QUIRE_WORKER_MEMORY_MB) fails with internal-error, writes nothing, and does not hang', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    writeTree(dir, Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`articles/a${i}.md`, `# Title ${i}\n\n${'Some text with a [link](https://example.org) and *emphasis*.\n\n'.repeat(300)}`])));
    const run = await runCli(['build', '--no-cache'], { cwd: dir, env: { QUIRE_THREADS: '2', QUIRE_WORKER_MEMORY_MB: '12' } });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^articles: error: a worker thread stopped while rendering: .*memory limit.*\[internal-error\]$/m);
    assert.ok(!fs.existsSync(path.join(dir, 'output', 'book.epub')));
    // Bound so tight that the workers die as they start, before any task is theirs: piscina reports that
    // on the pool, which ended the process with a raw stack trace.
    const starved = await runCli(['build', '--no-cache'], { cwd: dir, env: { QUIRE_THREADS: '2', QUIRE_WORKER_MEMORY_MB: '1' } });
    assert.equal(starved.code, 1, starved.stderr);
    assert.match(starved.stderr, /^articles: error: a worker thread stopped while rendering: .*memory limit.*\[internal-error\]$/m);
    assert.ok(!fs.existsSync(path.join(dir, 'output', 'book.epub')));
    // The same build without the bound writes the book.
    const good = await runCli(['build', '--no-cache', '-q'], { cwd: dir, env: { QUIRE_THREADS: '2' } });
    assert.equal(good.code, 0, good.stderr);
    assert.ok(fs.existsSync(path.join(dir, 'output', 'book.epub')));
  });
});
