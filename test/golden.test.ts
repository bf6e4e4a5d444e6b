// Golden files: each folder under test/fixtures holds articles in, and the expected XHTML, package
// documents and diagnostics out. `UPDATE=1 npm test` rewrites the expected files; review them in the diff.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { formatDiagnostic, makeBook, sortDiagnostics } from '../src/index.js';
import { FIXTURES, openEpub } from './helpers.js';

const UPDATE = process.env.UPDATE === '1';
const DOCUMENTS = /^OEBPS\/(chapter-.*\.xhtml|notes\.xhtml|toc\.xhtml|toc\.ncx|content\.opf|cover\.xhtml)$/;

export function fixtureNames(): string[] {
  return fs.readdirSync(FIXTURES).filter((n) => fs.existsSync(path.join(FIXTURES, n, 'articles'))).sort();
}

/** Build a fixture the way `quire build` would from inside its folder. */
export function buildFixture(name: string) {
  // Tests never touch the network: remote images are left out as on a machine without one.
  return makeBook({ cwd: path.join(FIXTURES, name), articlesDir: 'articles', remote: { offline: true } });
}

function compare(file: string, actual: string): void {
  if (UPDATE) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `missing expected file ${path.relative(FIXTURES, file)}: run UPDATE=1 npm test`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${path.relative(FIXTURES, file)} differs (UPDATE=1 npm test rewrites it)`);
}

describe('golden fixtures', () => {
  for (const name of fixtureNames()) {
    it(name, async () => {
      const dir = path.join(FIXTURES, name);
      const expected = path.join(dir, 'expected');
      const result = await buildFixture(name);
      const diagnostics = sortDiagnostics(result.diagnostics).map((d) => formatDiagnostic(d, dir)).join('\n');
      compare(path.join(expected, 'diagnostics.txt'), diagnostics ? `${diagnostics}\n` : '');
      const names: string[] = [];
      if (result.epub) {
        const book = await openEpub(result.epub);
        for (const entry of book.names.filter((n) => DOCUMENTS.test(n)).sort()) {
          names.push(path.basename(entry));
          compare(path.join(expected, path.basename(entry)), await book.text(entry));
        }
      }
      // No stale expectations: every expected document is still produced.
      if (!UPDATE && fs.existsSync(expected)) {
        const stale = fs.readdirSync(expected).filter((f) => f !== 'diagnostics.txt' && !names.includes(f));
        assert.deepEqual(stale, [], 'expected files that the build no longer produces');
      }
      if (UPDATE && fs.existsSync(expected)) {
        for (const f of fs.readdirSync(expected)) if (f !== 'diagnostics.txt' && !names.includes(f)) fs.rmSync(path.join(expected, f));
      }
    });
  }
});
