// Watch mode, as a user runs it: a real file change triggers a rebuild; a broken article mid-edit reports
// its error and leaves the last good book in place.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CLI, openEpub, runCli, tempDir, writeTree } from './helpers.js';

/** Resolves when `text` has appeared in the stream's output since the call; rejects after a timeout. */
function waitFor(chunks: { out: string }, text: string | RegExp, from: number, ms = 20_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      const rest = chunks.out.slice(from);
      const at = typeof text === 'string' ? rest.indexOf(text) : rest.search(text);
      if (at !== -1) return resolve(from + at + 1);
      if (Date.now() - started > ms) return reject(new Error(`timed out waiting for ${text}; output so far:\n${chunks.out}`));
      setTimeout(check, 50);
    };
    check();
  });
}

/** `quire build --watch` with `args` in `dir`, its output (stdout and stderr) gathered in `log.out`. */
function startWatch(dir: string, args: string[] = []) {
  const child = spawn(process.execPath, [CLI, 'build', ...args, '--watch'], { cwd: dir });
  const log = { out: '' };
  child.stdout.on('data', (d) => (log.out += d));
  child.stderr.on('data', (d) => (log.out += d));
  const stop = async () => {
    child.kill('SIGINT');
    await new Promise((r) => child.on('close', r));
  };
  return { log, stop };
}

describe('quire build --watch', () => {
  it('rebuilds on change, and keeps the last good book when an edit breaks the article', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': '---\ntitle: First\n---\n\nOriginal text.\n', 'articles/b.md': '# B\n\nOther.\n' });
    const { log, stop } = startWatch(dir);
    const chapter = async () => (await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')))).text('OEBPS/chapter-a.xhtml');
    try {
      let at = await waitFor(log, 'watching for changes', 0);
      assert.match(log.out, /^wrote output\/book\.epub: 2 chapters, 0 images, \d+ bytes in \d+\.\d\d s$/m);

      fs.writeFileSync(path.join(dir, 'articles/a.md'), '---\ntitle: First\n---\n\nEdited text.\n');
      at = await waitFor(log, /wrote output\/book\.epub: .* in \d/, at);
      assert.match(log.out, /articles\/a\.md changed/);
      assert.match(await chapter(), /Edited text\./);

      fs.writeFileSync(path.join(dir, 'articles/a.md'), '---\ntitle: [broken\n---\n\nHalf-typed.\n');
      at = await waitFor(log, 'the last good book is kept', at);
      assert.match(log.out, /articles\/a\.md:2:8: error: YAML: .* \[front-matter-yaml\]/);
      assert.match(await chapter(), /Edited text\./, 'the last good book is still there');

      fs.writeFileSync(path.join(dir, 'articles/a.md'), '---\ntitle: Fixed\n---\n\nFixed text.\n');
      await waitFor(log, /wrote output\/book\.epub: .* in \d/, at);
      assert.match(await chapter(), /Fixed text\./);
      // The rebuild took the unchanged entries from the last book: the bytes are a cold build's all the same.
      const cold = await runCli(['build', '--no-cache', '-q', '-o', 'cold.epub'], { cwd: dir });
      assert.equal(cold.code, 0, cold.stderr);
      assert.ok(fs.readFileSync(path.join(dir, 'output/book.epub')).equals(fs.readFileSync(path.join(dir, 'cold.epub'))), 'the watch rebuild equals a cold build');
    } finally {
      await stop();
    }
  });

  it("rebuilds when the site's configuration changes, in the folder above the articles too", async () => {
    // An MkDocs project: mkdocs.yml turns pymdownx's syntax on for the articles in docs/.
    const dir = tempDir();
    writeTree(dir, { 'mkdocs.yml': 'site_name: X\n', 'docs/a.md': '# A\n\nA ==marked== word.\n', 'docs/b.md': '# B\n\nOther.\n' });
    const { log, stop } = startWatch(dir, ['docs']);
    const chapter = async () => (await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')))).text('OEBPS/chapter-a.xhtml');
    try {
      const at = await waitFor(log, 'watching for changes', 0);
      assert.match(await chapter(), /A ==marked== word\./);
      fs.writeFileSync(path.join(dir, 'mkdocs.yml'), 'site_name: X\nmarkdown_extensions:\n  - pymdownx.mark\n');
      await waitFor(log, /wrote output\/book\.epub: .* in \d/, at);
      assert.match(log.out, /mkdocs\.yml changed/);
      assert.match(await chapter(), /A <mark>marked<\/mark> word\./);
    } finally {
      await stop();
    }
  });
});
