// Validity on real books: the project's own book and every fixture book go through EPUBCheck
// (the Java jar when installed, as in CI; else the TypeScript port, and the suite says so loudly).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeBook } from '../src/index.js';
import { epubcheck, FIXTURES, problems, ROOT, tempDir } from './helpers.js';

const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((n) => !n.startsWith('error-') && fs.existsSync(path.join(FIXTURES, n, 'articles')))
  .sort();

describe('EPUBCheck reports nothing', { concurrency: true }, () => {
  const out = tempDir('quire-valid-');
  it("the project's own book (articles/)", async () => {
    const result = await makeBook({ cwd: ROOT, articlesDir: 'articles' });
    assert.ok(result.epub, 'the book was made');
    const file = path.join(out, 'own.epub');
    fs.writeFileSync(file, result.epub);
    assert.equal(problems(await epubcheck(file)), '');
  });
  for (const name of fixtures) {
    it(`fixture ${name}`, async () => {
      const result = await makeBook({ cwd: path.join(FIXTURES, name), articlesDir: 'articles', remote: { offline: true } });
      assert.ok(result.epub, 'the book was made');
      const file = path.join(out, `${name}.epub`);
      fs.writeFileSync(file, result.epub);
      assert.equal(problems(await epubcheck(file)), '');
    });
  }
});
