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
import zlib from 'node:zlib';
import { makeBook } from '../src/index.js';
import { epubcheck, openEpub, problems, runCli, tempDir, writeTree } from './helpers.js';

function articles(count: number): Article[] {
  const body = `# Title\n\n${'Some text with a [link](https://example.org) and *emphasis*.\n\n'.repeat(80)}`;
  return Array.from({ length: count }, (_, i) => ({ file: `/book/a${i}.md`, name: `a${i}.md`, slug: `a${i}`, body, meta: { authors: [] } }));
}

/** The read-ahead thread's task (the Markdown stage) and the main thread's (the rest), as the build makes them. */
const settings = renderSettings();
const markdown = (items: Article[], highlight: boolean) => ({ kind: 'markdown' as const, settings, items, highlight });
const render = (items: Article[], markedUp?: MarkedUp[]) => ({ kind: 'render' as const, settings, items, ...(markedUp && { markedUp }) });

describe('worker pool', () => {
  it('renders on workers what the main thread renders, in input order', async () => {
    const input = articles(120);
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

  it('highlights code on the read-ahead thread while it is ahead and on the main thread while it is behind, the same chapters', async () => {
    const fence = '```js\nconst x = { a: [1, 2], b: "text" }; // a comment\nfunction f(y) { return y * 2; }\n```\n\n';
    const input = articles(120).map((a) => ({ ...a, body: `${a.body}\n${fence.repeat(20)}` }));
    const pool = new Pool(1, true);
    // The main thread is slowed after each chunk, so that the read-ahead thread gets ahead of it.
    const slow = () => {
      const until = Date.now() + 100;
      while (Date.now() < until);
    };
    const ahead = await pool.map<Article, ChapterResult>(render, input, (a) => a.body.length, slow, markdown);
    const chunks = pool.readAheadChunks;
    assert.ok(chunks >= 4, `${chunks} chunks`);
    assert.ok(pool.highlightedAhead > 0, 'the thread that was ahead highlighted');
    assert.ok(pool.highlightedAhead < chunks, 'the first chunk, which the main thread waited for, it left to the main thread');
    const here = await new Pool(1, false).map<Article, ChapterResult>(render, input, (a) => a.body.length);
    assert.ok(here.every((c) => c.body.includes('<span class="hljs-keyword">const</span>')), 'the code is highlighted');
    assert.deepEqual(ahead, here);
  });

  it('starts the deflating thread as the read-ahead thread ends, for a build that packages next', async () => {
    const input = articles(120);
    const pool = new Pool(1, true);
    pool.deflateNext = true;
    try {
      await pool.map<Article, ChapterResult>(render, input, (a) => a.body.length, undefined, markdown);
      assert.ok(pool.readAheadChunks > 1);
      assert.equal(pool.aheadThread, undefined, 'the read-ahead thread ends with its work');
      assert.ok(pool.deflateThread, 'the deflating thread is started in its place');
      // It deflates what this thread deflates.
      const entries = [new TextEncoder().encode('<p>x</p>'.repeat(50_000)), new TextEncoder().encode('y'.repeat(300_000))];
      const deflated = await pool.deflate(entries.length, (i) => entries[i]!, 6);
      assert.deepEqual(deflated.map((d) => Buffer.from(zlib.inflateRawSync(d.data)).toString()), entries.map((e) => Buffer.from(e).toString()));
      assert.equal(pool.deflateThread, undefined, 'and ends with it');
    } finally {
      await pool.close();
    }
  });

  it('leaves the chunks of a read-ahead thread that stops to the main thread: the same chapters, no hang', { timeout: 120_000 }, async () => {
    const input = articles(400);
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
      markdown,
    );
    assert.ok(stopped);
    assert.ok(pool.readAheadChunks >= 1 && pool.readAheadChunks < 10, `the thread made ${pool.readAheadChunks} chunks before it stopped`);
    const here = await new Pool(1, false).map<Article, ChapterResult>((items) => ({ kind: 'render', settings, items }), input, (a) => a.body.length);
    assert.deepEqual(ahead, here);
  });

  // A timeout turns a hang (the failure this guards against) into a failing test.
  it('fails the work with a WorkerCrash when a worker is killed, and does not hang', { timeout: 120_000 }, async () => {
    const pool = new Pool(2);
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

describe('deflating a book on a second thread', () => {
  /** Zip entries of varied text, about 1.2 MB in all: several of Pool.deflate's chunks. */
  function entries(): Buffer[] {
    return Array.from({ length: 40 }, (_, i) => Buffer.from(`<p>Entry ${i}: ${'words of a chapter, numbered '.repeat(200)}${String(i * 7919).repeat(300)}</p>\n`.repeat(3)));
  }

  it('deflates on another thread what this one deflates, in input order', async () => {
    const items = entries();
    const pool = new Pool(1, true);
    const packed = await pool.deflate(items.length, (i) => items[i]!, 3);
    assert.ok(pool.deflatedAside >= 1, `another thread deflated ${pool.deflatedAside} chunks`);
    assert.equal(pool.deflateThread, undefined, 'the thread ends with the work');
    const alone = new Pool(1, false);
    assert.deepEqual(packed, await alone.deflate(items.length, (i) => items[i]!, 3));
    assert.equal(alone.deflatedAside, 0);
    // Each is the entry's raw deflate and CRC-32: inflated, the bytes given.
    packed.forEach((d, i) => {
      assert.deepEqual(zlib.inflateRawSync(d.data), items[i]);
      assert.equal(d.crc, zlib.crc32(items[i]!));
      assert.equal(d.size, items[i]!.length);
    });
  });

  it('deflates here the chunks of a deflating thread that stopped: the same bytes, no hang', { timeout: 60_000 }, async () => {
    const items = entries();
    const pool = new Pool(1, true);
    pool.readyDeflate();
    await pool.deflateThread!.terminate();
    const packed = await pool.deflate(items.length, (i) => items[i]!, 3);
    assert.equal(pool.deflatedAside, 0);
    assert.deepEqual(packed, await new Pool(1, false).deflate(items.length, (i) => items[i]!, 3));
  });

  it('a book deflated on a second thread is the bytes JSZip writes alone', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    writeTree(dir, Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`articles/a${String(i).padStart(2, '0')}.md`, `# Title ${i}\n\n${`Paragraph ${i} with a [link](https://example.org), *emphasis* and \`code\`.\n\n`.repeat(200)}`])));
    const build = async (readAhead: string) => {
      const saved = { threads: process.env.QUIRE_THREADS, ahead: process.env.QUIRE_READ_AHEAD };
      process.env.QUIRE_THREADS = '1';
      process.env.QUIRE_READ_AHEAD = readAhead;
      try {
        return await makeBook({ cwd: dir });
      } finally {
        for (const [k, v] of [['QUIRE_THREADS', saved.threads], ['QUIRE_READ_AHEAD', saved.ahead]] as const) if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    };
    const spread = await build('1');
    const alone = await build('0');
    assert.ok(spread.epub && alone.epub);
    assert.ok(spread.epub.equals(alone.epub), 'the same bytes');
    const book = await openEpub(spread.epub);
    let documents = 0;
    for (const n of book.names.filter((n) => n.endsWith('.xhtml'))) documents += (await book.bytes(n)).length;
    assert.ok(documents > 4 * 256 * 1024, `documents enough for several chunks: ${documents} bytes`);
    const last = book.names.find((n) => n.endsWith('.xhtml') && n.includes('59'));
    assert.ok(last, book.names.join(', '));
    assert.match(await book.text(last), /Paragraph 59 with a/);
    const file = path.join(dir, 'spread.epub');
    fs.writeFileSync(file, spread.epub);
    assert.equal(problems(await epubcheck(file)), '');
  });
});
