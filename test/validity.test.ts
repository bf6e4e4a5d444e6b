// Validity on real books: the project's own book and every fixture book go through EPUBCheck
// (the Java jar when installed, as in CI; else the TypeScript port, and the suite says so loudly).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeBook } from '../src/index.js';
import { epubcheck, FIXTURES, problems, ROOT, tempDir, writeTree } from './helpers.js';

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
  it('a book of code blocks with file names, for any reader, for Kobo and without highlighting', async () => {
    const dir = writeTree(tempDir(), {
      'articles/code.md':
        '# Code\n\n```js title="src/app.js" {1,3}\nconst a = 1;\n```\n\n```python filename="main.py"\nx = 1\n```\n\n' +
        '```js:src/app.js\nconst a = 1;\n```\n\n```[data.csv]\na,b\n```\n\n```html title="<script>&amp;\'"</script>"\n<b>x</b>\n```\n',
    });
    for (const [name, options] of [['code-names', {}], ['code-names-kobo', { target: 'kobo' }], ['code-names-plain', { overrides: { highlight: false } }]] as const) {
      const result = await makeBook({ cwd: dir, ...options });
      assert.ok(result.epub, 'the book was made');
      assert.equal(result.diagnostics.length, 0, JSON.stringify(result.diagnostics));
      const file = path.join(out, `${name}.epub`);
      fs.writeFileSync(file, result.epub);
      assert.equal(problems(await epubcheck(file)), '', name);
    }
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
