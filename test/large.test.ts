// A large book: 20,000 articles built by quire pass quire's own check. In the slow tier (npm run test:all,
// what CI runs): the build takes about 13 s and the check 4 s on one core. Times are printed, not asserted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkEpub } from '../src/check/index.js';
import { makeBook } from '../src/index.js';
import { tempDir, writeTree } from './helpers.js';

const ARTICLES = 20_000;

describe('a 20,000-article book', () => {
  it('is built, and passes quire check with nothing to report', { timeout: 600_000 }, async (t) => {
    const dir = tempDir('quire-large-');
    const name = (i: number) => `a${String(i).padStart(5, '0')}.md`;
    const files: Record<string, string> = {};
    for (let i = 0; i < ARTICLES; i++) files[`articles/${name(i)}`] = `# Article ${i}\n\nText of article ${i}, with [a link to the next](${name((i + 1) % ARTICLES)}) and a note.[^n]\n\n[^n]: The note of article ${i}.\n`;
    writeTree(dir, files);
    let started = Date.now();
    const result = await makeBook({ cwd: dir, remote: { offline: true } });
    const built = Date.now() - started;
    assert.equal(result.chapters, ARTICLES, result.diagnostics.map((d) => d.message).join('\n'));
    const file = path.join(dir, 'book.epub');
    fs.writeFileSync(file, result.epub!);
    started = Date.now();
    const findings = await checkEpub(file, { epubcheck: false });
    const checked = Date.now() - started;
    assert.deepEqual(findings, []);
    t.diagnostic(`20,000 articles: built in ${(built / 1000).toFixed(1)} s, ${(result.epub!.length / 2 ** 20).toFixed(1)} MB, checked in ${(checked / 1000).toFixed(1)} s`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
